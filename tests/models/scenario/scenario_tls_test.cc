// The TLS part of the scenario format (docs/scenario-format.md, "TLS"): the top-level scheme,
// [tls] and an [[origin]]'s tls table over it, the one-server-per-address rule for https,
// client.connection = "resumed", client.tls_false_start and client.early_data, the overrides
// of all of them, and one exact message per rule.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/scenario/scenario_loader.h"
#include "models/scenario/scenario_overrides.h"
#include "models/scenario/scenario_schema.h"
#include "tests/support/scenario_text.h"

namespace waterfall {
namespace {

constexpr const char* kFile = testing::kScenarioFile;

using testing::ErrorOf;
using testing::Load;

// The document (4 lines).
const std::string kDoc = "[[resource]]\nurl = \"/index.html\"\ntype = \"document\"\nsize = 14000\n";

// One origin, no [[origin]]: lines 1-2, then the document on lines 3-6.
const std::string kHttpsHead = "name = \"tls\"\nscheme = \"https\"\n";
const std::string kHttps = kHttpsHead + kDoc;
// The same page over http (lines 1, then 2-5).
const std::string kHttp = "name = \"plain\"\n" + kDoc;

// Three origins, two https, at lines 1-10; the document on lines 11-14.
const std::string kOrigins = R"(name = "three"
[tls]
version = "1.2"
[[origin]]
url = "https://www.example.com"
[[origin]]
url = "https://cdn.example.net"
tls = { certificate = "rsa-2048" }
[[origin]]
url = "http://ads.example"
)" + kDoc;

// Two origins (lines 1-4, from line 5 the second [[origin]]'s `body`), then the document.
std::string SecondOrigin(const std::string& first_body, const std::string& body) {
  return "name = \"t\"\n[[origin]]\nurl = \"https://www.example.com\"\n" + first_body +
         "[[origin]]\n" + body + kDoc;
}

// A child of the document (5 lines).
std::string Res(const std::string& url) {
  return "[[resource]]\nurl = \"" + url +
         "\"\ntype = \"script\"\nsize = 1000\nparent = \"/index.html\"\n";
}

void ExpectDefaults(const TlsConfig& t) {
  // The defaults of models/page/scenario.h, as docs/scenario-format.md states them.
  EXPECT_EQ(t.version, TlsVersion::k13);
  EXPECT_EQ(t.certificate, CertificateKey::kEcdsaP256);
  EXPECT_EQ(t.chain_depth, 2);
  EXPECT_EQ(t.certificate_error, CertificateError::kNone);
  EXPECT_EQ(t.record_bytes, 16384u);
  EXPECT_FALSE(t.dynamic_records);
  EXPECT_EQ(t.session_tickets, 2);
  EXPECT_FALSE(t.early_data);
}

// ---- Loading -----------------------------------------------------------------------------------

TEST(ScenarioTls, SchemeHttpsMakesTheOneOriginHttpsOnPort443WithTheDefaults) {
  const Scenario s = Load(kHttps);
  ASSERT_EQ(s.origins.size(), 1u);
  EXPECT_EQ(s.origins[0].key, (OriginKey{"https", "waterfall.test", 443}));
  EXPECT_TRUE(s.origins[0].UsesTls());
  EXPECT_EQ(s.DocumentOrigin().ToString(), "https://waterfall.test");
  EXPECT_EQ(s.UrlOf("/index.html").ToString(), "https://waterfall.test/index.html");
  ExpectDefaults(s.origins[0].tls);
  ExpectDefaults(s.tls);
  EXPECT_TRUE(s.client.tls_false_start);
  EXPECT_FALSE(s.client.early_data);
}

TEST(ScenarioTls, WithoutSchemeTheOriginIsHttpAsBefore) {
  const Scenario s = Load(kHttp);
  EXPECT_EQ(s.origins[0].key, ScenarioOrigin());
  EXPECT_FALSE(s.origins[0].UsesTls());
  EXPECT_EQ(Load("name = \"t\"\nscheme = \"http\"\n" + kDoc).origins[0].key, ScenarioOrigin());
}

TEST(ScenarioTls, EveryTlsKeyIsRead) {
  const Scenario s = Load(kHttpsHead + R"([tls]
version = "1.2"
certificate = "rsa-4096"
chain_depth = 4
certificate_error = "wrong-host"
record_bytes = 4096
dynamic_records = true
session_tickets = 0
)" + kDoc);
  const TlsConfig& t = s.origins[0].tls;
  EXPECT_EQ(t.version, TlsVersion::k12);
  EXPECT_EQ(t.certificate, CertificateKey::kRsa4096);
  EXPECT_EQ(t.chain_depth, 4);
  EXPECT_EQ(t.certificate_error, CertificateError::kWrongHost);
  EXPECT_EQ(t.record_bytes, 4096u);
  EXPECT_TRUE(t.dynamic_records);
  EXPECT_EQ(t.session_tickets, 0);
  EXPECT_FALSE(t.early_data);
  EXPECT_TRUE(Load(kHttpsHead + "[tls]\nearly_data = true\n" + kDoc).origins[0].tls.early_data);
}

TEST(ScenarioTls, EnumWordsAreTheirToStrings) {
  for (const char* v : {"1.3", "1.2"}) {
    EXPECT_STREQ(ToString(Load(kHttps, {{"tls.version", v}}).origins[0].tls.version), v);
  }
  for (const char* v : {"ecdsa-p256", "rsa-2048", "rsa-4096"}) {
    EXPECT_STREQ(ToString(Load(kHttps, {{"tls.certificate", v}}).origins[0].tls.certificate), v);
  }
  for (const char* v : {"none", "untrusted-root", "wrong-host", "expired"}) {
    EXPECT_STREQ(
        ToString(Load(kHttps, {{"tls.certificate_error", v}}).origins[0].tls.certificate_error), v);
  }
  EXPECT_EQ(Load(kHttps, {{"client.connection", "resumed"}}).client.connection,
            ConnectionStart::kResumed);
}

TEST(ScenarioTls, EachOriginGetsTlsThenItsOwnTable) {
  const Scenario s = Load(kOrigins);
  ASSERT_EQ(s.origins.size(), 3u);
  // www: [tls] (version 1.2), the rest defaults.
  EXPECT_TRUE(s.origins[0].UsesTls());
  EXPECT_EQ(s.origins[0].tls.version, TlsVersion::k12);
  EXPECT_EQ(s.origins[0].tls.certificate, CertificateKey::kEcdsaP256);
  // cdn: [tls], then its own certificate.
  EXPECT_EQ(s.origins[1].key.port, 443);
  EXPECT_EQ(s.origins[1].tls.version, TlsVersion::k12);
  EXPECT_EQ(s.origins[1].tls.certificate, CertificateKey::kRsa2048);
  EXPECT_EQ(s.origins[1].tls.chain_depth, 2);
  // ads: http.
  EXPECT_FALSE(s.origins[2].UsesTls());
  EXPECT_EQ(s.tls.version, TlsVersion::k12);
  EXPECT_EQ(s.tls.certificate, CertificateKey::kEcdsaP256);
}

TEST(ScenarioTls, AnOriginTlsTableMayBeAHeaderTable) {
  const Scenario s =
      Load(SecondOrigin("", "url = \"https://cdn.example.net\"\n[origin.tls]\nchain_depth = 3\n"));
  EXPECT_EQ(s.origins[1].tls.chain_depth, 3);
  EXPECT_EQ(s.origins[0].tls.chain_depth, 2);
}

TEST(ScenarioTls, HttpsUrlsLoadInEveryList) {
  const Scenario s =
      Load(kOrigins + Res("https://cdn.example.net/a.js") + Res("https://www.example.com/b.js") +
           "[server]\npreconnect = [\"https://cdn.example.net\"]\n"
           "preload = [\"https://cdn.example.net/a.js\"]\n");
  // On the document's origin a URL is a path; on another it stays absolute.
  EXPECT_EQ(s.resources[1].url, "https://cdn.example.net/a.js");
  EXPECT_EQ(s.resources[2].url, "/b.js");
  EXPECT_EQ(s.server.preconnect, std::vector<std::string>{"https://cdn.example.net"});
  EXPECT_EQ(s.server.preload, std::vector<std::string>{"https://cdn.example.net/a.js"});
  // One implicit https origin: every URL is a path on it, absolute ones too.
  const Scenario one = Load(kHttps + Res("https://waterfall.test/c.js"));
  EXPECT_EQ(one.resources[1].url, "/c.js");
}

TEST(ScenarioTls, SharedAddressWithTheSameSchemePortAndTlsIsOneServer) {
  const Scenario s =
      Load(SecondOrigin("address = \"192.0.2.10\"\ntls = { chain_depth = 3 }\n",
                        "url = \"https://static.example.com\"\naddress = \"192.0.2.10\"\n"
                        "tls = { chain_depth = 3 }\n"));
  EXPECT_EQ(s.origins[0].address, s.origins[1].address);
  EXPECT_EQ(s.origins[1].tls.chain_depth, 3);
}

TEST(ScenarioTls, ClientResumedAndEarlyDataLoadOnAnHttpsPage) {
  const Scenario s = Load(kHttpsHead +
                          "[tls]\nearly_data = true\n[client]\nconnection = \"resumed\"\n"
                          "early_data = true\ntls_false_start = false\n" +
                          kDoc);
  EXPECT_EQ(s.client.connection, ConnectionStart::kResumed);
  EXPECT_TRUE(s.client.early_data);
  EXPECT_FALSE(s.client.tls_false_start);
  EXPECT_TRUE(s.origins[0].tls.early_data);
}

// ---- Errors, one per rule
// ------------------------------------------------------------------------

TEST(ScenarioTls, SchemeIsHttpOrHttpsAndNotWithOrigins) {
  EXPECT_EQ(ErrorOf("name = \"t\"\nscheme = \"htps\"\n" + kDoc),
            "test.toml:2:10: scheme: expected one of \"http\", \"https\", got \"htps\"; did you "
            "mean \"https\"?");
  EXPECT_EQ(
      ErrorOf("name = \"t\"\nscheme = \"https\"\n[[origin]]\nurl = \"https://a.example\"\n" + kDoc),
      "test.toml:2:10: scheme: not allowed with [[origin]]: each origin's url says its "
      "scheme (url = \"https://www.example.com\"); scheme is for the one implicit origin of "
      "a scenario without [[origin]]");
}

TEST(ScenarioTls, TlsNeedsAnHttpsOrigin) {
  // [tls] is the header on line 2.
  EXPECT_EQ(ErrorOf("name = \"t\"\n[tls]\nversion = \"1.2\"\n" + kDoc),
            "test.toml:2:1: tls: [tls] applies to https origins; this scenario has none");
  // Even empty.
  EXPECT_EQ(ErrorOf("name = \"t\"\n[tls]\n" + kDoc),
            "test.toml:2:1: tls: [tls] applies to https origins; this scenario has none");
}

TEST(ScenarioTls, TlsValuesAreChecked) {
  EXPECT_EQ(ErrorOf(kHttpsHead + "[tls]\nchain_depth = 5\n" + kDoc),
            "test.toml:4:15: tls.chain_depth: expected an integer in [1, 4], got 5");
  EXPECT_EQ(ErrorOf(kHttpsHead + "[tls]\nrecord_bytes = 511\n" + kDoc),
            "test.toml:4:16: tls.record_bytes: expected an integer in [512, 16384], got 511");
  EXPECT_EQ(ErrorOf(kHttpsHead + "[tls]\nsession_tickets = 9\n" + kDoc),
            "test.toml:4:19: tls.session_tickets: expected an integer in [0, 8], got 9");
  EXPECT_EQ(ErrorOf(kHttpsHead + "[tls]\nversion = \"1.1\"\n" + kDoc),
            "test.toml:4:11: tls.version: expected one of \"1.3\", \"1.2\", got \"1.1\"; did you "
            "mean \"1.3\"?");
  EXPECT_EQ(ErrorOf(kHttpsHead + "[tls]\ncertificate = \"rsa-1024\"\n" + kDoc),
            "test.toml:4:15: tls.certificate: expected one of \"ecdsa-p256\", \"rsa-2048\", "
            "\"rsa-4096\", got \"rsa-1024\"");
  EXPECT_EQ(ErrorOf(kHttpsHead + "[tls]\nverison = \"1.2\"\n" + kDoc),
            "test.toml:4:1: tls.verison: unknown key; did you mean version?");
  EXPECT_EQ(ErrorOf(kHttpsHead + "tls = 3\n" + kDoc),
            "test.toml:3:7: tls: expected a table ([tls]), got an integer (3)");
}

TEST(ScenarioTls, EarlyDataIsTls13Only) {
  EXPECT_EQ(ErrorOf(kHttpsHead + "[tls]\nversion = \"1.2\"\nearly_data = true\n" + kDoc),
            "test.toml:5:14: tls.early_data: early_data = true with version = \"1.2\": 0-RTT "
            "early data is TLS 1.3 only (RFC 8446 section 4.2.10)");
  // [tls] allows it; the origin's version takes it away: the message is at the origin's key.
  EXPECT_EQ(ErrorOf("name = \"t\"\n[tls]\nearly_data = true\n[[origin]]\n"
                    "url = \"https://a.example\"\ntls = { version = \"1.2\" }\n" +
                    kDoc),
            "test.toml:6:19: origin[0].tls.version (\"https://a.example\"): early_data = true "
            "with version = \"1.2\": 0-RTT early data is TLS 1.3 only (RFC 8446 section 4.2.10)");
}

TEST(ScenarioTls, AnOriginTlsTableIsForHttpsOriginsAndIsATableOfTlsKeys) {
  EXPECT_EQ(
      ErrorOf(SecondOrigin("", "url = \"http://ads.example\"\ntls = { version = \"1.2\" }\n")),
      "test.toml:6:7: origin[1].tls (\"http://ads.example\"): a tls table on an http origin; "
      "TLS applies to https origins (url = \"https://ads.example\")");
  EXPECT_EQ(ErrorOf(SecondOrigin("", "url = \"https://cdn.example.net\"\ntls = \"1.2\"\n")),
            "test.toml:6:7: origin[1].tls (\"https://cdn.example.net\"): expected a table (tls = "
            "{ ... }), got a string (\"1.2\")");
  EXPECT_EQ(ErrorOf(SecondOrigin("", "url = \"https://cdn.example.net\"\ntls = { depth = 3 }\n")),
            "test.toml:6:9: origin[1].tls.depth (\"https://cdn.example.net\"): unknown key; known "
            "keys here: version, certificate, chain_depth, certificate_error, record_bytes, "
            "dynamic_records, session_tickets, early_data");
  EXPECT_EQ(
      ErrorOf(SecondOrigin("", "url = \"https://cdn.example.net\"\ntls = { chain_depth = 0 }\n")),
      "test.toml:6:23: origin[1].tls.chain_depth (\"https://cdn.example.net\"): expected an "
      "integer in [1, 4], got 0");
}

TEST(ScenarioTls, OriginsAtOneAddressShareSchemePortAndTls) {
  const std::string at = "address = \"192.0.2.10\"\n";
  // Line 6 is the second origin's url, line 7 its address, line 8 its tls.
  EXPECT_EQ(ErrorOf(SecondOrigin(at, "url = \"http://static.example.com\"\n" + at)),
            "test.toml:6:7: origin[1].url (\"http://static.example.com\"): "
            "\"http://static.example.com\" is http and origin[0] (\"https://www.example.com\"), "
            "which has the same address 192.0.2.10, is https: origins at one address are one "
            "server node, which speaks one scheme; give them the same scheme");
  EXPECT_EQ(ErrorOf(SecondOrigin(at, "url = \"https://static.example.com:8443\"\n" + at)),
            "test.toml:6:7: origin[1].url (\"https://static.example.com:8443\"): port 8443 "
            "differs from origin[0] (\"https://www.example.com\"), which has the same address "
            "192.0.2.10 and port 443: origins at one address are one server node, listening on "
            "one port; give them the same port");
  EXPECT_EQ(ErrorOf(SecondOrigin(at, "url = \"https://static.example.com\"\n" + at +
                                         "tls = { certificate = \"rsa-2048\" }\n")),
            "test.toml:8:23: origin[1].tls.certificate (\"https://static.example.com\"): "
            "tls.certificate = \"rsa-2048\" differs from origin[0] (\"https://www.example.com\"), "
            "which has the same address 192.0.2.10 and tls.certificate = \"ecdsa-p256\": origins "
            "at one address are one server node, with one certificate and one TLS server; give "
            "them the same tls settings");
  // The first origin's table makes the difference: the second's address is where it shows.
  EXPECT_EQ(ErrorOf(SecondOrigin(at + "tls = { record_bytes = 4096 }\n",
                                 "url = \"https://static.example.com\"\n" + at)),
            "test.toml:8:11: origin[1].address (\"https://static.example.com\"): "
            "tls.record_bytes = 16384 differs from origin[0] (\"https://www.example.com\"), which "
            "has the same address 192.0.2.10 and tls.record_bytes = 4096: origins at one address "
            "are one server node, with one certificate and one TLS server; give them the same tls "
            "settings");
  // Protocols, over TLS: one ALPN list.
  EXPECT_EQ(ErrorOf(SecondOrigin(at, "url = \"https://static.example.com\"\n" + at +
                                         "protocols = [\"http/1.1\"]\n")),
            "test.toml:8:13: origin[1].protocols (\"https://static.example.com\"): "
            "[\"http/1.1\"] differs from origin[0] (\"https://www.example.com\"), which has the "
            "same address 192.0.2.10 and protocols = [\"h2\", \"http/1.1\"]: origins at one "
            "address are one server node, which offers one ALPN list; give them the same "
            "protocols");
}

TEST(ScenarioTls, ClientTlsKeysNeedAnHttpsOriginAndEarlyDataNeedsResumed) {
  EXPECT_EQ(ErrorOf("name = \"t\"\n[client]\nconnection = \"resumed\"\n" + kDoc),
            "test.toml:3:14: client.connection: \"resumed\" resumes TLS sessions, which need an "
            "https origin; this scenario has none");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[client]\nconnection = \"resumed\"\nearly_data = true\n" + kDoc),
            "test.toml:3:14: client.connection: \"resumed\" resumes TLS sessions, which need an "
            "https origin; this scenario has none");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[client]\nearly_data = true\n" + kDoc),
            "test.toml:3:14: client.early_data: 0-RTT early data is sent over TLS, which needs an "
            "https origin; this scenario has none");
  EXPECT_EQ(ErrorOf(kHttpsHead + "[client]\nearly_data = true\n" + kDoc),
            "test.toml:4:14: client.early_data: 0-RTT early data needs a session ticket from an "
            "earlier visit: set client.connection = \"resumed\"");
  EXPECT_EQ(ErrorOf(kHttpsHead + "[client]\nconnection = \"warm\"\nearly_data = true\n" + kDoc),
            "test.toml:5:14: client.early_data: 0-RTT early data needs a session ticket from an "
            "earlier visit: set client.connection = \"resumed\"");
  // False Start alone is fine on an http page (it has nothing to start).
  EXPECT_FALSE(Load(kHttp, {{"client.tls_false_start", "false"}}).client.tls_false_start);
}

