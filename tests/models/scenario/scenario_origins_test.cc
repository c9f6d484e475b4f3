// The multi-origin part of the scenario format (docs/scenario-format.md, "Origins and DNS"):
// [[origin]], [dns], absolute resource URLs and their canonical form, preconnect rows,
// server.preconnect, client.dns_cache, push's same-origin rule, origin[URL].KEY overrides, and
// that files without any of it load exactly as before.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "models/page/page_graph.h"
#include "models/scenario/scenario_loader.h"
#include "models/scenario/scenario_overrides.h"
#include "tests/support/scenario_text.h"
#include "tests/support/text_file.h"

namespace waterfall {
namespace {

constexpr const char* kFile = testing::kScenarioFile;

using testing::ErrorOf;
using testing::Load;

// The document (4 lines).
const std::string kDoc = "[[resource]]\nurl = \"/index.html\"\ntype = \"document\"\nsize = 14000\n";

// Two origins (lines 1-8; a key appended goes to cdn.example.net's [[origin]]).
const std::string kTwoOriginsHead = R"(name = "two-origins"
[network]
rtt_ms = 100
[[origin]]
url = "http://www.example.com"
[[origin]]
url = "http://cdn.example.net"
rtt_ms = 20
)";
// And the document on the first: lines 1-12.
const std::string kTwoOrigins = kTwoOriginsHead + kDoc;

// A [[resource]] child of the document (5 lines, then `extra`).
std::string Res(const std::string& url, const std::string& type = "script",
                const std::string& extra = "") {
  return "[[resource]]\nurl = \"" + url + "\"\ntype = \"" + type +
         "\"\nsize = 1000\nparent = \"/index.html\"\n" + extra;
}

// A preconnect row (4 lines, then `extra`).
std::string Preconnect(const std::string& origin, const std::string& extra = "") {
  return "[[resource]]\nurl = \"" + origin +
         "\"\ntype = \"preconnect\"\nparent = \"/index.html\"\n" + extra;
}

// Everything a resource is, on one line, for comparing pages.
std::string Describe(const Resource& r) {
  std::ostringstream o;
  o << r.url << ' ' << ToString(r.type) << ' ' << r.size_bytes << ' ' << r.parent << ' '
    << (r.discover_at_bytes ? static_cast<int64_t>(*r.discover_at_bytes) : -1) << ' '
    << r.process_ms << ' ' << r.think_ms << ' ' << r.render_blocking << ' ' << ToString(r.fault)
    << ' ' << r.fault_after_bytes;
  return o.str();
}

// The page, its origins and every URL list, for comparing two loads of one page.
std::string Page(const Scenario& s) {
  std::ostringstream o;
  for (const Resource& r : s.resources) o << Describe(r) << '\n';
  for (const Origin& g : s.origins) {
    o << g.key << ' ' << g.rtt_ms << ' ' << g.dns_ms << ' ' << g.think_ms << ' ' << g.speaks_h2
      << g.speaks_http11 << ' ' << g.address << '\n';
  }
  auto list = [&](const char* name, const std::vector<std::string>& urls) {
    o << name << ':';
    for (const std::string& u : urls) o << ' ' << u;
    o << '\n';
  };
  list("push", s.PushSet());
  list("hints", s.HintSet());
  list("preload", s.server.preload);
  list("preconnect", s.server.preconnect);
  list("cache", s.client.cache);
  list("dns_cache", s.client.dns_cache);
  o << s.dns.enabled << ' ' << s.dns.resolver_rtt_ms << ' ' << s.network.rtt_ms;
  return o.str();
}

// ---- Files without the new keys ---------------------------------------------------------------

TEST(ScenarioOrigins, AFileWithoutOriginsHasTheOneImplicitOriginAtTheNetworkRtt) {
  const Scenario s = Load("name = \"t\"\n[network]\nrtt_ms = 37\n" + kDoc);
  ASSERT_EQ(s.origins.size(), 1u);
  EXPECT_EQ(s.origins[0].key, ScenarioOrigin());
  EXPECT_EQ(s.origins[0].rtt_ms, 37);
  EXPECT_EQ(s.origins[0].dns_ms, 0);
  EXPECT_EQ(s.origins[0].think_ms, 0);
  EXPECT_TRUE(s.origins[0].speaks_h2 && s.origins[0].speaks_http11);
  EXPECT_EQ(s.origins[0].address, "");
  EXPECT_FALSE(s.dns.enabled);
  EXPECT_EQ(s.DocumentOrigin(), ScenarioOrigin());
}

TEST(ScenarioOrigins, EveryShippedScenarioLoadsAsWithTheEquivalentExplicitOrigin) {
  const std::string implicit_origin = "\n[[origin]]\nurl = \"http://waterfall.test\"\n";
  size_t checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(WATERFALL_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    const std::string text = waterfall::testing::Slurp(entry.path());
    // The scenarios written before origins existed (those with [[origin]] or https are new).
    if (text.find("[[origin]]") != std::string::npos) continue;
    if (text.find("scheme = \"https\"") != std::string::npos) continue;
    const Scenario plain = Load(text);
    ASSERT_EQ(plain.origins.size(), 1u);
    EXPECT_EQ(plain.origins[0].key, ScenarioOrigin());
    EXPECT_EQ(plain.origins[0].rtt_ms, plain.network.rtt_ms);
    EXPECT_FALSE(plain.dns.enabled);
    for (const Resource& r : plain.resources) EXPECT_EQ(r.url[0], '/') << r.url;
    // The same page with [[origin]] written out (appended: an array of tables may come last).
    EXPECT_EQ(Page(Load(text + implicit_origin)), Page(plain));
    ++checked;
  }
  EXPECT_GE(checked, 10u);  // scenarios/ has ten files today
}

TEST(ScenarioOrigins, AnAbsoluteUrlOnTheDocumentsOriginIsItsPath) {
  const std::string paths = "name = \"t\"\n[[origin]]\nurl = \"http://waterfall.test\"\n" + kDoc +
                            Res("/a.js") +
                            "[[resource]]\nurl = \"/b.js\"\ntype = \"script\"\nsize = 5\n"
                            "parent = \"/a.js\"\n";
  const std::string absolute =
      "name = \"t\"\n[[origin]]\nurl = \"http://waterfall.test\"\n"
      "[[resource]]\nurl = \"http://waterfall.test/index.html\"\ntype = \"document\"\nsize = "
      "14000\n" +
      Res("HTTP://Waterfall.test:80/a.js") +
      "[[resource]]\nurl = \"http://waterfall.test/b.js\"\ntype = \"script\"\nsize = 5\n"
      "parent = \"http://waterfall.test/a.js\"\n";
  // Res gives every child parent = "/index.html", which is the absolute document's path.
  EXPECT_EQ(Page(Load(absolute)), Page(Load(paths)));
  EXPECT_EQ(Load(absolute).resources[1].url, "/a.js");
}

// ---- The issue's example ----------------------------------------------------------------------

const std::string kIssueExample = R"(name = "two-origins"
[network]
rtt_ms = 100
bandwidth_mbps = 10
[dns]
resolver_rtt_ms = 20
[[origin]]
url = "http://www.example.com"
rtt_ms = 100
dns_ms = 40
think_ms = 0
protocols = ["h2", "http/1.1"]
address = "192.0.2.10"
[[origin]]
url = "http://cdn.example.net"
rtt_ms = 20
[[resource]]
url = "/index.html"
type = "document"
size = 14000
[[resource]]
url = "http://cdn.example.net/app.js"
type = "script"
size = 30000
parent = "/index.html"
[[resource]]
url = "http://cdn.example.net"
type = "preconnect"
parent = "/index.html"
discover_at = 500
)";

