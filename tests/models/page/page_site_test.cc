// BuildPageSite: every file has exactly its declared size and every reference sits where the
// scenario says the browser discovers it (models/page/page_site.h).
#include "models/page/page_site.h"

#include <gtest/gtest.h>

#include <string>

#include "models/scenario/scenario_loader.h"

namespace waterfall {
namespace {

const SiteReference* FindReference(const PageSite& site, const std::string& child) {
  for (const SiteReference& r : site.references)
    if (r.child == child) return &r;
  return nullptr;
}

TEST(PageSiteTest, SeedPageFilesHaveTheirSizesAndReferencesEndAtTheParentsEnd) {
  Scenario s = LoadScenarioFile(WATERFALL_SOURCE_DIR "/scenarios/seed-200ms.toml");
  PageSite site = BuildPageSite(s);
  EXPECT_TRUE(site.warnings.empty()) << site.warnings.front();
  ASSERT_EQ(site.files.size(), 4u);
  // Sizes from scenarios/seed-200ms.toml.
  EXPECT_EQ(site.Find("/index.html")->body.size(), 14000u);
  EXPECT_EQ(site.Find("/style.css")->body.size(), 30000u);
  EXPECT_EQ(site.Find("/logo.png")->body.size(), 20000u);
  EXPECT_EQ(site.Find("/script.js")->body.size(), 50000u);

  const std::string& html = site.Find("/index.html")->body;
  // No discover_at: both references of the document are packed at its end, the image last
  // (it ends at byte 14000), the <body> just before the image, the stylesheet before that.
  const SiteReference* logo = FindReference(site, "/logo.png");
  ASSERT_NE(logo, nullptr);
  EXPECT_EQ(logo->end, 14000u);
  EXPECT_EQ(html.substr(logo->begin, logo->end - logo->begin),
            "<img src=\"/logo.png\" width=100 height=100>");
  // "<body><p>waterfall</p>" (22 bytes: a line of text, for Chrome's first paint).
  const std::string body = "<body><p>waterfall</p>";
  EXPECT_EQ(html.rfind(body, logo->begin), logo->begin - body.size());
  const SiteReference* style = FindReference(site, "/style.css");
  ASSERT_NE(style, nullptr);
  EXPECT_EQ(style->end, logo->begin - body.size());
  // script.js, a child of the stylesheet, is inserted by the stylesheet's onload (CSS cannot
  // reference a script), render blocking: no media=print.
  EXPECT_EQ(html.substr(style->begin, style->end - style->begin),
            "<link rel=stylesheet href=\"/style.css\" onload=\"document.documentElement."
            "appendChild(Object.assign(document.createElement('script'),{src:'/script.js'}));"
            "\">");
  EXPECT_EQ(html.find("<head>"), 21u);  // after "<!DOCTYPE html><html>"
  EXPECT_LT(html.find("<head>"), style->begin);
  // The image is a GIF (its type is sniffed, whatever its name) ending in a trailer.
  const std::string& gif = site.Find("/logo.png")->body;
  EXPECT_EQ(gif.substr(0, 6), "GIF89a");
  EXPECT_EQ(gif.back(), ';');
}

const char* kEveryKind = R"(
name = "every-kind"
[[origin]]
url = "http://waterfall.test"
[[origin]]
url = "http://cdn.example.net"
[[resource]]
url = "/index.html"
type = "document"
size = 6000
[[resource]]
url = "http://cdn.example.net"
type = "preconnect"
parent = "/index.html"
discover_at = 400
[[resource]]
url = "/main.css"
type = "style"
size = 3000
parent = "/index.html"
render_blocking = true
discover_at = 1000
[[resource]]
url = "/print.css"
type = "style"
size = 500
parent = "/index.html"
discover_at = 1500
[[resource]]
url = "/hero.jpg"
type = "image"
size = 9000
parent = "/index.html"
discover_at = 3000
[[resource]]
url = "/app.js"
type = "script"
size = 4000
parent = "/index.html"
process_ms = 25
[[resource]]
url = "http://cdn.example.net/lib.js"
type = "script"
size = 2000
parent = "/index.html"
[[resource]]
url = "/late.js"
type = "script"
size = 300
parent = "/index.html"
[[resource]]
url = "/imported.css"
type = "style"
size = 800
parent = "/main.css"
discover_at = 600
[[resource]]
url = "/bg.png"
type = "image"
size = 700
parent = "/main.css"
[[resource]]
url = "/font.woff2"
type = "font"
size = 1200
parent = "/main.css"
[[resource]]
url = "/from-css.js"
type = "script"
size = 100
parent = "/imported.css"
[[resource]]
url = "/pixel.gif"
type = "image"
size = 50
parent = "/app.js"
discover_at = 2000
[[resource]]
url = "/chunk.js"
type = "script"
size = 400
parent = "/app.js"
[[resource]]
url = "/data.json"
type = "other"
size = 100
parent = "/app.js"
)";

TEST(PageSiteTest, EveryKindOfReferenceSitsAtItsOffset) {
  Scenario s = LoadScenarioText(kEveryKind, "every-kind.toml");
  // The parsing keys are set here (the loader does not read them yet).
  for (Resource& r : s.resources) {
    if (r.url == "http://cdn.example.net/lib.js") r.defer = true;
    if (r.url == "/late.js") r.blocking = true;
  }
  PageSite site = BuildPageSite(s);
  for (const std::string& w : site.warnings) ADD_FAILURE() << w;
  for (const Resource& r : s.resources) {
    if (r.type == ResourceType::kPreconnect) continue;
    ASSERT_NE(site.Find(r.url), nullptr) << r.url;
    EXPECT_EQ(site.Find(r.url)->body.size(), r.size_bytes) << r.url;
  }
  // Every reference ends at its discover_at (each is alone at its offset) or, for those
  // without one, within the group packed at the parent's end.
  for (const SiteReference& ref : site.references) {
    EXPECT_LE(ref.end, ref.target_end) << ref.child;
    EXPECT_LT(ref.begin, ref.end) << ref.child;
  }
  const std::string& html = site.Find("/index.html")->body;
  auto text = [&](const std::string& child) {
    const SiteReference* r = FindReference(site, child);
    return r == nullptr ? std::string("(none)") : html.substr(r->begin, r->end - r->begin);
  };
  EXPECT_EQ(FindReference(site, "http://cdn.example.net")->end, 400u);
  EXPECT_EQ(text("http://cdn.example.net"),
            "<link rel=preconnect href=\"http://cdn.example.net\">");
  EXPECT_EQ(FindReference(site, "/main.css")->end, 1000u);
  EXPECT_EQ(FindReference(site, "/print.css")->end, 1500u);
  EXPECT_EQ(text("/print.css"), "<link rel=stylesheet href=\"/print.css\" media=print>");
  // The first image ends at 3000 and <body> (with one element per CSS image and font: bg.png
  // is resource 9, font.woff2 resource 10) comes right before it.
  EXPECT_EQ(FindReference(site, "/hero.jpg")->end, 3000u);
  const std::string body = "<body><p>waterfall</p><i class=w9></i><i class=w10>x</i>";
  EXPECT_EQ(html.substr(FindReference(site, "/hero.jpg")->begin - body.size(), body.size()), body);
  // The three scripts are packed at the end (6000), in scenario order.
  EXPECT_EQ(text("/app.js"), "<script async src=\"/app.js\"></script>");
  EXPECT_EQ(text("http://cdn.example.net/lib.js"),
            "<script defer src=\"http://cdn.example.net/lib.js\"></script>");
  EXPECT_EQ(text("/late.js"), "<script src=\"/late.js\"></script>");
  EXPECT_EQ(FindReference(site, "/late.js")->end, 6000u);
  EXPECT_EQ(FindReference(site, "http://cdn.example.net/lib.js")->end,
            FindReference(site, "/late.js")->begin);
  // main.css: the @import at 600, then the image and font rules at its end (3000).
  const std::string& css = site.Find("/main.css")->body;
  const SiteReference* imp = FindReference(site, "/imported.css");
  EXPECT_EQ(imp->end, 600u);
  EXPECT_EQ(css.substr(imp->begin, imp->end - imp->begin), "@import url(/imported.css);");
  EXPECT_EQ(css.substr(0, 2), "/*");  // only a comment may come before an @import
  EXPECT_EQ(FindReference(site, "/font.woff2")->end, 3000u);
  EXPECT_NE(css.find(".w9{display:block;width:1px;height:1px;background-image:url(/bg.png)}"),
            std::string::npos);
  // from-css.js (a script under imported.css) is inserted by main.css's <link onload>.
  EXPECT_NE(text("/main.css").find("{src:'/from-css.js'}"), std::string::npos);
  // app.js busy-waits 25 ms, then inserts pixel.gif (at 2000) and its other children (end).
  const std::string& js = site.Find("/app.js")->body;
  EXPECT_EQ(js.find("{const t=performance.now();while(performance.now()-t<25"), 0u);
  const SiteReference* pixel = FindReference(site, "/pixel.gif");
  EXPECT_EQ(pixel->end, 2000u);
  EXPECT_EQ(js.substr(pixel->begin, pixel->end - pixel->begin), "new Image().src='/pixel.gif';");
  EXPECT_EQ(FindReference(site, "/data.json")->end, 4000u);
  EXPECT_EQ(js.substr(FindReference(site, "/data.json")->begin), "fetch('/data.json');");
}

TEST(PageSiteTest, BodyStartsAtHeadBytesAndHttpsRewritesOtherOrigins) {
  Scenario s = LoadScenarioText(kEveryKind, "every-kind.toml");
  s.resources[0].head_bytes = 2000;
  PageSiteOptions options;
  options.scheme = "https";
  PageSite site = BuildPageSite(s, options);
  const std::string& html = site.Find("/index.html")->body;
  EXPECT_EQ(html.find("<body>"), 2000u);
  EXPECT_NE(html.find("<link rel=preconnect href=\"https://cdn.example.net\">"), std::string::npos);
  EXPECT_NE(html.find("src=\"https://cdn.example.net/lib.js\""), std::string::npos);
  EXPECT_EQ(html.size(), 6000u);
}

TEST(PageSiteTest, ATooSmallFileIsReported) {
  Scenario s = LoadScenarioText(kEveryKind, "every-kind.toml");
  // 100 bytes cannot hold the head (48 bytes) and the document's nine tags.
  s.resources[0].size_bytes = 100;
  for (Resource& r : s.resources)
    if (r.parent == "/index.html") r.discover_at_bytes.reset();
  PageSite site = BuildPageSite(s);
  EXPECT_FALSE(site.warnings.empty());
}

}  // namespace
}  // namespace waterfall
