// URLs and origins as values (models/page/url.h): parsing, printing, resolving, ordering.
#include "models/page/url.h"

#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

namespace waterfall {
namespace {

TEST(OriginKey, ParsesSchemeHostAndPortFillingInTheDefaultPort) {
  const std::optional<OriginKey> o = OriginKey::Parse("http://waterfall.test");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->scheme, "http");
  EXPECT_EQ(o->host, "waterfall.test");
  EXPECT_EQ(o->port, 80);
  const std::optional<OriginKey> s = OriginKey::Parse("HTTPS://CDN.Example:8443");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->scheme, "https");
  EXPECT_EQ(s->host, "cdn.example");
  EXPECT_EQ(s->port, 8443);
  EXPECT_EQ(OriginKey::Parse("https://a.example")->port, 443);
}

TEST(OriginKey, PrintsThePortOnlyWhenItIsNotTheSchemesDefault) {
  EXPECT_EQ((OriginKey{"http", "waterfall.test", 80}).ToString(), "http://waterfall.test");
  EXPECT_EQ((OriginKey{"https", "a.example", 443}).ToString(), "https://a.example");
  EXPECT_EQ((OriginKey{"https", "a.example", 80}).ToString(), "https://a.example:80");
  EXPECT_EQ((OriginKey{"http", "a.example", 8080}).Authority(), "a.example:8080");
  EXPECT_EQ((OriginKey{"http", "a.example", 80}).Authority(), "a.example");
  for (const char* text : {"http://waterfall.test", "https://a.example:8443", "http://h:1"}) {
    EXPECT_EQ(OriginKey::Parse(text)->ToString(), text);
  }
}

TEST(OriginKey, RejectsWhatIsNotAnOrigin) {
  for (const char* text :
       {"", "waterfall.test", "/style.css", "http://", "http://a.example/x", "http://a:0",
        "http://a:65536", "http://a:8x", "http://a:", "1http://a", "http://a b", "://a"}) {
    EXPECT_FALSE(OriginKey::Parse(text)) << text;
  }
}

TEST(OriginKey, SchemeHostAndPortAllTellOriginsApart) {
  const OriginKey a{"http", "a.example", 80};
  const OriginKey others[] = {
      {"https", "a.example", 80}, {"http", "b.example", 80}, {"http", "a.example", 81}};
  std::set<OriginKey> ordered = {a};
  std::unordered_set<OriginKey> hashed = {a};
  for (const OriginKey& o : others) {
    EXPECT_NE(o, a);
    EXPECT_TRUE(o < a || a < o);
    ordered.insert(o);
    hashed.insert(o);
  }
  EXPECT_EQ(ordered.size(), 4u);
  EXPECT_EQ(hashed.size(), 4u);
  EXPECT_EQ(hashed.count(OriginKey{"http", "a.example", 80}), 1u);
}

TEST(Url, ParsesAndPrintsAnAbsoluteUrl) {
  const std::optional<Url> u = Url::Parse("https://cdn.example:8443/js/app.js?v=2#top");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->origin, (OriginKey{"https", "cdn.example", 8443}));
  EXPECT_EQ(u->path, "/js/app.js?v=2");
  EXPECT_EQ(u->ToString(), "https://cdn.example:8443/js/app.js?v=2");
  EXPECT_EQ(Url::Parse("http://waterfall.test")->path, "/");
  EXPECT_EQ(Url::Parse("http://waterfall.test?q")->path, "/?q");
  EXPECT_EQ(Url::Parse("http://waterfall.test/")->ToString(), "http://waterfall.test/");
  EXPECT_FALSE(Url::Parse("/style.css"));
  EXPECT_FALSE(Url::Parse("style.css"));
}

TEST(Url, AScenarioPathResolvesOntoTheBaseOrigin) {
  const Url page{ScenarioOrigin(), "/"};
  EXPECT_EQ(ScenarioOrigin().ToString(), "http://waterfall.test");
  EXPECT_EQ(Url::Resolve(page, "/style.css")->ToString(), "http://waterfall.test/style.css");
  EXPECT_EQ(Url::Resolve(page, "https://cdn.example/a.js")->origin.host, "cdn.example");
  EXPECT_FALSE(Url::Resolve(page, "style.css"));           // relative paths: none in the format
  EXPECT_FALSE(Url::Resolve(page, "//cdn.example/a.js"));  // scheme-relative: none either
}

TEST(Url, SamePathOnTwoOriginsIsTwoUrls) {
  const Url a{OriginKey{"http", "a.example", 80}, "/x"};
  const Url b{OriginKey{"http", "b.example", 80}, "/x"};
  EXPECT_NE(a, b);
  EXPECT_EQ(std::unordered_set<Url>({a, b, a}).size(), 2u);
}

}  // namespace
}  // namespace waterfall