TEST(ScenarioOrigins, TheIssuesExampleLoadsAsWritten) {
  const Scenario s = Load(kIssueExample);
  EXPECT_TRUE(s.dns.enabled);
  EXPECT_EQ(s.dns.resolver_rtt_ms, 20);
  ASSERT_EQ(s.origins.size(), 2u);
  EXPECT_EQ(s.origins[0].key.ToString(), "http://www.example.com");
  EXPECT_EQ(s.origins[0].dns_ms, 40);
  EXPECT_EQ(s.origins[0].address, "192.0.2.10");
  EXPECT_EQ(s.origins[1].key.ToString(), "http://cdn.example.net");
  EXPECT_EQ(s.origins[1].rtt_ms, 20);
  EXPECT_EQ(s.origins[1].address, "");
  EXPECT_EQ(s.DocumentOrigin(), s.origins[0].key);
  ASSERT_EQ(s.resources.size(), 3u);
  EXPECT_EQ(s.resources[0].url, "/index.html");
  EXPECT_EQ(s.resources[1].url, "http://cdn.example.net/app.js");
  EXPECT_EQ(s.UrlOf(s.resources[1].url).origin, s.origins[1].key);
  const Resource& pc = s.resources[2];
  EXPECT_EQ(pc.url, "http://cdn.example.net");
  EXPECT_EQ(pc.type, ResourceType::kPreconnect);
  EXPECT_EQ(pc.size_bytes, 0u);
  EXPECT_EQ(pc.discover_at_bytes, 500u);
  // The default push set is the same-origin children: none here. Hints: every child but the
  // preconnect.
  EXPECT_TRUE(s.PushSet().empty());
  EXPECT_EQ(s.HintSet(), std::vector<std::string>{"http://cdn.example.net/app.js"});
  EXPECT_EQ(PageGraphProblem(s), std::nullopt);
}

TEST(ScenarioOrigins, AnEmptyDnsTableTurnsLookupsOnWithTheDefaults) {
  const Scenario s = Load("name = \"t\"\n[dns]\n" + kDoc);
  EXPECT_TRUE(s.dns.enabled);
  EXPECT_EQ(s.dns.resolver_rtt_ms, 20);
  EXPECT_EQ(ErrorOf("name = \"t\"\n[dns]\nresolver_rtt_ms = -1\n" + kDoc),
            "test.toml:3:19: dns.resolver_rtt_ms: expected a number in [0, 10000], got -1");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[dns]\nresolver_rtt = 5\n" + kDoc),
            "test.toml:3:1: dns.resolver_rtt: unknown key; did you mean resolver_rtt_ms?");
}

TEST(ScenarioOrigins, OriginDefaultsComeFromTheNetworkAndTheOriginsOwnKeys) {
  const Scenario s = Load(kTwoOrigins);
  // www.example.com has no rtt_ms: network.rtt_ms (100). Both speak both protocols.
  EXPECT_EQ(s.origins[0].rtt_ms, 100);
  EXPECT_TRUE(s.origins[1].speaks_h2 && s.origins[1].speaks_http11);
  const Scenario h1 = Load(kTwoOrigins +
                           "[[origin]]\nurl = \"http://h1.example\"\n"
                           "protocols = [\"http/1.1\"]\n");
  EXPECT_FALSE(h1.origins[2].speaks_h2);
  EXPECT_TRUE(h1.origins[2].speaks_http11);
}

// ---- [[origin]] errors ------------------------------------------------------------------------

