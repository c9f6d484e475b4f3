// The HAR export (sim/report/har_json.h, `waterfall run --har`): every file passes a HAR 1.2
// checker written from the spec (http://www.softwareishard.com/blog/har-12-spec/), its timings
// add up and agree with the result file to the microsecond, headers are those on the wire,
// and the same run gives the same bytes.
#include "sim/report/har_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "models/scenario/scenario_overrides.h"
#include "sim/report/result_json.h"
#include "sim/run/run.h"
#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace waterfall {
namespace {

using nlohmann::json;

// ---- a HAR 1.2 checker, from the spec -----------------------------------------------------

// Milliseconds as whole microseconds: HAR times are compared at the result file's precision.
int64_t Us(const json& ms) { return std::llround(ms.get<double>() * 1000.0); }

bool Digits(const std::string& s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// ISO 8601 as HAR 1.2 asks for it (YYYY-MM-DDThh:mm:ss.sTZD, e.g. 2009-07-24T19:20:30.45+01:00):
// date, "T", time with optional fraction, and "Z" or an offset.
bool IsIso8601(const std::string& s) {
  if (!Digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' ||
      !Digits(s, 8, 2) || s[10] != 'T' || !Digits(s, 11, 2) || s[13] != ':' || !Digits(s, 14, 2) ||
      s[16] != ':' || !Digits(s, 17, 2)) {
    return false;
  }
  size_t at = 19;
  if (s[at] == '.') {
    const size_t start = ++at;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) ++at;
    if (at == start) return false;
  }
  if (at < s.size() && s[at] == 'Z') return at + 1 == s.size();
  return at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && Digits(s, at + 1, 2) &&
         s[at + 3] == ':' && Digits(s, at + 4, 2);
}

class HarChecker {
 public:
  std::vector<std::string> problems;

  void Check(const json& har) {
    if (!Object(har, "file") || !Has(har, "log", "file", &json::is_object)) return;
    const json& log = har["log"];
    Has(log, "version", "log", &json::is_string);
    if (Has(log, "creator", "log", &json::is_object)) Software(log["creator"], "log.creator");
    if (log.contains("browser") && Object(log["browser"], "log.browser")) {
      Software(log["browser"], "log.browser");
    }
    Optional(log, "comment", "log", &json::is_string);
    std::set<std::string> page_ids;
    if (log.contains("pages") && Array(log["pages"], "log.pages")) {
      for (const json& p : log["pages"]) {
        if (!Object(p, "page")) continue;
        Date(p, "page");
        if (Has(p, "id", "page", &json::is_string)) page_ids.insert(p["id"].get<std::string>());
        Has(p, "title", "page", &json::is_string);
        if (Has(p, "pageTimings", "page", &json::is_object)) {
          Optional(p["pageTimings"], "onContentLoad", "pageTimings", &json::is_number);
          Optional(p["pageTimings"], "onLoad", "pageTimings", &json::is_number);
        }
      }
    }
    if (!Has(log, "entries", "log", &json::is_array)) return;
    for (const json& e : log["entries"]) Entry(e, page_ids);
  }