// ---- Overrides
// -----------------------------------------------------------------------------------

TEST(ScenarioTls, OverridesSetSchemeTlsAndAnOriginsTls) {
  EXPECT_TRUE(Load(kHttp, {{"scheme", "https"}}).origins[0].UsesTls());
  EXPECT_EQ(Load(kHttp, {{"scheme", "https"}, {"tls.chain_depth", "1"}}).origins[0].tls.chain_depth,
            1);
  const Scenario s = Load(kOrigins, {{"origin[https://cdn.example.net].tls.version", "1.3"},
                                     {"origin[https://www.example.com].tls.chain_depth", "3"}});
  EXPECT_EQ(s.origins[1].tls.version, TlsVersion::k13);
  EXPECT_EQ(s.origins[1].tls.certificate, CertificateKey::kRsa2048);  // kept from the file
  EXPECT_EQ(s.origins[0].tls.chain_depth, 3);                         // a table made for it
  EXPECT_EQ(s.origins[0].tls.version, TlsVersion::k12);               // [tls]'s
  // As an origin found by origin comparison, with the default port written out.
  EXPECT_EQ(Load(kOrigins, {{"origin[HTTPS://CDN.example.net:443].tls.session_tickets", "0"}})
                .origins[1]
                .tls.session_tickets,
            0);
}