// kTwoOrigins with a third [[origin]] (from line 13: the header, then `body`).
std::string ThirdOrigin(const std::string& body) { return kTwoOrigins + "[[origin]]\n" + body; }

TEST(ScenarioOrigins, RejectsBadOriginUrls) {
  EXPECT_EQ(ErrorOf(ThirdOrigin("rtt_ms = 5\n")),
            "test.toml:13:1: origin[2].url: missing required key (scheme://host[:port])");
  EXPECT_EQ(ErrorOf(ThirdOrigin("url = \"ftp://files.example\"\n")),
            "test.toml:14:7: origin[2].url: the scheme must be http or https, got \"ftp\"");
  EXPECT_EQ(ErrorOf(ThirdOrigin("url = \"http://x.example/\"\n")),
            "test.toml:14:7: origin[2].url: expected an origin, scheme://host[:port] with no path "
            "(e.g. \"http://cdn.example.net\"), got \"http://x.example/\"; an origin has no path, "
            "not even \"/\"");
  EXPECT_EQ(ErrorOf(ThirdOrigin("url = \"cdn.example.net\"\n")),
            "test.toml:14:7: origin[2].url: expected an origin, scheme://host[:port] with no path "
            "(e.g. \"http://cdn.example.net\"), got \"cdn.example.net\"");
  EXPECT_EQ(ErrorOf(ThirdOrigin("url = 5\n")),
            "test.toml:14:7: origin[2].url: expected an origin string, got an integer (5)");
}

TEST(ScenarioOrigins, RejectsTwoOriginsWithOneUrl) {
  // Scheme and host are case-insensitive and :80 is http's default: the same origin.
  EXPECT_EQ(ErrorOf(ThirdOrigin("url = \"HTTP://CDN.example.net:80\"\n")),
            "test.toml:14:7: origin[2].url (\"HTTP://CDN.example.net:80\"): duplicate origin; "
            "origin[1] has the same url");
  // Another port is another origin.
  EXPECT_EQ(Load(ThirdOrigin("url = \"http://cdn.example.net:8080\"\n")).origins.size(), 3u);
}

TEST(ScenarioOrigins, RejectsMoreThanAThousandOrigins) {
  std::string text = "name = \"t\"\n";
  for (int i = 0; i <= 1000; ++i) {
    text += "[[origin]]\nurl = \"http://o" + std::to_string(i) + ".example\"\n";
  }
  EXPECT_EQ(ErrorOf(text + kDoc), "test.toml:2:1: origin: too many origins: 1001 (at most 1000)");
  EXPECT_EQ(ErrorOf("name = \"t\"\norigin = []\n" + kDoc),
            "test.toml:2:10: origin: no origins; declare at least one [[origin]], or remove the "
            "key for the one implicit origin (http://waterfall.test)");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[origin]\nurl = \"http://a.example\"\n" + kDoc),
            "test.toml:2:1: origin: expected an array of tables ([[origin]]), got a table");
}

TEST(ScenarioOrigins, RejectsBadProtocols) {
  const std::string url = "url = \"http://x.example\"\n";
  EXPECT_EQ(ErrorOf(ThirdOrigin(url + "protocols = [\"h2\", \"http/1\"]\n")),
            "test.toml:15:20: origin[2].protocols[1] (\"http://x.example\"): expected \"h2\" or "
            "\"http/1.1\", got \"http/1\"; did you mean \"http/1.1\"?");
  EXPECT_EQ(ErrorOf(ThirdOrigin(url + "protocols = []\n")),
            "test.toml:15:13: origin[2].protocols (\"http://x.example\"): expected at least one of "
            "\"h2\", \"http/1.1\" (what this server speaks)");
  EXPECT_EQ(ErrorOf(ThirdOrigin(url + "protocols = [\"h2\", \"h2\"]\n")),
            "test.toml:15:20: origin[2].protocols[1] (\"http://x.example\"): \"h2\" is listed "
            "twice");
  EXPECT_EQ(ErrorOf(ThirdOrigin(url + "protocols = \"h2\"\n")),
            "test.toml:15:13: origin[2].protocols (\"http://x.example\"): expected an array of "
            "strings, got a string (\"h2\")");
  EXPECT_EQ(ErrorOf(ThirdOrigin(url + "rtt_ms = -1\n")),
            "test.toml:15:10: origin[2].rtt_ms (\"http://x.example\"): expected a number in [0, "
            "10000], got -1");
  EXPECT_EQ(ErrorOf(ThirdOrigin(url + "rtt = 5\n")),
            "test.toml:15:1: origin[2].rtt (\"http://x.example\"): unknown key; did you mean "
            "rtt_ms?");
}