 private:
  void Problem(const std::string& what) { problems.push_back(what); }
  bool Object(const json& j, const std::string& what) {
    if (!j.is_object()) Problem(what + " is not an object");
    return j.is_object();
  }
  bool Array(const json& j, const std::string& what) {
    if (!j.is_array()) Problem(what + " is not an array");
    return j.is_array();
  }
  bool Has(const json& j, const char* key, const std::string& in, bool (json::*type)() const) {
    if (!j.contains(key)) {
      Problem(in + "." + key + " is missing");
      return false;
    }
    if (!(j[key].*type)()) {
      Problem(in + "." + key + " has the wrong type");
      return false;
    }
    return true;
  }
  void Optional(const json& j, const char* key, const std::string& in, bool (json::*type)() const) {
    if (j.contains(key) && !(j[key].*type)()) Problem(in + "." + key + " has the wrong type");
  }
  void Software(const json& j, const std::string& in) {
    Has(j, "name", in, &json::is_string);
    Has(j, "version", in, &json::is_string);
  }
  void Date(const json& j, const std::string& in) {
    if (Has(j, "startedDateTime", in, &json::is_string) &&
        !IsIso8601(j["startedDateTime"].get<std::string>())) {
      Problem(in + ".startedDateTime is not ISO 8601: " + j["startedDateTime"].get<std::string>());
    }
  }
  void NameValues(const json& j, const char* key, const std::string& in) {
    if (!Has(j, key, in, &json::is_array)) return;
    for (const json& nv : j[key]) {
      if (!Object(nv, in + "." + key + "[]")) continue;
      Has(nv, "name", in + "." + key + "[]", &json::is_string);
      Has(nv, "value", in + "." + key + "[]", &json::is_string);
    }
  }
  void Message(const json& j, const std::string& in) {
    Has(j, "httpVersion", in, &json::is_string);
    Has(j, "cookies", in, &json::is_array);
    NameValues(j, "headers", in);
    Has(j, "headersSize", in, &json::is_number_integer);
    Has(j, "bodySize", in, &json::is_number_integer);
  }
  void Entry(const json& e, const std::set<std::string>& page_ids) {
    if (!Object(e, "entry")) return;
    const std::string url =
        e.contains("request") && e["request"].contains("url") ? e["request"]["url"].dump() : "?";
    const std::string in = "entry " + url;
    if (e.contains("pageref") &&
        (!e["pageref"].is_string() || !page_ids.count(e["pageref"].get<std::string>()))) {
      Problem(in + ": pageref names no page");
    }
    Date(e, in);
    Has(e, "time", in, &json::is_number);
    if (Has(e, "request", in, &json::is_object)) {
      const json& r = e["request"];
      Has(r, "method", in + ".request", &json::is_string);
      Has(r, "url", in + ".request", &json::is_string);
      NameValues(r, "queryString", in + ".request");
      Message(r, in + ".request");
    }
    if (Has(e, "response", in, &json::is_object)) {
      const json& r = e["response"];
      Has(r, "status", in + ".response", &json::is_number_integer);
      Has(r, "statusText", in + ".response", &json::is_string);
      Has(r, "redirectURL", in + ".response", &json::is_string);
      Message(r, in + ".response");
      if (Has(r, "content", in + ".response", &json::is_object)) {
        Has(r["content"], "size", in + ".response.content", &json::is_number_integer);
        Has(r["content"], "mimeType", in + ".response.content", &json::is_string);
      }
    }
    Has(e, "cache", in, &json::is_object);
    Optional(e, "serverIPAddress", in, &json::is_string);
    Optional(e, "connection", in, &json::is_string);
    if (!Has(e, "timings", in, &json::is_object) || !e["time"].is_number()) return;
    const json& t = e["timings"];
    int64_t sum = 0;
    for (const char* key : {"send", "wait", "receive"}) {  // required, never -1
      if (!Has(t, key, in + ".timings", &json::is_number)) return;
      if (Us(t[key]) < 0) Problem(in + ".timings." + key + " is negative");
      sum += Us(t[key]);
    }
    for (const char* key : {"blocked", "dns", "connect", "ssl"}) {  // optional, -1: n/a
      if (!t.contains(key)) continue;
      if (!t[key].is_number()) return Problem(in + ".timings." + key + " has the wrong type");
      if (Us(t[key]) < 0 && Us(t[key]) != -1000) {
        Problem(in + ".timings." + key + " is negative but not -1");
      }
      if (std::string(key) != "ssl" && Us(t[key]) > 0) sum += Us(t[key]);
    }
    // HAR 1.2: ssl is included in connect, and time is the sum of the others.
    if (t.contains("ssl") && Us(t["ssl"]) > 0 && Us(t["ssl"]) > Us(t.value("connect", -1.0))) {
      Problem(in + ".timings.ssl exceeds connect");
    }
    if (sum != Us(e["time"])) {
      Problem(in + ": timings add up to " + std::to_string(sum) + " us, time is " +
              std::to_string(Us(e["time"])) + " us");
    }
  }
};

std::string Problems(const json& har) {
  HarChecker c;
  c.Check(har);
  std::string all;
  for (const std::string& p : c.problems) all += p + "\n";
  return all;
}

// ---- runs ---------------------------------------------------------------------------------

struct Exported {
  json result;  // the result file
  json har;
};

Exported Export(const std::string& scenario_file, const std::string& mode,
                const std::vector<std::string>& sets = {}) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(ParseOverride(s));
  const Scenario scenario = LoadScenarioFile(
      std::string(WATERFALL_SOURCE_DIR) + "/scenarios/" + scenario_file, overrides);
  RunOptions options;
  options.record_headers = true;
  const RunResult run = RunPageLoad(scenario, *FindMode(mode), options);
  return {json::parse(ResultToJson(scenario, run).dump()),
          json::parse(RunToHar(scenario, *FindMode(mode), run).dump())};
}

