// Pages on several origins, checked by round-trip arithmetic: each origin's round trip is its
// own rtt_ms, each first use of a host costs its DNS lookup (resolver_rtt_ms + dns_ms), a
// connection costs one round trip and a request one more. Resources are 100 bytes on a
// 1 Gbit/s link, so serialization adds microseconds; the expected figures are exact to 1 ms.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "models/scenario/scenario_overrides.h"
#include "sim/run/run.h"
#include "tests/support/page_builder.h"
#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace waterfall {
namespace {

using testing::Add;
using testing::FastLink;

constexpr double kR1 = 100;  // the document's origin
constexpr double kR2 = 20;   // the second origin
constexpr double kSlackMs = 1;

Origin MakeOrigin(const std::string& url, double rtt_ms, double dns_ms = 0) {
  Origin o;
  o.key = *OriginKey::Parse(url);
  o.rtt_ms = rtt_ms;
  o.dns_ms = dns_ms;
  return o;
}

// The document on http://a.test (R1), then a chain on http://b.test (R2): /index.html ->
// b/r1 -> b/r2 -> ... (`levels` resources on b).
Scenario TwoOrigins(int levels) {
  Scenario s = FastLink(kR1);
  s.origins = {MakeOrigin("http://a.test", kR1, 40), MakeOrigin("http://b.test", kR2, 30)};
  Add(s, "/index.html", ResourceType::kDocument, 100);
  std::string parent = "/index.html";
  for (int i = 1; i <= levels; ++i) {
    const std::string url = "http://b.test/r" + std::to_string(i);
    Add(s, url, ResourceType::kScript, 100, parent);
    parent = url;
  }
  return s;
}

RunResult Load(const Scenario& s, const std::string& mode) {
  return RunPageLoad(s, *FindMode(mode), RunOptions{});
}

// The resource at url, or the preconnect row to url when it is an origin.
const ResourceTiming& Row(const RunResult& r, const std::string& url) {
  for (const ResourceTiming& t : r.timings) {
    if (t.type == ResourceType::kPreconnect ? t.url.origin.ToString() == url
                                            : t.url.ToString() == url) {
      return t;
    }
  }
  throw std::runtime_error("no resource " + url);
}

class MultiOriginByMode : public ::testing::TestWithParam<std::string> {};

TEST_P(MultiOriginByMode, AChainOnASecondOriginCostsItsConnectAndOneRoundTripPerLevel) {
  // R1 (connect) + R1 (document) + R2 (connect to b) + R2 (r1) + R2 (r2) = 200 + 60 = 260.
  const RunResult r = Load(TwoOrigins(2), GetParam());
  ASSERT_TRUE(r.page.page_load_ms);
  EXPECT_NEAR(*r.page.page_load_ms, 2 * kR1 + 3 * kR2, kSlackMs);
  const ResourceTiming& r1 = Row(r, "http://b.test/r1");
  // r1 opened b's connection: its connect phase is b's handshake, one R2 long, from 200 ms.
  ASSERT_TRUE(r1.connect_start_ms && r1.connect_end_ms);
  EXPECT_NEAR(*r1.connect_start_ms, 2 * kR1, kSlackMs);
  EXPECT_NEAR(*r1.connect_end_ms - *r1.connect_start_ms, kR2, kSlackMs);
  EXPECT_FALSE(r1.dns_start_ms);  // no [dns]: every host already resolved
  EXPECT_EQ(r.connections, 2);    // one to each origin
  ASSERT_EQ(r.origins.size(), 2u);
  EXPECT_EQ(r.origins[0].requests, 1u);  // the document
  EXPECT_EQ(r.origins[1].requests, 2u);  // r1, r2
  EXPECT_EQ(r.origins[1].connections, 1);
}

TEST_P(MultiOriginByMode, WithDnsEachFirstUseOfAHostAddsItsLookup) {
  // As above, plus a's lookup (20 + 40) before the first connection and b's (20 + 30) before
  // b's: 260 + 60 + 50 = 370.
  Scenario s = TwoOrigins(2);
  s.dns.enabled = true;
  s.dns.resolver_rtt_ms = 20;
  const RunResult r = Load(s, GetParam());
  ASSERT_TRUE(r.page.page_load_ms);
  EXPECT_NEAR(*r.page.page_load_ms, 2 * kR1 + 3 * kR2 + (20 + 40) + (20 + 30), kSlackMs);
  const ResourceTiming& doc = Row(r, "http://a.test/index.html");
  ASSERT_TRUE(doc.dns_start_ms && doc.dns_end_ms);
  EXPECT_NEAR(*doc.dns_start_ms, 0, kSlackMs);
  EXPECT_NEAR(*doc.dns_end_ms, 60, kSlackMs);
  const ResourceTiming& r1 = Row(r, "http://b.test/r1");
  ASSERT_TRUE(r1.dns_start_ms && r1.dns_end_ms);
  EXPECT_NEAR(*r1.dns_end_ms - *r1.dns_start_ms, 50, kSlackMs);
  EXPECT_FALSE(Row(r, "http://b.test/r2").dns_start_ms);  // b was resolved once, for r1
}

TEST_P(MultiOriginByMode, AHostInTheDnsCacheIsNotLookedUp) {
  // b.test cached: only a's lookup (60) remains: 260 + 60 = 320.
  Scenario s = TwoOrigins(2);
  s.dns.enabled = true;
  s.client.dns_cache = {"b.test"};
  const RunResult r = Load(s, GetParam());
  ASSERT_TRUE(r.page.page_load_ms);
  EXPECT_NEAR(*r.page.page_load_ms, 2 * kR1 + 3 * kR2 + 60, kSlackMs);
  EXPECT_FALSE(Row(r, "http://b.test/r1").dns_start_ms);
}

TEST_P(MultiOriginByMode, APreconnectRowOpensTheConnectionWhenTheParserReachesIt) {
  // <link rel=preconnect href=http://b.test> at byte 0 of the document: b's lookup (50) and
  // connect (20) start when the document's first bytes arrive (200 + 60 = 260 with a's lookup)
  // and end at 330; the document's last byte (100 bytes: the same packet) releases r1 at 260,
  // which waits for the rest: r1 done at 330 + 20, r2 at 370. Without it: 260 + 60 + 50 + ...
  // = 370 too, since r1 is found at the same moment: the preconnect gains nothing here, and
  // costs nothing.
  Scenario s = TwoOrigins(2);
  s.dns.enabled = true;
  Resource& pre = Add(s, "http://b.test", ResourceType::kPreconnect, 0, "/index.html");
  pre.discover_at_bytes = 0;
  const RunResult r = Load(s, GetParam());
  ASSERT_TRUE(r.page.page_load_ms);
  EXPECT_NEAR(*r.page.page_load_ms, 370, kSlackMs);
  const ResourceTiming& row = Row(r, "http://b.test");
  EXPECT_EQ(row.type, ResourceType::kPreconnect);
  EXPECT_EQ(row.status, ResourceStatus::kComplete);
  ASSERT_TRUE(row.dns_start_ms && row.dns_end_ms && row.connect_end_ms && row.complete_ms);
  EXPECT_NEAR(*row.dns_start_ms, 260, kSlackMs);
  EXPECT_NEAR(*row.dns_end_ms, 310, kSlackMs);
  EXPECT_NEAR(*row.complete_ms, 330, kSlackMs);
  ASSERT_EQ(r.preconnects.size(), 1u);
  EXPECT_EQ(r.preconnects[0].initiator, Initiator::kParser);
  // r1 found the connection being opened and waited for the rest of it, not a new one.
  EXPECT_EQ(Row(r, "http://b.test/r1").where.connection, row.where.connection);
  EXPECT_EQ(r.origins[1].connections, 1);
}

TEST_P(MultiOriginByMode, ALookupThatIsNeverAnsweredEndsWithinThePagesTimeLimit) {
  // The document is in by 260 (a's lookup 60, connect 100, request 100); the access link is
  // down from 262 ms for 3 s: b's query (sent at 260, at the router 10 ms later) and its retry
  // (at 1260) are lost, and the lookup gives up 12 s after the first query (12260). b's resources
  // never arrive; the run ends by the page's 20 s limit (HTTP/1.1: the pool's next
  // connection meets the failed host again and is left unanswered) or when HTTP/2 resets
  // the streams of its failed connection.
  Scenario s = TwoOrigins(2);
  s.dns.enabled = true;
  s.network.outage_start_ms = 262;
  s.network.outage_ms = 3000;
  s.client.timeout_ms = 20000;
  const RunResult r = Load(s, GetParam());
  EXPECT_FALSE(r.page.page_load_ms);
  EXPECT_LE(r.simulated_ms, 20000 + kR1 + 1);
  const ResourceTiming& r1 = Row(r, "http://b.test/r1");
  EXPECT_NE(r1.status, ResourceStatus::kComplete);
  EXPECT_FALSE(r1.request_ms);
  EXPECT_EQ(Row(r, "http://a.test/index.html").status, ResourceStatus::kComplete);
}

INSTANTIATE_TEST_SUITE_P(H1AndH2, MultiOriginByMode, ::testing::Values("h1", "h2"));

// A 103 carrying Link: <http://b.test>; rel=preconnect, sent while the server thinks 300 ms.
Scenario PreconnectBehindThinkTime() {
  Scenario s = TwoOrigins(2);
  s.dns.enabled = true;
  s.server.think_ms = 300;
  s.server.hints = std::vector<std::string>{};  // no preloads: the preconnect alone
  return s;
}

TEST(MultiOriginPreconnect, APreconnectInA103HidesTheSecondOriginsLookupAndConnect) {
  // Without: a's lookup 60 + R1 + R1 + think 300 = 560 for the document, then b's lookup 50,
  // connect 20, r1 20, r2 20: 670. With: the 103 arrives at 260, b is looked up and connected
  // by 260 + 70 = 330, long before the document (560): 560 + 20 + 20 = 600. The gain is b's
  // lookup plus one R2: 50 + 20 = 70.
  const Scenario without = PreconnectBehindThinkTime();
  Scenario with = without;
  with.server.preconnect = {"http://b.test"};
  const RunResult a = Load(without, "h2-hints");
  const RunResult b = Load(with, "h2-hints");
  ASSERT_TRUE(a.page.page_load_ms && b.page.page_load_ms);
  EXPECT_NEAR(*a.page.page_load_ms, 670, kSlackMs);
  EXPECT_NEAR(*b.page.page_load_ms, 600, kSlackMs);
  EXPECT_NEAR(*a.page.page_load_ms - *b.page.page_load_ms, 50 + kR2, kSlackMs);
  // The 103's preconnect, then the 200's, which found b connected and opened nothing.
  ASSERT_EQ(b.preconnects.size(), 2u);
  EXPECT_EQ(b.preconnects[0].initiator, Initiator::kEarlyHints);
  EXPECT_EQ(b.preconnects[1].initiator, Initiator::kPreload);
  EXPECT_EQ(b.preconnects[1].connection, -1);
  ASSERT_TRUE(b.preconnects[0].connect_end_ms);
  EXPECT_NEAR(*b.preconnects[0].connect_end_ms, 330, kSlackMs);
  // r1 went out on the preconnected connection, without a DNS or connect phase of its own.
  const ResourceTiming& r1 = Row(b, "http://b.test/r1");
  EXPECT_FALSE(r1.dns_start_ms);
  EXPECT_FALSE(r1.connect_start_ms);
}

TEST(MultiOriginPreconnect, APreconnectToAnOriginAlreadyConnectedDoesNothing) {
  // The document's own origin is up when the 103 arrives: no connection is opened and the
  // page loads exactly as without it (670, as above).
  Scenario s = PreconnectBehindThinkTime();
  s.server.preconnect = {"http://a.test"};
  const RunResult r = Load(s, "h2-hints");
  ASSERT_TRUE(r.page.page_load_ms);
  EXPECT_NEAR(*r.page.page_load_ms, 670, kSlackMs);
  ASSERT_EQ(r.preconnects.size(), 2u);  // the 103's and the 200's
  EXPECT_EQ(r.preconnects[0].connection, -1);
  EXPECT_EQ(r.preconnects[1].connection, -1);
  EXPECT_EQ(r.connections, 2);
}

TEST(MultiOriginPreconnect, ThePreconnectOnTheDocuments200WorksInEveryMode) {
  // h1, no 103: the Link header on the 200 (at 560) starts b's lookup and connect as the
  // document arrives, the same moment r1 (at the end of the document) is found: nothing to
  // gain, but the preconnect is recorded as made by the 200.
  Scenario s = PreconnectBehindThinkTime();
  s.server.preconnect = {"http://b.test"};
  const RunResult r = Load(s, "h1");
  ASSERT_EQ(r.preconnects.size(), 1u);
  EXPECT_EQ(r.preconnects[0].initiator, Initiator::kPreload);
  ASSERT_TRUE(r.page.page_load_ms);
  EXPECT_NEAR(*r.page.page_load_ms, 670, kSlackMs);
}

// scenarios/third-party-preconnect.toml, the claim of README's "Many origins" section.
TEST(MultiOriginPreconnect, TheShippedPageGainsTheWidgetHostsLookupAndHandshakeOnlyFromA103) {
  const std::string path =
      std::string(WATERFALL_SOURCE_DIR) + "/scenarios/third-party-preconnect.toml";
  const Scenario without = LoadScenarioFile(path);
  const Scenario with = LoadScenarioFile(
      path, {ParseOverride(
                "server.preconnect=[\"http://cdn.example.net\", \"http://widgets.example.org\"]")});
  const std::string widget = "http://widgets.example.org/widget.js";
  for (const char* mode : {"h1", "h2", "h2-push"}) {
    SCOPED_TRACE(mode);
    const RunResult a = Load(without, mode);
    const RunResult b = Load(with, mode);
    ASSERT_TRUE(a.page.page_load_ms && b.page.page_load_ms);
    // The 200's Link header comes with the HTML's first byte; the parser finds the widget a
    // few packets later: the preconnect can gain at most that head start.
    const double head_start =
        *Row(b, widget).discovered_ms - *Row(b, "http://www.example.com/index.html").first_byte_ms;
    const double gain = *a.page.page_load_ms - *b.page.page_load_ms;
    EXPECT_GE(gain, 0);
    EXPECT_LE(gain, head_start + kSlackMs);
  }
  const RunResult a = Load(without, "h2-hints");
  const RunResult b = Load(with, "h2-hints");
  ASSERT_TRUE(a.page.page_load_ms && b.page.page_load_ms);
  // With the 103's preconnect the widget finds its connection (nearly) ready: no lookup of its
  // own, and at most the rest of the handshake. Without, it pays the lookup (20 + 60 at
  // least) and the handshake (150): the gain is at least those less what it still waited.
  const ResourceTiming& w = Row(b, widget);
  EXPECT_FALSE(w.dns_start_ms);
  const double still_waited = *w.request_ms - *w.queued_ms;
  EXPECT_GE(*a.page.page_load_ms - *b.page.page_load_ms, 80 + 150 - still_waited - kSlackMs);
  EXPECT_LT(still_waited, 80 + 150);
}

TEST(MultiOriginCoalescing, TwoOriginsAtOneAddressShareAnHttp2ConnectionButNotHttp11Pools) {
  Scenario s = TwoOrigins(1);
  s.origins[0].address = "192.0.2.10";
  s.origins[1].address = "192.0.2.10";
  s.origins[1].rtt_ms = kR1;  // one server node: one distance
  const RunResult h2 = Load(s, "h2");
  EXPECT_EQ(h2.connections, 1);
  EXPECT_EQ(Row(h2, "http://b.test/r1").where.connection,
            Row(h2, "http://a.test/index.html").where.connection);
  // The document (R1 + R1), then r1 on the same connection: one more R1 = 300.
  ASSERT_TRUE(h2.page.page_load_ms);
  EXPECT_NEAR(*h2.page.page_load_ms, 3 * kR1, kSlackMs);
  const RunResult h1 = Load(s, "h1");
  EXPECT_EQ(h1.connections, 2);  // a pool per host
  // b's own connection: 200 + R1 (connect) + R1 = 400.
  ASSERT_TRUE(h1.page.page_load_ms);
  EXPECT_NEAR(*h1.page.page_load_ms, 4 * kR1, kSlackMs);
}

TEST(MultiOriginCoalescing, AnOriginThatSpeaksOnlyHttp11IsFetchedOverHttp11InAnH2Mode) {
  Scenario s = TwoOrigins(6);
  s.origins[1].speaks_h2 = false;
  // Six sibling children instead of a chain: h1 opens up to 6 connections to b.
  for (size_t i = 2; i < s.resources.size(); ++i) s.resources[i].parent = "/index.html";
  const RunResult r = Load(s, "h2");
  EXPECT_EQ(r.origins[1].connections, 6);
  EXPECT_EQ(r.origins[0].connections, 1);
}

TEST(MultiOriginDns, AHostWithAnHttpAndAnHttpsOriginIsLookedUpOnceAndReachesBoth) {
  // http://a.test (the document) and https://a.test/x.js: two server nodes, one host. The
  // resolver answers a.test with the first origin's node; the https origin's connection goes
  // to its own node: lookup 0 -> 20 + 40 = 60 (resolver_rtt_ms 20, dns_ms 40), TCP -> 160,
  // document -> 260; then x.js: TCP 260 -> 360, TLS -> 460, request -> 560.
  Scenario s = FastLink(kR1);
  s.dns.enabled = true;
  s.origins = {MakeOrigin("http://a.test", kR1, 40), MakeOrigin("https://a.test", kR1, 40)};
  Add(s, "/index.html", ResourceType::kDocument, 100);
  Add(s, "https://a.test/x.js", ResourceType::kScript, 100, "/index.html");
  const RunResult r = Load(s, "h2");
  EXPECT_FALSE(r.timed_out);
  const ResourceTiming& x = Row(r, "https://a.test/x.js");
  EXPECT_EQ(x.status, ResourceStatus::kComplete);
  EXPECT_FALSE(x.dns_start_ms);  // a.test was resolved for the document already
  ASSERT_TRUE(r.page.page_load_ms);
  EXPECT_NEAR(*r.page.page_load_ms, 60 + 5 * kR1, kSlackMs);
}

TEST(MultiOriginPcap, TsharkDecodesTheDnsQueriesAndEachOriginsHttp2) {
  ASSERT_EQ(testing::Shell("command -v tshark").exit_code, 0)
      << "tshark not installed (scripts/setup-deps installs it)";
  const fs::path dir =
      fs::temp_directory_path() / ("waterfall-multi-origin-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Scenario s = TwoOrigins(2);
  s.dns.enabled = true;
  RunOptions options;
  options.pcap_prefix = (dir / "h2").string();
  RunPageLoad(s, *FindMode("h2"), options);
  // The client's side of the access link sees everything: both lookups and both origins.
  const std::string pcap = (dir / "h2-0-0.pcap").string();
  const testing::Outcome dns =
      testing::Shell("(tshark -r " + pcap +
                     " -Y 'dns.flags.response == 0' -T fields -e dns.qry.name 2>/dev/null)");
  const testing::Outcome h2 = testing::Shell(
      "(tshark -r " + pcap +
      " -d tcp.port==80,http2 -Y 'http2.type == 1' -T fields -e http2.header.value 2>/dev/null)");
  fs::remove_all(dir);
  ASSERT_EQ(dns.exit_code, 0) << dns.output;
  EXPECT_EQ(dns.output, "a.test\nb.test\n");
  ASSERT_EQ(h2.exit_code, 0) << h2.output;
  EXPECT_NE(h2.output.find("a.test"), std::string::npos) << h2.output;
  EXPECT_NE(h2.output.find("b.test"), std::string::npos) << h2.output;
  EXPECT_NE(h2.output.find("/r2"), std::string::npos) << h2.output;
}

}  // namespace
}  // namespace waterfall