TEST(ScenarioOrigins, RejectsBadAddressesAndOneAddressWithTwoProtocolSetsOrTwoDistances) {
  const std::string url = "url = \"http://x.example\"\n";
  for (const char* bad : {"192.0.2", "192.0.2.256", "192.0.2.010", "192.0.2.1.5", "a.b.c.d", ""}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ErrorOf(ThirdOrigin(url + "address = \"" + bad + "\"\n")),
              "test.toml:15:11: origin[2].address (\"http://x.example\"): expected a dotted IPv4 "
              "address (e.g. \"192.0.2.10\"), got \"" +
                  std::string(bad) + "\"");
  }
  // cdn.example.net (rtt_ms 20) at 192.0.2.10 (line 9), x.example from line 10.
  const std::string shared = kTwoOriginsHead + "address = \"192.0.2.10\"\n[[origin]]\n" + url;
  const Scenario s = Load(shared + "address = \"192.0.2.10\"\nrtt_ms = 20\n" + kDoc);
  EXPECT_EQ(s.origins[0].address, "");
  EXPECT_EQ(s.origins[1].address, "192.0.2.10");
  EXPECT_EQ(s.origins[2].address, "192.0.2.10");
  EXPECT_EQ(ErrorOf(shared + "address = \"192.0.2.10\"\nprotocols = [\"http/1.1\"]\n" + kDoc),
            "test.toml:13:13: origin[2].protocols (\"http://x.example\"): [\"http/1.1\"] differs "
            "from origin[1] (\"http://cdn.example.net\"), which has the same address 192.0.2.10 "
            "and protocols = [\"h2\", \"http/1.1\"]: origins at one address are one server node, "
            "and over cleartext (no TLS, so no ALPN) that node cannot tell which protocol a "
            "connection speaks; give them the same protocols");
  // One node is at one distance: x.example without rtt_ms is at network.rtt_ms (100).
  EXPECT_EQ(ErrorOf(shared + "address = \"192.0.2.10\"\n" + kDoc),
            "test.toml:12:11: origin[2].address (\"http://x.example\"): rtt_ms = 100 differs "
            "from origin[1] (\"http://cdn.example.net\"), which has the same address 192.0.2.10 "
            "and rtt_ms = 20: origins at one address are one server node, at one distance; give "
            "them the same rtt_ms");
}

// ---- Resource URLs ----------------------------------------------------------------------------

TEST(ScenarioOrigins, RejectsAUrlOfAnUndeclaredOrigin) {
  EXPECT_EQ(ErrorOf(kTwoOrigins + Res("http://x.example/a.js")),
            "test.toml:14:7: resource[1].url: origin http://x.example is not declared in "
            "[[origin]]");
  EXPECT_EQ(ErrorOf("name = \"t\"\n" + kDoc + Res("http://cdn.example.net/a.js")),
            "test.toml:7:7: resource[1].url: origin http://cdn.example.net is not declared in "
            "[[origin]] (the scenario has no [[origin]], so every URL is a path on "
            "http://waterfall.test)");
  // https://cdn.example.net is another origin than http://cdn.example.net (scheme and port).
  EXPECT_EQ(ErrorOf(kTwoOrigins + Res("https://cdn.example.net/a.js")),
            "test.toml:14:7: resource[1].url: origin https://cdn.example.net is not declared in "
            "[[origin]]");
}

TEST(ScenarioOrigins, RejectsMalformedAbsoluteUrls) {
  EXPECT_EQ(ErrorOf(kTwoOrigins + Res("http://cdn.example.net")),
            "test.toml:14:7: resource[1].url: expected a URL path starting with '/' or an "
            "absolute URL with a path (scheme://host[:port]/path), got the origin "
            "\"http://cdn.example.net\"; a <link rel=preconnect> is type = \"preconnect\"");
  EXPECT_EQ(ErrorOf(kTwoOrigins + Res("http:///a.js")),
            "test.toml:14:7: resource[1].url: expected a URL path starting with '/' or an "
            "absolute URL (scheme://host[:port]/path), got \"http:///a.js\"");
  EXPECT_EQ(ErrorOf(kTwoOrigins + Res("http://cdn.example.net/a b.js")),
            "test.toml:14:7: resource[1].url: URL contains a space at byte 24 (spaces are not "
            "allowed; percent-encode it as %20): \"http://cdn.example.net/a b.js\"");
  EXPECT_EQ(
      ErrorOf(kTwoOrigins + Res("http://cdn.example.net/" + std::string(2030, 'a')))
          .rfind("test.toml:14:7: resource[1].url: URL is 2053 bytes long (at most 2048): ", 0),
      0u);
}

TEST(ScenarioOrigins, APathAndTheSameAbsoluteUrlAreOneResource) {
  EXPECT_EQ(ErrorOf(kTwoOrigins + Res("/a.js") + Res("http://www.example.com/a.js")),
            "test.toml:19:7: resource[2].url (\"http://www.example.com/a.js\"): duplicate url; "
            "resource[1] has the same url (\"http://www.example.com/a.js\" is \"/a.js\")");
  // On another origin the same path is another resource.
  const Scenario s = Load(kTwoOrigins + Res("/a.js") + Res("http://cdn.example.net/a.js"));
  EXPECT_EQ(s.resources[1].url, "/a.js");
  EXPECT_EQ(s.resources[2].url, "http://cdn.example.net/a.js");
}

TEST(ScenarioOrigins, ADocumentOnAnotherOriginKeepsItsAbsoluteUrlAndOwnsThePaths) {
  const std::string text = R"(name = "t"
[[origin]]
url = "http://cdn.example.net"
[[origin]]
url = "http://www.example.com"
[[resource]]
url = "/a.js"
type = "script"
size = 10
parent = "http://www.example.com/index.html"
[[resource]]
url = "http://www.example.com/index.html"
type = "document"
size = 100
[[resource]]
url = "http://cdn.example.net/b.js"
type = "script"
size = 10
parent = "/index.html"
)";
  const Scenario s = Load(text);
  EXPECT_EQ(s.DocumentOrigin().ToString(), "http://www.example.com");
  EXPECT_EQ(s.resources[0].url, "http://www.example.com/index.html");
  // "/a.js", written before the document, is on the document's origin; its parent and b.js's
  // ("/index.html") are the document.
  EXPECT_EQ(s.resources[1].url, "/a.js");
  EXPECT_EQ(s.resources[1].parent, "http://www.example.com/index.html");
  EXPECT_EQ(s.resources[2].parent, "http://www.example.com/index.html");
  EXPECT_EQ(s.UrlOf("/a.js").ToString(), "http://www.example.com/a.js");
  EXPECT_EQ(s.CanonicalUrl(*Url::Parse("http://www.example.com/index.html")),
            "http://www.example.com/index.html");
  EXPECT_EQ(s.PushSet(), std::vector<std::string>{"/a.js"});
  EXPECT_EQ(PageGraphProblem(s), std::nullopt);
}