const json& EntryFor(const json& har, const std::string& url) {
  for (const json& e : har["log"]["entries"]) {
    if (e["request"]["url"] == url) return e;
  }
  throw std::runtime_error("no entry " + url);
}

std::vector<std::pair<std::string, std::string>> Headers(const json& list) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const json& h : list) {
    out.emplace_back(h["name"].get<std::string>(), h["value"].get<std::string>());
  }
  return out;
}

// The result's value of key in microseconds, or nullopt for null / absent.
std::optional<int64_t> Field(const json& resource, const char* key) {
  if (!resource.contains(key) || resource[key].is_null()) return std::nullopt;
  return Us(resource[key]);
}

// Every entry's timings are the result file's phases (docs/har-export.md), to the microsecond.
void ExpectTimingsAgree(const json& result, const json& har) {
  size_t fetched_or_cached = 0;
  for (const json& r : result["resources"]) {
    if (r["type"] == "preconnect" || r["discovered_ms"].is_null()) continue;
    ++fetched_or_cached;
    const std::string url =
        (r["url"].get<std::string>()[0] == '/' ? r["origin"].get<std::string>() : "") +
        r["url"].get<std::string>();
    const json& e = EntryFor(har, url);
    const json& t = e["timings"];
    SCOPED_TRACE(url);
    if (r["from_cache"].get<bool>()) {
      EXPECT_EQ(e["_fromCache"], "memory");
      EXPECT_EQ(Us(e["time"]), 0);
      continue;
    }
    const int64_t queued = *Field(r, "queued_ms");
    EXPECT_EQ(Us(e["_queued_ms"]), queued);
    // startedDateTime: the epoch plus queued_ms, milliseconds truncated.
    EXPECT_EQ(e["startedDateTime"], HarDateTime(queued / 1000));
    const auto dns_start = Field(r, "dns_start_ms"), dns_end = Field(r, "dns_end_ms");
    const auto tls_start = Field(r, "tls_start_ms"), tls_end = Field(r, "tls_end_ms");
    auto connect_start = Field(r, "connect_start_ms");
    const auto connect_end = tls_end ? tls_end : Field(r, "connect_end_ms");
    if (!connect_start) connect_start = tls_start;
    const auto request = Field(r, "request_ms");
    const auto first = dns_start ? dns_start : connect_start ? connect_start : request;
    EXPECT_EQ(Us(t["blocked"]), *first - queued);
    EXPECT_EQ(Us(t["dns"]), dns_start ? *dns_end - *dns_start : -1000);
    if (tls_end && *request < *tls_end) {
      // 0-RTT: the request rode the handshake; connect and ssl end at it, the handshake's
      // own figures are in _early_data.
      EXPECT_EQ(Us(t["connect"]), *request - *connect_start);
      EXPECT_EQ(Us(t["ssl"]), *request - *tls_start);
      EXPECT_EQ(Us(e["_early_data"]["connect"]), *connect_end - *connect_start);
      EXPECT_EQ(Us(e["_early_data"]["ssl"]), *tls_end - *tls_start);
    } else {
      EXPECT_EQ(Us(t["connect"]), connect_start ? *connect_end - *connect_start : -1000);
      EXPECT_EQ(Us(t["ssl"]), tls_start ? *tls_end - *tls_start : -1000);
      EXPECT_FALSE(e.contains("_early_data"));
    }
    EXPECT_EQ(Us(t["send"]), 0);
    EXPECT_EQ(Us(t["wait"]), *Field(r, "first_byte_ms") - *request);
    EXPECT_EQ(Us(t["receive"]), *Field(r, "complete_ms") - *Field(r, "first_byte_ms"));
    EXPECT_EQ(Us(e["time"]), *Field(r, "complete_ms") - queued);
    EXPECT_EQ(e["response"]["bodySize"], r["body_bytes"]);
    EXPECT_EQ(e["_was_pushed"], r["pushed"].get<bool>() ? 1 : 0);
    EXPECT_EQ(e["connection"], std::to_string(r["connection"].get<int>()));
  }
  EXPECT_EQ(har["log"]["entries"].size(), fetched_or_cached);
  EXPECT_EQ(har["log"]["pages"][0]["pageTimings"]["onLoad"], result["metrics"]["page_load_ms"]);
}