TEST(ScenarioTls, OverridesAreCheckedLikeTheFile) {
  EXPECT_EQ(ErrorOf(kHttp, {{"tls.version", "1.2"}}),
            "test.toml: tls: [tls] applies to https origins; this scenario has none (from --set "
            "tls.version=1.2)");
  EXPECT_EQ(ErrorOf(kOrigins, {{"scheme", "https"}}),
            "test.toml: scheme: not allowed with [[origin]]: each origin's url says its scheme "
            "(url = \"https://www.example.com\"); scheme is for the one implicit origin of a "
            "scenario without [[origin]] (from --set scheme=https)");
  EXPECT_EQ(ErrorOf(kOrigins, {{"origin[http://ads.example].tls.version", "1.2"}}),
            "test.toml: origin[2].tls (\"http://ads.example\"): a tls table on an http origin; "
            "TLS applies to https origins (url = \"https://ads.example\") (from --set "
            "origin[http://ads.example].tls.version=1.2)");
  EXPECT_EQ(
      ErrorOf(kOrigins, {{"origin[https://cdn.example.net].tls.chain_depth", "9"}}),
      "test.toml: origin[1].tls.chain_depth (\"https://cdn.example.net\"): expected an "
      "integer in [1, 4], got 9 (from --set origin[https://cdn.example.net].tls.chain_depth=9)");
  EXPECT_EQ(ErrorOf(kOrigins, {{"origin[https://cdn.example.net].tls.versoin", "1.2"}}),
            "test.toml: origin[1].tls.versoin (\"https://cdn.example.net\"): unknown key; did you "
            "mean version? (from --set origin[https://cdn.example.net].tls.versoin=1.2)");
}