TEST(ScenarioOrigins, AResourceWithoutThinkTimeTakesItsOrigins) {
  const std::string text = kTwoOriginsHead + "think_ms = 30\n" + kDoc +  // cdn.example.net's
                           Res("http://cdn.example.net/a.js") +
                           Res("http://cdn.example.net/b.js", "script", "think_ms = 5\n") +
                           Res("/c.js");
  const Scenario s = Load(text);
  EXPECT_EQ(s.resources[0].think_ms, 0);  // the document's is server.think_ms
  EXPECT_EQ(s.resources[1].think_ms, 30);
  EXPECT_EQ(s.resources[2].think_ms, 5);  // its own wins
  EXPECT_EQ(s.resources[3].think_ms, 0);  // www.example.com's default
}

// ---- Preconnect rows --------------------------------------------------------------------------

TEST(ScenarioOrigins, APreconnectIsAnOriginWithAParentAndNothingFetched) {
  const Scenario s = Load(kTwoOrigins + Preconnect("HTTP://cdn.example.net:80"));
  EXPECT_EQ(s.resources[1].url, "http://cdn.example.net");
  EXPECT_EQ(s.resources[1].parent, "/index.html");
  // Preconnect to the document's own origin is allowed (useless, as in HTML).
  EXPECT_EQ(Load(kTwoOrigins + Preconnect("http://www.example.com")).resources[1].url,
            "http://www.example.com");
}

TEST(ScenarioOrigins, RejectsPreconnectsThatAreNotOriginsOrSayWhatOnlyAFetchSays) {
  EXPECT_EQ(ErrorOf(kTwoOrigins + Preconnect("http://cdn.example.net/")),
            "test.toml:14:7: resource[1].url: expected an origin, scheme://host[:port] with no "
            "path (e.g. \"http://cdn.example.net\"), got \"http://cdn.example.net/\"; an origin "
            "has no path, not even \"/\"");
  EXPECT_EQ(ErrorOf(kTwoOrigins + Preconnect("/x")),
            "test.toml:14:7: resource[1].url: expected an origin, scheme://host[:port] with no "
            "path (e.g. \"http://cdn.example.net\"), got \"/x\"");
  EXPECT_EQ(ErrorOf(kTwoOrigins + Preconnect("http://x.example")),
            "test.toml:14:7: resource[1].url: origin http://x.example is not declared in "
            "[[origin]]");
  EXPECT_EQ(ErrorOf(kTwoOrigins + Preconnect("http://cdn.example.net", "size = 0\n")),
            "test.toml:17:8: resource[1].size (\"http://cdn.example.net\"): not allowed on a "
            "preconnect (it fetches nothing)");
  for (const char* key :
       {"process_ms = 1", "think_ms = 1", "render_blocking = true", "fault = \"reset\"",
        "fault_after_bytes = 0", "priority = \"high\"", "lcp = true"}) {
    SCOPED_TRACE(key);
    const std::string word = std::string(key).substr(0, std::string(key).find(' '));
    EXPECT_EQ(ErrorOf(kTwoOrigins + Preconnect("http://cdn.example.net", key + std::string("\n"))),
              "test.toml:17:" + std::to_string(word.size() + 4) + ": resource[1]." + word +
                  " (\"http://cdn.example.net\"): not allowed on a preconnect (it fetches "
                  "nothing: a connection to its origin, made when the parent's bytes up to "
                  "discover_at have arrived)");
  }
  EXPECT_EQ(ErrorOf(kTwoOrigins +
                    "[[resource]]\nurl = \"http://cdn.example.net\"\ntype = \"preconnect\"\n"),
            "test.toml:13:1: resource[1].parent (\"http://cdn.example.net\"): missing required "
            "key; every resource but the document needs a parent (the resource that references "
            "it)");
  EXPECT_EQ(ErrorOf(kTwoOrigins + Preconnect("http://cdn.example.net", "discover_at = 14001\n")),
            "test.toml:17:15: resource[1].discover_at (\"http://cdn.example.net\"): 14001 is "
            "beyond the end of the parent \"/index.html\"; expected an integer in [0, 14000] (the "
            "parent size)");
}

TEST(ScenarioOrigins, RejectsAPreconnectAsAParentOrInAUrlList) {
  EXPECT_EQ(ErrorOf(kTwoOrigins + Preconnect("http://cdn.example.net") +
                    "[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = 1\n"
                    "parent = \"http://cdn.example.net\"\n"),
            "test.toml:21:10: resource[2].parent (\"/a.js\"): \"http://cdn.example.net\" is a "
            "preconnect (a <link rel=preconnect> in its own parent), which references nothing; "
            "name the resource that references this one");
  const std::string page =
      "name = \"t\"\n"
      "[[origin]]\nurl = \"http://www.example.com\"\n"
      "[[origin]]\nurl = \"http://cdn.example.net\"\n"
      "[server]\nhints = [\"http://cdn.example.net\"]\n" +
      kDoc + Preconnect("http://cdn.example.net");
  EXPECT_EQ(ErrorOf(page),
            "test.toml:7:10: server.hints[0]: \"http://cdn.example.net\" is a preconnect, not a "
            "response; announce an origin in server.preconnect");
  EXPECT_EQ(
      ErrorOf(page, {{"server.hints", "[]"}, {"client.cache", "[\"http://cdn.example.net\"]"}}),
      "test.toml: client.cache[0]: \"http://cdn.example.net\" is a preconnect, not a "
      "response; list a host already resolved in client.dns_cache (from --set "
      "client.cache=[\"http://cdn.example.net\"])");
}