TEST(HarDateTime, CountsFromTheFixedEpochInUtc) {
  EXPECT_EQ(HarDateTime(0), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(HarDateTime(401), "2026-01-01T00:00:00.401Z");
  // 31 days (January) + 1 h 2 min 3.004 s = 2678400000 + 3723004 ms.
  EXPECT_EQ(HarDateTime(2'678'400'000 + 3'723'004), "2026-02-01T01:02:03.004Z");
  // 365 days: 2026 is not a leap year.
  EXPECT_EQ(HarDateTime(365LL * 86'400'000), "2027-01-01T00:00:00.000Z");
  EXPECT_TRUE(IsIso8601(HarDateTime(123456)));
}

TEST(HarChecker, CatchesWhatTheSpecForbids) {
  // The checker itself: each of these breaks one rule of HAR 1.2.
  json har = Export("seed-200ms.toml", "h2").har;
  ASSERT_EQ(Problems(har), "");
  json bad = har;
  bad["log"].erase("creator");
  EXPECT_NE(Problems(bad).find("log.creator is missing"), std::string::npos);
  bad = har;
  bad["log"]["entries"][0]["timings"]["wait"] = 1000.0;  // no longer adds up to time
  EXPECT_NE(Problems(bad).find("timings add up"), std::string::npos);
  bad = har;
  bad["log"]["entries"][0]["startedDateTime"] = "2026-01-01 00:00:00";
  EXPECT_NE(Problems(bad).find("not ISO 8601"), std::string::npos);
  bad = har;
  bad["log"]["entries"][0]["response"].erase("redirectURL");
  EXPECT_NE(Problems(bad).find("redirectURL is missing"), std::string::npos);
  bad = har;
  bad["log"]["entries"][0]["request"]["headers"][0]["value"] = 3;
  EXPECT_NE(Problems(bad).find("headers[].value has the wrong type"), std::string::npos);
  EXPECT_FALSE(IsIso8601("2026-01-01T00:00:00.Z"));
  EXPECT_TRUE(IsIso8601("2009-07-24T19:20:30.45+01:00"));
}

class EveryMode : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryMode, SeedPageIsValidHarAndAgreesWithTheResult) {
  const Exported x = Export("seed-200ms.toml", GetParam());
  EXPECT_EQ(Problems(x.har), "");
  ExpectTimingsAgree(x.result, x.har);
  EXPECT_EQ(x.har["log"]["version"], "1.2");
  EXPECT_EQ(x.har["log"]["pages"][0]["startedDateTime"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(x.har["log"]["pages"][0]["title"], "seed-200ms (" + GetParam() + ")");
  // onContentLoad is the result's dom_content_loaded_ms, -1 when it is null.
  const json& dcl = x.result["metrics"]["dom_content_loaded_ms"];
  EXPECT_EQ(x.har["log"]["pages"][0]["pageTimings"]["onContentLoad"],
            dcl.is_null() ? json(-1) : dcl);
  // Every entry came from the page's one origin, at its server's simulated address.
  for (const json& e : x.har["log"]["entries"]) {
    EXPECT_EQ(e["serverIPAddress"], x.result["origins"][0]["address"]);
  }
}

TEST_P(EveryMode, HttpsSeedPageCountsTlsInsideConnect) {
  const Exported x = Export("seed-200ms-https.toml", GetParam());
  EXPECT_EQ(Problems(x.har), "");
  ExpectTimingsAgree(x.result, x.har);
  const json& document = x.har["log"]["entries"][0];
  EXPECT_EQ(document["_resourceType"], "document");
  EXPECT_GT(Us(document["timings"]["ssl"]), 0);
  // HAR 1.2: connect includes ssl, so it is the TCP handshake plus the TLS one.
  EXPECT_GT(Us(document["timings"]["connect"]), Us(document["timings"]["ssl"]));
}

TEST_P(EveryMode, ZeroRttRequestCutsConnectAndSsl) {
  const Exported x =
      Export("seed-200ms-https.toml", GetParam(),
             {"client.connection=\"resumed\"", "client.early_data=true", "tls.early_data=true"});
  EXPECT_EQ(Problems(x.har), "");
  ExpectTimingsAgree(x.result, x.har);
  // The document's request rode the ClientHello: its connect is the TCP handshake alone (one
  // RTT, 200 ms plus serialization), ssl 0, and _early_data keeps the handshake's own figures.
  const json& document = x.har["log"]["entries"][0];
  ASSERT_TRUE(document.contains("_early_data"));
  EXPECT_EQ(Us(document["timings"]["ssl"]), 0);
  EXPECT_GT(Us(document["_early_data"]["ssl"]), 0);
}

INSTANTIATE_TEST_SUITE_P(Har, EveryMode, ::testing::Values("h1", "h2", "h2-push", "h2-hints"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST(HarHeaders, Http11AsWrittenOnTheWire) {
  const Exported x = Export("seed-200ms.toml", "h1");
  const json& document = EntryFor(x.har, "http://waterfall.test/index.html");
  EXPECT_EQ(document["request"]["httpVersion"], "http/1.1");
  using H = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Headers(document["request"]["headers"]), (H{{"Host", "waterfall.test"},
                                                        {"Accept", "*/*"},
                                                        {"Connection", "keep-alive"},
                                                        {"User-Agent", "waterfall"}}));
  // "GET /index.html HTTP/1.1\r\n" 26 + "Host: waterfall.test\r\n" 22 + "Accept: */*\r\n" 13 +
  // "Connection: keep-alive\r\n" 24 + "User-Agent: waterfall\r\n" 23 + "\r\n" 2 = 110.
  EXPECT_EQ(document["request"]["headersSize"], 110);
  EXPECT_EQ(document["response"]["status"], 200);
  EXPECT_EQ(document["response"]["statusText"], "OK");
  EXPECT_EQ(Headers(document["response"]["headers"]),
            (H{{"Content-Type", "text/html; charset=utf-8"},
               {"Content-Length", "14000"},
               {"Cache-Control", "max-age=3600"}}));
  // "HTTP/1.1 200 OK\r\n" 17 + "Content-Type: text/html; charset=utf-8\r\n" 40 +
  // "Content-Length: 14000\r\n" 23 + "Cache-Control: max-age=3600\r\n" 29 + "\r\n" 2 = 111.
  EXPECT_EQ(document["response"]["headersSize"], 111);
  // 14000 body bytes + 111 header bytes.
  EXPECT_EQ(document["_transferSize"], 14111);
  EXPECT_EQ(document["response"]["content"]["mimeType"], "text/html; charset=utf-8");
  EXPECT_EQ(document["_initiator"], json({{"type", "other"}}));
  const json& script = EntryFor(x.har, "http://waterfall.test/script.js");
  EXPECT_EQ(script["_initiator"],
            json({{"type", "parser"}, {"url", "http://waterfall.test/style.css"}}));
  EXPECT_EQ(script["_resourceType"], "script");
}

TEST(HarHeaders, Http2PseudoHeadersFirst) {
  const Exported x = Export("seed-200ms.toml", "h2");
  const json& document = EntryFor(x.har, "http://waterfall.test/index.html");
  EXPECT_EQ(document["request"]["httpVersion"], "h2");
  using H = std::vector<std::pair<std::string, std::string>>;
  // In the order h2_client.cc puts them in the HEADERS frame.
  EXPECT_EQ(Headers(document["request"]["headers"]), (H{{":method", "GET"},
                                                        {":scheme", "https"},
                                                        {":authority", "waterfall.test"},
                                                        {":path", "/index.html"},
                                                        {"accept", "*/*"}}));
  EXPECT_EQ(Headers(document["response"]["headers"]),
            (H{{":status", "200"},
               {"content-type", "text/html; charset=utf-8"},
               {"content-length", "14000"},
               {"cache-control", "max-age=3600"}}));
  EXPECT_EQ(document["response"]["statusText"], "");
  // HPACK: the size on the wire is not known, -1 as HAR 1.2 says; the transfer is the body.
  EXPECT_EQ(document["request"]["headersSize"], -1);
  EXPECT_EQ(document["_transferSize"], 14000);
}

TEST(HarHeaders, PushShowsThePushPromise) {
  const Exported x = Export("seed-200ms.toml", "h2-push");
  const json& style = EntryFor(x.har, "http://waterfall.test/style.css");
  EXPECT_EQ(style["_was_pushed"], 1);
  EXPECT_EQ(style["_initiator"]["type"], "other");
  using H = std::vector<std::pair<std::string, std::string>>;
  // The PUSH_PROMISE's header block, as h2_server.cc writes it.
  EXPECT_EQ(Headers(style["request"]["headers"]), (H{{":method", "GET"},
                                                     {":scheme", "https"},
                                                     {":authority", "waterfall.test"},
                                                     {":path", "/style.css"}}));
  EXPECT_EQ(Headers(style["response"]["headers"])[0],
            (std::pair<std::string, std::string>{":status", "200"}));
  // A push has no request phase: it is sent when promised (blocked 0, no dns, no connect).
  EXPECT_EQ(Us(style["timings"]["blocked"]), 0);
  EXPECT_EQ(Us(style["timings"]["connect"]), -1000);
}

TEST(HarCache, ACacheHitIsAnEntryFromMemory) {
  const Exported x = Export("seed-200ms.toml", "h2", {"client.cache=[\"/style.css\"]"});
  EXPECT_EQ(Problems(x.har), "");
  ExpectTimingsAgree(x.result, x.har);
  const json& style = EntryFor(x.har, "http://waterfall.test/style.css");
  EXPECT_EQ(style["_fromCache"], "memory");
  EXPECT_EQ(style["response"]["content"]["size"], 30000);  // the scenario's size
  EXPECT_EQ(style["_transferSize"], 0);
  EXPECT_FALSE(style.contains("connection"));
  EXPECT_EQ(style["_initiator"],
            json({{"type", "parser"}, {"url", "http://waterfall.test/index.html"}}));
}

TEST(HarOrigins, EachOriginItsAddressAndItsDnsLookup) {
  // Three origins, each on its own server node, with [dns]: lookups show as dns.
  const Exported x = Export("third-party-preconnect.toml", "h2");
  EXPECT_EQ(Problems(x.har), "");
  ExpectTimingsAgree(x.result, x.har);
  std::map<std::string, std::string> address;
  for (const json& o : x.result["origins"]) address[o["origin"]] = o["address"];
  bool some_dns = false;
  for (const json& e : x.har["log"]["entries"]) {
    const std::string url = e["request"]["url"];
    const std::string origin = url.substr(0, url.find('/', url.find("//") + 2));
    EXPECT_EQ(e["serverIPAddress"], address.at(origin)) << url;
    some_dns = some_dns || Us(e["timings"]["dns"]) > 0;
  }
  EXPECT_TRUE(some_dns);
}

TEST(HarHeaders, KeptOnlyWhenAsked) {
  // Without RunOptions::record_headers the browser keeps no header lists (a 100,000-resource
  // page pays nothing); with it, every fetched resource has both.
  const Scenario scenario =
      LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/seed-200ms.toml");
  for (const std::string mode : {"h1", "h2", "h2-push"}) {
    RunOptions options;
    const RunResult plain = RunPageLoad(scenario, *FindMode(mode), options);
    options.record_headers = true;
    const RunResult recorded = RunPageLoad(scenario, *FindMode(mode), options);
    ASSERT_EQ(plain.timings.size(), 4u);
    for (size_t i = 0; i < plain.timings.size(); ++i) {
      SCOPED_TRACE(mode + " " + plain.timings[i].url.path);
      EXPECT_TRUE(plain.timings[i].request_headers.empty());
      EXPECT_TRUE(plain.timings[i].response_headers.empty());
      EXPECT_FALSE(recorded.timings[i].request_headers.empty());
      EXPECT_FALSE(recorded.timings[i].response_headers.empty());
      // Recording changes no time.
      EXPECT_EQ(plain.timings[i].complete_ms, recorded.timings[i].complete_ms);
    }
  }
}

// ---- the command line ------------------------------------------------------------------

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(HarCommandLine, SameRunSameBytesAndTheResultUnchanged) {
  const fs::path dir = fs::temp_directory_path() / ("waterfall-har-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string run = std::string(WATERFALL_BINARY) + " run " + WATERFALL_SOURCE_DIR +
                          "/scenarios/seed-200ms-https.toml --mode h1 --mode h2-push -q --out ";
  ASSERT_EQ(testing::Shell(run + (dir / "a").string() + " --har").exit_code, 0);
  ASSERT_EQ(testing::Shell(run + (dir / "b").string() + " --har").exit_code, 0);
  ASSERT_EQ(testing::Shell(run + (dir / "c").string()).exit_code, 0);
  for (const std::string mode : {"h1", "h2-push"}) {
    const std::string har = Slurp(dir / "a" / (mode + ".har"));
    ASSERT_FALSE(har.empty());
    EXPECT_EQ(har, Slurp(dir / "b" / (mode + ".har")));
    EXPECT_EQ(Problems(json::parse(har)), "");
    // --har changes nothing else: the result and the table are as without it.
    EXPECT_EQ(Slurp(dir / "a" / (mode + ".json")), Slurp(dir / "c" / (mode + ".json")));
    EXPECT_EQ(Slurp(dir / "a" / (mode + ".csv")), Slurp(dir / "c" / (mode + ".csv")));
    EXPECT_FALSE(fs::exists(dir / "c" / (mode + ".har")));
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace waterfall