TEST(ScenarioTls, OverrideKeysOfAnOriginsTlsParseAndAreSuggested) {
  std::string problem;
  const std::optional<OverrideKey> k =
      ParseOverrideKey("origin[https://cdn.example.net].tls.version", &problem);
  ASSERT_TRUE(k) << problem;
  EXPECT_EQ(k->id, "https://cdn.example.net");
  EXPECT_EQ(k->parts, (std::vector<std::string>{"tls", "version"}));
  // Only a table-valued key of [[origin]] takes a key after it, and only one.
  EXPECT_FALSE(ParseOverrideKey("origin[https://a.example].rtt_ms.x", &problem));
  EXPECT_FALSE(ParseOverrideKey("origin[https://a.example].tls.version.x", &problem));
  EXPECT_FALSE(ParseOverrideKey("resource[/a.css].tls.version", &problem));
  EXPECT_EQ(ClosestScenarioKey("tls.verison"), "tls.version");
  EXPECT_EQ(ClosestScenarioKey("origin[https://a.example].tls.chain_dept"),
            "origin[https://a.example].tls.chain_depth");
  EXPECT_EQ(ClosestScenarioKey("client.early_dat"), "client.early_data");
  EXPECT_EQ(ClosestScenarioKey("schem"), "scheme");
}

}  // namespace
}  // namespace waterfall