// ---- URL lists --------------------------------------------------------------------------------

// Two origins, [server] and [client] with `server` and `client` keys (lines 6-9), the document
// at line 10 and a child on each origin.
std::string WithLists(const std::string& server, const std::string& client = "") {
  return "name = \"t\"\n"
         "[[origin]]\nurl = \"http://www.example.com\"\n"
         "[[origin]]\nurl = \"http://cdn.example.net\"\n"
         "[server]\n" +
         server + "\n[client]\n" + client + "\n" + kDoc + Res("/a.js") +
         Res("http://cdn.example.net/b.js");
}

TEST(ScenarioOrigins, PushOnlyNamesTheDocumentsOriginAndHintsAnyOrigin) {
  EXPECT_EQ(ErrorOf(WithLists("push = [\"/a.js\", \"http://cdn.example.net/b.js\"]")),
            "test.toml:7:18: server.push[1]: HTTP/2 push is same-authority: "
            "http://cdn.example.net/b.js is on another origin than the document "
            "(http://www.example.com)");
  const Scenario s =
      Load(WithLists("push = [\"http://www.example.com/a.js\"]\n"
                     "hints = [\"/a.js\", \"http://cdn.example.net/b.js\"]\n"
                     "preload = [\"http://cdn.example.net/b.js\"]",
                     "cache = [\"http://www.example.com/index.html\"]"));
  EXPECT_EQ(*s.server.push, std::vector<std::string>{"/a.js"});
  EXPECT_EQ(*s.server.hints, (std::vector<std::string>{"/a.js", "http://cdn.example.net/b.js"}));
  EXPECT_EQ(s.server.preload, std::vector<std::string>{"http://cdn.example.net/b.js"});
  EXPECT_EQ(s.client.cache, std::vector<std::string>{"/index.html"});
  // The defaults: push the same-origin children, hint every child.
  const Scenario d = Load(WithLists(""));
  EXPECT_EQ(d.PushSet(), std::vector<std::string>{"/a.js"});
  EXPECT_EQ(d.HintSet(), (std::vector<std::string>{"/a.js", "http://cdn.example.net/b.js"}));
}

TEST(ScenarioOrigins, RejectsListEntriesOnUndeclaredOriginsAndTwoFormsOfOneUrl) {
  EXPECT_EQ(ErrorOf(WithLists("hints = [\"http://x.example/a.js\"]")),
            "test.toml:7:10: server.hints[0]: origin http://x.example is not declared in "
            "[[origin]]");
  EXPECT_EQ(ErrorOf(WithLists("preload = [\"/a.js\", \"http://www.example.com/a.js\"]")),
            "test.toml:7:21: server.preload[1]: \"/a.js\" is listed twice");
}

TEST(ScenarioOrigins, ServerPreconnectNamesDeclaredOriginsOnce) {
  const Scenario s = Load(WithLists("preconnect = [\"HTTP://CDN.example.net:80\"]"));
  EXPECT_EQ(s.server.preconnect, std::vector<std::string>{"http://cdn.example.net"});
  EXPECT_EQ(ErrorOf(WithLists("preconnect = [\"http://x.example\"]")),
            "test.toml:7:15: server.preconnect[0]: origin http://x.example is not declared in "
            "[[origin]]");
  EXPECT_EQ(ErrorOf(WithLists("preconnect = [\"http://cdn.example.net/b.js\"]")),
            "test.toml:7:15: server.preconnect[0]: expected an origin, scheme://host[:port] with "
            "no path (e.g. \"http://cdn.example.net\"), got \"http://cdn.example.net/b.js\"; an "
            "origin has no path, not even \"/\"");
  EXPECT_EQ(ErrorOf(WithLists("preconnect = [\"http://cdn.example.net\", "
                              "\"http://cdn.example.net:80\"]")),
            "test.toml:7:41: server.preconnect[1]: \"http://cdn.example.net\" is listed twice");
  EXPECT_EQ(ErrorOf(WithLists("preconnect = \"http://cdn.example.net\"")),
            "test.toml:7:14: server.preconnect: expected an array of URL strings, got a string "
            "(\"http://cdn.example.net\")");
}

TEST(ScenarioOrigins, ClientDnsCacheNamesHostsOfThePageOnce) {
  const Scenario s = Load(WithLists("", "dns_cache = [\"CDN.example.net\"]"));
  EXPECT_EQ(s.client.dns_cache, std::vector<std::string>{"cdn.example.net"});
  EXPECT_EQ(ErrorOf(WithLists("", "dns_cache = [\"http://cdn.example.net\"]")),
            "test.toml:9:14: client.dns_cache[0]: \"http://cdn.example.net\" is not the host of "
            "any origin of the page (a host name, without scheme or port; the page's hosts: "
            "www.example.com, cdn.example.net)");
  EXPECT_EQ(ErrorOf(WithLists("", "dns_cache = [\"cdn.example.net\", \"cdn.example.net\"]")),
            "test.toml:9:33: client.dns_cache[1]: \"cdn.example.net\" is listed twice");
  EXPECT_EQ(ErrorOf(WithLists("", "dns_cache = [5]")),
            "test.toml:9:14: client.dns_cache[0]: expected a string, got an integer (5)");
  // Without [[origin]], the one host is waterfall.test.
  EXPECT_EQ(Load("name = \"t\"\n[client]\ndns_cache = [\"waterfall.test\"]\n" + kDoc)
                .client.dns_cache.size(),
            1u);
}

