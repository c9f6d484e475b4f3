// The HAR importer (models/har/har_import.h): every rule of docs/har-import.md on a HAR written
// here for it, and two real extracts (tests/data/har/, cut from ../shared/har/); every imported
// scenario goes through the real loader (LoadScenarioText).
#include "models/har/har_import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "models/scenario/scenario_loader.h"

namespace waterfall {
namespace {

using Json = nlohmann::json;

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(WATERFALL_SOURCE_DIR) + "/tests/data/har/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One entry: starts `at_ms` after 12:00:00.000, with the timings given (-1: n/a).
Json MakeEntry(const std::string& url, double at_ms, Json timings, double transfer = 1000,
               int status = 200, const std::string& version = "http/1.1") {
  char when[64];
  std::snprintf(when, sizeof when, "2020-01-01T12:00:%06.3fZ", at_ms / 1000);
  return Json{{"pageref", "page_1"},
              {"startedDateTime", when},
              {"request", {{"method", "GET"}, {"url", url}}},
              {"response",
               {{"status", status},
                {"httpVersion", version},
                {"_transferSize", transfer},
                {"bodySize", -1},
                {"content", {{"size", 5}, {"mimeType", ""}}}}},
              {"timings", timings}};
}

Json Timings(double dns, double connect, double ssl, double wait, double receive) {
  return Json{{"blocked", -1}, {"dns", dns},   {"connect", connect}, {"ssl", ssl},
              {"send", 0},     {"wait", wait}, {"receive", receive}};
}

Json MakeHar(Json entries, double onload = 100000) {
  return Json{{"log",
               {{"version", "1.2"},
                {"creator", {{"name", "test"}, {"version", "1"}}},
                {"pages",
                 {{{"id", "page_1"},
                   {"title", "t"},
                   {"startedDateTime", "2020-01-01T12:00:00.000Z"},
                   {"pageTimings", {{"onLoad", onload}}}}}},
                {"entries", entries}}}};
}

struct Loaded {
  HarImportResult imported;
  Scenario scenario;
};

Loaded Import(const Json& har, HarImportOptions options = {}) {
  Loaded l{ImportHar(har.dump(), options), {}};
  l.scenario = LoadScenarioText(l.imported.toml, "imported.toml");
  return l;
}

const Resource& Find(const Scenario& s, const std::string& url) {
  const Resource* r = s.Find(url);
  if (!r) throw std::runtime_error("no resource " + url);
  return *r;
}

TEST(HarImport, CnnExtractRedirectChainAndStreamingDiscovery) {
  HarImportOptions options;
  options.source_name = "cnn-first6.har";
  Loaded l{ImportHar(ReadData("cnn-first6.har"), options), {}};
  l.scenario = LoadScenarioText(l.imported.toml, "cnn.toml");
  const Scenario& s = l.scenario;
  ASSERT_EQ(s.resources.size(), 6u);
  EXPECT_EQ(s.resources[0].url, "/");  // http://cnn.com/, the 301, is the document
  EXPECT_EQ(s.origins[0].key.ToString(), "http://cnn.com");
  // cnn.com's one sample: connect 34.424, ssl -1 -> 34.4; dns 40.307 -> 40.3.
  EXPECT_DOUBLE_EQ(s.origins[0].rtt_ms, 34.4);
  EXPECT_DOUBLE_EQ(s.origins[0].dns_ms, 40.3);
  EXPECT_TRUE(s.dns.enabled);
  EXPECT_DOUBLE_EQ(s.dns.resolver_rtt_ms, 0);
  // The redirects: 301 -> www.cnn.com (302) -> edition.cnn.com, each the child of the 3xx,
  // discovered at its end; the chain's HTML is render blocking.
  const Resource& www = Find(s, "http://www.cnn.com/");
  EXPECT_EQ(www.parent, "/");
  EXPECT_FALSE(www.discover_at_bytes.has_value());
  const Resource& edition = Find(s, "http://edition.cnn.com/");
  EXPECT_EQ(edition.parent, "http://www.cnn.com/");
  EXPECT_TRUE(edition.render_blocking);
  EXPECT_EQ(edition.size_bytes, 36435u);  // _transferSize
  // The 301 ends at 02.550 + 2.476 + 40.307 + 34.424 + 0.070 + 33.557 + 0.744 = 02.661578; the
  // 302 starts at 02.662: a gap of 0.422 ms -> process_ms 0.4 on the document.
  EXPECT_DOUBLE_EQ(s.resources[0].process_ms, 0.4);
  // global.css starts at 02.846; edition's body arrives from 02.771 + 0.670 + 3.890 + 33.689 +
  // 0.087 + 33.635 = 02.842971 for 44.935 ms: (2.846 - 2.842971) / 44.935 = 0.06741 of 36435
  // bytes = 2456.
  const Resource& css = Find(s, "http://edition.cnn.com/css/2.48.2/global.css");
  EXPECT_EQ(css.parent, "http://edition.cnn.com/");
  ASSERT_TRUE(css.discover_at_bytes.has_value());
  EXPECT_EQ(*css.discover_at_bytes, 2456u);
  EXPECT_EQ(css.type, ResourceType::kStyle);  // text/css
  EXPECT_EQ(Find(s,
                 "http://edition.i.cdn.cnn.com/.a/bundles/cnn-header.bb0d864591f5bdfc609e-"
                 "first-bundle.js")
                .type,
            ResourceType::kScript);  // application/javascript
  // _priority: "VeryHigh" on the HTML and the stylesheet, "High" on the script (the sixth entry).
  EXPECT_EQ(s.resources[0].priority, LoadPriority::kVeryHigh);
  EXPECT_EQ(css.priority, LoadPriority::kVeryHigh);
  EXPECT_EQ(Find(s,
                 "http://edition.i.cdn.cnn.com/.a/bundles/cnn-header.bb0d864591f5bdfc609e-"
                 "first-bundle.js")
                .priority,
            LoadPriority::kHigh);
  EXPECT_NE(l.imported.toml.find("# capture tool: Chrome HAR Capturer 0.10.3"), std::string::npos);
  EXPECT_EQ(l.imported.report.redirect_children, 2u);
}

TEST(HarImport, MitmproxyExtractCacheHttp2AndH3) {
  Loaded l{ImportHar(ReadData("mitmproxy-first4.har"), {}), {}};
  l.scenario = LoadScenarioText(l.imported.toml, "m.toml");
  const Scenario& s = l.scenario;
  // The document is a 304 and the next entries are _fromCache "memory": all in client.cache.
  ASSERT_FALSE(s.client.cache.empty());
  EXPECT_EQ(s.client.cache[0], "/");
  EXPECT_EQ(s.origins[0].key.ToString(), "https://mitmproxy.org");
  EXPECT_TRUE(s.origins[0].speaks_h2);                              // http/2.0
  EXPECT_EQ(Find(s, "/style.min.css").type, ResourceType::kStyle);  // _resourceType stylesheet
}

TEST(HarImport, ChromesPriorityBecomesTheResourcesPriorityKey) {
  Json entries = Json::array();
  const Json t = Timings(-1, -1, -1, 10, 1);
  entries.push_back(MakeEntry("http://a.example/", 0, t));
  entries.back()["_priority"] = "VeryHigh";
  entries.push_back(MakeEntry("http://a.example/a.png", 20, t));
  entries.back()["_priority"] = "VeryLow";
  entries.push_back(MakeEntry("http://a.example/b.js", 30, t));
  entries.back()["_priority"] = "Highest";  // not one of Chrome's five names: left out
  entries.push_back(MakeEntry("http://a.example/c.js", 40, t));  // no _priority
  const Loaded l = Import(MakeHar(entries));
  EXPECT_NE(l.imported.toml.find("priority = \"very-high\"\n"), std::string::npos);
  EXPECT_NE(l.imported.toml.find("priority = \"very-low\"\n"), std::string::npos);
  EXPECT_EQ(l.scenario.resources[0].priority, LoadPriority::kVeryHigh);
  EXPECT_EQ(Find(l.scenario, "/a.png").priority, LoadPriority::kVeryLow);
  EXPECT_EQ(Find(l.scenario, "/b.js").priority, std::nullopt);
  EXPECT_EQ(Find(l.scenario, "/c.js").priority, std::nullopt);
}

TEST(HarImport, OriginsRttDnsAndProtocols) {
  Json entries = Json::array();
  // a.example: samples 30 and 50 (connect 60 - ssl 30, connect 50) -> median 40; dns 10 and 20
  // -> 15; h2.
  entries.push_back(
      MakeEntry("https://a.example/", 0, Timings(10, 60, 30, 45, 5), 1000, 200, "h2"));
  entries.push_back(
      MakeEntry("https://a.example/x.js", 200, Timings(20, 50, -1, 40, 5), 1000, 200, "h2"));
  // The same host on another port: another origin, no sample -> the page's median of 30, 50
  // and 70 = 50; "spdy" is h2.
  entries.push_back(MakeEntry("https://a.example:8443/y.css", 300, Timings(-1, -1, -1, 80, 5), 1000,
                              200, "spdy"));
  // b.example: sample 70, HTTP/1.1 only; wait 100 -> think 100 - 70 = 30.
  entries.push_back(MakeEntry("http://b.example/z.png", 400, Timings(-1, 70, -1, 100, 5)));
  // c.example: h3 is written as h2.
  entries.push_back(
      MakeEntry("https://c.example/f.woff2", 500, Timings(-1, -1, -1, 1, 1), 1000, 200, "h3"));
  Loaded l = Import(MakeHar(entries));
  const Scenario& s = l.scenario;
  ASSERT_EQ(s.origins.size(), 4u);
  EXPECT_EQ(s.origins[0].key.ToString(), "https://a.example");
  EXPECT_DOUBLE_EQ(s.origins[0].rtt_ms, 40);
  EXPECT_DOUBLE_EQ(s.origins[0].dns_ms, 15);
  EXPECT_TRUE(s.origins[0].speaks_h2);
  EXPECT_EQ(s.origins[1].key.ToString(), "https://a.example:8443");
  EXPECT_DOUBLE_EQ(s.origins[1].rtt_ms, 50);
  EXPECT_TRUE(s.origins[1].speaks_h2);
  EXPECT_DOUBLE_EQ(s.origins[2].rtt_ms, 70);
  EXPECT_FALSE(s.origins[2].speaks_h2);
  EXPECT_TRUE(s.origins[3].speaks_h2);
  EXPECT_NE(l.imported.toml.find("HTTP/3 is not simulated yet"), std::string::npos);
  EXPECT_DOUBLE_EQ(Find(s, "http://b.example/z.png").think_ms, 30);
  EXPECT_EQ(Find(s, "http://b.example/z.png").type, ResourceType::kImage);  // .png
  EXPECT_EQ(Find(s, "https://c.example/f.woff2").type, ResourceType::kFont);
  // The document's think: wait 45 - rtt 40 = 5.
  EXPECT_DOUBLE_EQ(s.server.think_ms, 5);
}

TEST(HarImport, SizesInitiatorsOrphansAndProcessMs) {
  Json t = Timings(-1, -1, -1, 0, 100);  // body arrives over [start, start + 100 ms]
  Json entries = Json::array();
  entries.push_back(MakeEntry("http://a.example/", 0, t, 10000));
  // Object form with a url; starts 25 ms into the document's 100 ms: discover_at 2500.
  Json e1 = MakeEntry("http://a.example/app.js", 25, t, 500);
  e1["_initiator"] = {{"type", "parser"}, {"url", "http://a.example/"}};
  entries.push_back(e1);
  // Script stack: frames without url, the parent stack's frame names app.js. app.js's body
  // arrives over [25, 125]; lazy.png starts at 155, b.css at 260: the smallest gap, 30 ms, is
  // app.js's process_ms. Negative _transferSize: bodySize 700.
  Json e2 = MakeEntry("http://a.example/lazy.png", 155, t, -1);
  e2["response"]["bodySize"] = 700;
  e2["_initiator"] = {
      {"type", "script"},
      {"stack",
       {{"callFrames", Json::array({{{"url", ""}}})},
        {"parent", {{"callFrames", Json::array({{{"url", "http://a.example/app.js"}}})}}}}}};
  entries.push_back(e2);
  // chrome-har's string form is empty, _initiator_detail names app.js; no size but content.size.
  Json e3 = MakeEntry("http://a.example/b.css", 260, t, -1);
  e3["_initiator"] = "";
  e3["_initiator_detail"] = R"({"type":"parser","url":"http://a.example/app.js"})";
  entries.push_back(e3);
  // An initiator never imported: an orphan, attached to the document.
  Json e4 = MakeEntry("http://a.example/o.gif", 270, t);
  e4["_initiator"] = "http://elsewhere.example/x.js";
  entries.push_back(e4);
  Loaded l = Import(MakeHar(entries));
  const Scenario& s = l.scenario;
  const Resource& app = Find(s, "/app.js");
  EXPECT_EQ(app.parent, "/");
  ASSERT_TRUE(app.discover_at_bytes.has_value());
  EXPECT_EQ(*app.discover_at_bytes, 2500u);  // 25 / 100 x 10000
  EXPECT_DOUBLE_EQ(app.process_ms, 30);
  EXPECT_EQ(Find(s, "/lazy.png").parent, "/app.js");
  EXPECT_EQ(Find(s, "/lazy.png").size_bytes, 700u);
  EXPECT_FALSE(Find(s, "/lazy.png").discover_at_bytes.has_value());
  EXPECT_EQ(Find(s, "/b.css").parent, "/app.js");
  EXPECT_EQ(Find(s, "/b.css").size_bytes, 5u);  // content.size
  EXPECT_EQ(Find(s, "/o.gif").parent, "/");
  EXPECT_EQ(l.imported.report.orphans, 1u);
  EXPECT_EQ(l.imported.report.without_initiator, 0u);
  EXPECT_EQ(l.imported.report.size_sources.at("_transferSize"), 3u);
  EXPECT_EQ(l.imported.report.size_sources.at("response.bodySize"), 1u);
  EXPECT_EQ(l.imported.report.size_sources.at("response.content.size"), 1u);
  // The document streams its children out: no process_ms.
  EXPECT_DOUBLE_EQ(s.resources[0].process_ms, 0);
}

TEST(HarImport, OrphansAttachToTheEndOfTheNavigationsRedirectChain) {
  Json t = Timings(-1, 10, -1, 10, 10);
  Json entries = Json::array();
  Json moved = MakeEntry("http://a.example/", 0, t, 100, 301);
  moved["response"]["redirectURL"] = "/home";  // relative: resolved against http://a.example/
  entries.push_back(moved);
  entries.push_back(MakeEntry("http://a.example/home", 40, t));
  entries.push_back(MakeEntry("http://beacon.example/b.gif", 80, t));  // no initiator
  Loaded l = Import(MakeHar(entries));
  EXPECT_EQ(Find(l.scenario, "/home").parent, "/");
  EXPECT_TRUE(Find(l.scenario, "/home").render_blocking);
  EXPECT_EQ(Find(l.scenario, "http://beacon.example/b.gif").parent, "/home");
  EXPECT_EQ(l.imported.report.without_initiator, 1u);
}

TEST(HarImport, RedirectFromTheLocationHeaderWhenRedirectUrlIsEmpty) {
  Json t = Timings(-1, 10, -1, 10, 10);
  Json entries = Json::array();
  entries.push_back(MakeEntry("http://a.example/", 0, t));
  Json moved = MakeEntry("http://a.example/old.css", 40, t, 100, 302);
  moved["response"]["redirectURL"] = "";
  moved["response"]["headers"] = {{{"name", "Server"}, {"value", "x"}},
                                  {{"name", "Location"}, {"value", "http://cdn.example/new.css"}}};
  entries.push_back(moved);
  Json target = MakeEntry("http://cdn.example/new.css", 80, t);
  target["_initiator"] = {{"type", "parser"}, {"url", "http://a.example/"}};  // the redirect wins
  entries.push_back(target);
  Loaded l = Import(MakeHar(entries));
  EXPECT_EQ(Find(l.scenario, "http://cdn.example/new.css").parent, "/old.css");
  EXPECT_EQ(l.imported.report.redirect_children, 1u);
}

TEST(HarImport, AHostWithTwoOriginsKeepsDns) {
  // http://a.example and https://a.example are two origins (two server nodes); a.example is
  // looked up once and each origin's connections go to its own node
  // (tests/sim/run/multi_origin_test.cc, MultiOriginDns).
  Json entries = Json::array();
  entries.push_back(MakeEntry("http://a.example/", 0, Timings(20, 10, -1, 10, 10)));
  entries.push_back(MakeEntry("https://a.example/x.js", 50, Timings(-1, 10, 5, 10, 10)));
  Loaded l = Import(MakeHar(entries));
  EXPECT_TRUE(l.scenario.dns.enabled);
  EXPECT_DOUBLE_EQ(l.scenario.origins[0].dns_ms, 20);
  ASSERT_EQ(l.scenario.origins.size(), 2u);
  EXPECT_EQ(l.scenario.origins[1].key.ToString(), "https://a.example");
}

TEST(HarImport, SkipsAndCountsWhatCannotBeFetched) {
  Json t = Timings(-1, 10, -1, 10, 10);
  Json entries = Json::array();
  entries.push_back(MakeEntry("http://a.example/", 0, t));
  entries.push_back(MakeEntry("data:image/png;base64,AAAA", 10, t));
  entries.push_back(MakeEntry("blob:http://a.example/123", 11, t));
  entries.push_back(MakeEntry("chrome-extension://abc/x.js", 12, t));
  entries.push_back(MakeEntry("https://a_b.example/x.js", 12.5, t));  // no certificate names it
  entries.push_back(MakeEntry("http://a.example/dup.js", 13, t, 111));
  entries.push_back(MakeEntry("http://A.EXAMPLE:80/dup.js", 14, t, 222));   // the same URL
  entries.push_back(MakeEntry("http://a.example/failed.js", 15, t, 0, 0));  // status 0
  Json no_response = MakeEntry("http://a.example/n.js", 16, t);
  no_response.erase("response");
  entries.push_back(no_response);
  entries.push_back(MakeEntry("http://a.example/late.js", 600, t));  // after onLoad 500
  Json no_pageref = MakeEntry("http://a.example/first-page.js", 20, t);
  no_pageref.erase("pageref");  // belongs to the first page
  entries.push_back(no_pageref);
  Loaded l = Import(MakeHar(entries, 500));
  EXPECT_EQ(l.scenario.resources.size(), 3u);               // /, /dup.js, /first-page.js
  EXPECT_EQ(Find(l.scenario, "/dup.js").size_bytes, 111u);  // the first wins
  const auto& skipped = l.imported.report.skipped;
  EXPECT_EQ(skipped.at("data: URL"), 1u);
  EXPECT_EQ(skipped.at("blob: URL"), 1u);
  EXPECT_EQ(skipped.at("chrome-extension: URL"), 1u);
  EXPECT_EQ(skipped.at("https host outside letters, digits, hyphens (no certificate names it)"),
            1u);
  EXPECT_EQ(skipped.at("duplicate URL"), 1u);
  EXPECT_EQ(skipped.at("no response or status 0"), 2u);
  EXPECT_EQ(skipped.at("started after onLoad"), 1u);
  // --until all keeps the late entry.
  HarImportOptions all;
  all.until_all = true;
  EXPECT_EQ(Import(MakeHar(entries, 500), all).scenario.resources.size(), 4u);
}

TEST(HarImport, PagesAndCache) {
  Json t = Timings(-1, 10, -1, 10, 10);
  Json har = MakeHar(Json::array());
  har["log"]["pages"].push_back(
      {{"id", "page_2"}, {"startedDateTime", "2020-01-01T12:00:01.000Z"}});
  Json a = MakeEntry("http://a.example/", 0, t);
  Json b = MakeEntry("http://b.example/", 1000, t, 1000, 304);
  b["pageref"] = "page_2";
  Json c = MakeEntry("http://b.example/c.css", 1010, t);
  c["pageref"] = "page_2";
  c["_fromCache"] = "disk";
  har["log"]["entries"] = {a, b, c};
  HarImportOptions second;
  second.page = 2;  // 1-based
  Loaded l = Import(har, second);
  ASSERT_EQ(l.scenario.resources.size(), 2u);
  EXPECT_EQ(l.scenario.origins[0].key.ToString(), "http://b.example");
  EXPECT_EQ(l.scenario.client.cache, (std::vector<std::string>{"/", "/c.css"}));
  EXPECT_EQ(Import(har).scenario.resources.size(), 1u);
  HarImportOptions third;
  third.source_name = "p.har";
  third.page = 3;
  try {
    ImportHar(har.dump(), third);
    FAIL();
  } catch (const HarError& e) {
    EXPECT_STREQ(e.what(), "p.har: --page 3 is out of range: the HAR has 2 pages (--page 1 to 2)");
  }
}

TEST(HarImport, ErrorsNameTheFileAndWhatIsMissing) {
  HarImportOptions o;
  o.source_name = "x.har";
  auto message = [&](const std::string& text) -> std::string {
    try {
      ImportHar(text, o);
    } catch (const HarError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message(R"({"log": {}})"), "x.har: not a HAR: no \"log.entries\" array");
  EXPECT_EQ(message(R"({"entries": []})"), "x.har: not a HAR: no \"log\" object");
  EXPECT_EQ(message("[1, 2]"), "x.har: not a HAR: no \"log\" object");
  EXPECT_EQ(message(R"({"log": {"entries": []}})"),
            "x.har: page 1 has no entry to import (no entries)");
  EXPECT_EQ(message("{\"log\": ").rfind("x.har: not valid JSON: ", 0), 0u);
}

TEST(HarImport, QuotesUrlsForToml) {
  Json t = Timings(-1, 10, -1, 10, 10);
  Json entries = Json::array();
  entries.push_back(MakeEntry("http://a.example/", 0, t));
  entries.push_back(MakeEntry("http://a.example/a b\"c\\d\xc3\xa9", 5, t));
  Loaded l = Import(MakeHar(entries));
  // The space, the quote, the backslash and the two UTF-8 bytes are percent-encoded.
  EXPECT_NE(l.scenario.Find("/a%20b%22c%5Cd%C3%A9"), nullptr);
}

}  // namespace
}  // namespace waterfall