// ---- Link headers with preconnect links -------------------------------------------------------

// n origins "http://oNNNN.preconnect.example" (31 bytes: 7 + 5 + 1 + 10 + 8), all announced
// in server.preconnect (line 2), with server.hints = `hints`, and the document.
std::string ManyPreconnects(int n, const std::string& hints) {
  std::string origins, list;
  char url[64];
  for (int i = 0; i < n; ++i) {
    std::snprintf(url, sizeof url, "http://o%04d.preconnect.example", i);
    origins += "[[origin]]\nurl = \"" + std::string(url) + "\"\n";
    list += (i ? ", \"" : "\"") + std::string(url) + "\"";
  }
  return "name = \"t\"\nserver.preconnect = [" + list + "]\nserver.hints = " + hints + "\n" +
         origins + kDoc;
}

TEST(ScenarioOrigins, PreconnectLinksCountInTheLinkHeaders) {
  // Each link is "<http://o0000.preconnect.example>; rel=preconnect": 1 + 31 + 1 + 16 = 49
  // bytes, plus ", " between links. 1000 links: 1000 * 51 - 2 = 50998 bytes, under both limits
  // (65365 on the 200, 65481 on the 103), so at kMaxOrigins short origins always fit; longer
  // ones do not: "http://o0000.ppp...(50).example" is 7 + 5 + 1 + 50 + 8 = 71 bytes, a link 89,
  // and 1000 of them 1000 * 91 - 2 = 90998 bytes.
  EXPECT_NO_THROW(Load(ManyPreconnects(1000, "[]")));
  std::string origins, list;
  const std::string pad(50, 'p');
  for (int i = 0; i < 1000; ++i) {
    char url[96];
    std::snprintf(url, sizeof url, "http://o%04d.%s.example", i, pad.c_str());
    origins += "[[origin]]\nurl = \"" + std::string(url) + "\"\n";
    list += (i ? ", \"" : "\"") + std::string(url) + "\"";
  }
  const std::string text =
      "name = \"t\"\nserver.preconnect = [" + list + "]\nserver.hints = []\n" + origins + kDoc;
  // The 200 is checked first: its other fields leave the link 65365 bytes (scenario_loader_test).
  EXPECT_EQ(ErrorOf(text),
            "test.toml:2:21: server.preconnect: the document's Link header would be 90998 bytes; "
            "the limit is 65365 (nghttp2 sends at most 65536 bytes of header fields per response, "
            "NGHTTP2_MAX_HEADERSLEN, counted as nghttp2_hd_deflate_bound does); announce fewer "
            "origins");
}

// Two origins, `server` keys (line 7), server.preconnect = [cdn] (line 8), the document and n
// image children "/i/00000.png" (each preload link "</i/00000.png>; rel=preload; as=image", 37
// bytes, and ", " between links); LIST in `server` stands for the n children's URLs.
std::string ChildrenAndPreconnect(int n, std::string server) {
  std::string children, list = "[";
  char url[32];
  for (int i = 0; i < n; ++i) {
    std::snprintf(url, sizeof url, "/i/%05d.png", i);
    children += "[[resource]]\nurl = \"" + std::string(url) +
                "\"\ntype = \"image\"\nsize = 1\nparent = \"/index.html\"\n";
    list += (i ? ", \"" : "\"") + std::string(url) + "\"";
  }
  if (const size_t at = server.find("LIST"); at != std::string::npos) {
    server.replace(at, 4, list + "]");
  }
  return "name = \"t\"\n[[origin]]\nurl = \"http://www.example.com\"\n[[origin]]\n"
         "url = \"http://cdn.example.net\"\n[server]\n" +
         server + "\npreconnect = [\"http://cdn.example.net\"]\n" + kDoc + children;
}

TEST(ScenarioOrigins, PreconnectLinksFollowTheHintsAndPreloadsInTheirLinkField) {
  // The preconnect link adds ", <http://cdn.example.net>; rel=preconnect": 2 + 1 + 22 + 1 + 16
  // = 42 bytes. 1679 hints are 1679 * 39 - 2 = 65479 bytes, within the 103's 65481
  // (scenario_loader_test); with the preconnect link, 65521.
  EXPECT_EQ(ErrorOf(ChildrenAndPreconnect(1679, "hints = LIST")),
            "test.toml:7:9: server.hints: the 103's Link header would be 65521 bytes; the limit is "
            "65481 (nghttp2 sends at most 65536 bytes of header fields per response, "
            "NGHTTP2_MAX_HEADERSLEN, counted as nghttp2_hd_deflate_bound does) (including "
            "server.preconnect's links); hint fewer URLs");
  // 1678 hints: 65440 + 42 = 65482, still one byte over; 1677: 65401 + 42 = 65443 fits.
  EXPECT_NE(ErrorOf(ChildrenAndPreconnect(1678, "hints = LIST")), "");
  EXPECT_NO_THROW(Load(ChildrenAndPreconnect(1677, "hints = LIST")));
  // The 200: 1676 preloads are 65362 bytes (limit 65365); with the preconnect link 65404.
  EXPECT_EQ(ErrorOf(ChildrenAndPreconnect(1676, "hints = []\npreload = LIST")),
            "test.toml:8:11: server.preload: the document's Link header would be 65404 bytes; the "
            "limit is 65365 (nghttp2 sends at most 65536 bytes of header fields per response, "
            "NGHTTP2_MAX_HEADERSLEN, counted as nghttp2_hd_deflate_bound does); preload fewer URLs "
            "or announce fewer origins (server.preconnect)");
}

// ---- Overrides --------------------------------------------------------------------------------

TEST(ScenarioOrigins, OverridesAnOriginByItsUrl) {
  const Scenario s = Load(kTwoOrigins, {ParseOverride("origin[http://cdn.example.net].rtt_ms=50"),
                                        ParseOverride("origin[HTTP://WWW.example.com:80].dns_ms=7"),
                                        ParseOverride("dns.resolver_rtt_ms=15")});
  EXPECT_EQ(s.origins[1].rtt_ms, 50);
  EXPECT_EQ(s.origins[0].dns_ms, 7);
  EXPECT_TRUE(s.dns.enabled);  // setting a [dns] key makes the table, which turns DNS on
  EXPECT_EQ(s.dns.resolver_rtt_ms, 15);
}

TEST(ScenarioOrigins, RejectsOverridesOfUnknownOriginsAndKeys) {
  EXPECT_EQ(ErrorOf(kTwoOrigins, {ParseOverride("origin[http://x.example].rtt_ms=5")}),
            "test.toml: origin[http://x.example].rtt_ms: no origin has url \"http://x.example\"; "
            "the origins are: http://www.example.com, http://cdn.example.net (from --set "
            "origin[http://x.example].rtt_ms=5)");
  EXPECT_EQ(ErrorOf(kTwoOrigins, {ParseOverride("origin[http://cdn.example.net].rtt_ms=-5")}),
            "test.toml: origin[1].rtt_ms (\"http://cdn.example.net\"): expected a number in [0, "
            "10000], got -5 (from --set origin[http://cdn.example.net].rtt_ms=-5)");
  EXPECT_EQ(ErrorOf(kTwoOrigins, {ParseOverride("origin[http://cdn.example.net].rtt=5")}),
            "test.toml: origin[1].rtt (\"http://cdn.example.net\"): unknown key; did you mean "
            "rtt_ms? (from --set origin[http://cdn.example.net].rtt=5)");
  EXPECT_EQ(ClosestScenarioKey("origin[http://cdn.example.net].rtt_sm"),
            "origin[http://cdn.example.net].rtt_ms");
  EXPECT_EQ(ClosestScenarioKey("dns.resolver_rtt"), "dns.resolver_rtt_ms");
  EXPECT_EQ(ClosestScenarioKey("server.preconect"), "server.preconnect");
  try {
    ParseOverride("origin.rtt_ms=5");
    ADD_FAILURE() << "parsed";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(),
                 "--set origin.rtt_ms=5: origin.rtt_ms: malformed key; origins are an array, so "
                 "set an origin field as origin[URL].KEY, e.g. origin[http://cdn.example.net]."
                 "rtt_ms");
  }
  // Without [[origin]] there is nothing to override.
  EXPECT_EQ(
      ErrorOf("name = \"t\"\n" + kDoc, {ParseOverride("origin[http://waterfall.test].rtt_ms=5")}),
      "test.toml: origin[http://waterfall.test].rtt_ms: no origin has url "
      "\"http://waterfall.test\"; the scenario declares no [[origin]] (from --set "
      "origin[http://waterfall.test].rtt_ms=5)");
}

TEST(ScenarioOrigins, TheFuzzersMultiOriginSeedLoadsWithItsOverrides) {
  // fuzz/seeds/origins.bin: TOML, then NUL-separated --set arguments (scenario_loader_fuzzer.cc).
  const std::string seed =
      waterfall::testing::Slurp(std::string(WATERFALL_SOURCE_DIR) + "/fuzz/seeds/origins.bin");
  const size_t toml_end = seed.find('\0');
  ASSERT_NE(toml_end, std::string::npos);
  std::vector<Override> overrides;
  for (size_t start = toml_end + 1; start <= seed.size();) {
    const size_t end = std::min(seed.find('\0', start), seed.size());
    overrides.push_back(ParseOverride(seed.substr(start, end - start)));
    start = end + 1;
  }
  const Scenario s = Load(seed.substr(0, toml_end), overrides);
  EXPECT_EQ(s.origins.size(), 3u);
  EXPECT_EQ(s.origins[1].rtt_ms, 50);  // from the override
  EXPECT_EQ(s.dns.resolver_rtt_ms, 5);
  EXPECT_EQ(s.resources[1].url, "/a.css");
  EXPECT_EQ(s.resources[2].think_ms, 5);  // cdn.example.net's think_ms
  EXPECT_EQ(s.resources[3].url, "http://static.example.com:8080");
  EXPECT_EQ(PageGraphProblem(s), std::nullopt);
}

// ---- The page graph without a file ------------------------------------------------------------

TEST(ScenarioOrigins, ThePageGraphRulesSeeOriginsInAScenarioBuiltInCode) {
  Scenario s =
      Load(kTwoOrigins + Res("http://cdn.example.net/a.js") + Preconnect("http://cdn.example.net"));
  EXPECT_EQ(PageGraphProblem(s), std::nullopt);
  Scenario pushed = s;
  pushed.server.push = std::vector<std::string>{"http://cdn.example.net/a.js"};
  EXPECT_EQ(PageGraphProblem(pushed),
            "server.push[0]: HTTP/2 push is same-authority: http://cdn.example.net/a.js is on "
            "another origin than the document (http://www.example.com)");
  Scenario child = s;
  child.resources[1].parent = "http://cdn.example.net";
  EXPECT_EQ(PageGraphProblem(child),
            "resource[1].parent (\"http://cdn.example.net/a.js\"): \"http://cdn.example.net\" is "
            "a preconnect (a <link rel=preconnect> in its own parent), which references nothing; "
            "name the resource that references this one");
}

}  // namespace
}  // namespace waterfall
