// Page loads over TLS, checked by round-trip arithmetic. R = 100 ms, resources of 100 bytes on
// a 1 Gbit/s link (serialization: microseconds), so each figure is a whole number of round
// trips to within a millisecond:
//   TCP handshake                      1 R
//   TLS 1.3 full or resumed handshake  1 R   (ClientHello -> ServerHello..Finished)
//   TLS 1.2 full handshake             2 R   (1 R with False Start: the request rides the
//                                             client's Finished)
//   TLS 1.3 0-RTT                      0 R   for the request (it rides the ClientHello);
//                                             the response waits for the client's
//                                             EndOfEarlyData with GnuTLS 3.7.9
//   each level of the page             1 R
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/report/result_json.h"
#include "sim/run/run.h"
#include "tests/support/page_builder.h"
#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace waterfall {
namespace {

using testing::Add;
using testing::Chain;

constexpr double kR = 100;
constexpr double kSlackMs = 1;

// A chain of `depth` resources (the document first) on https://waterfall.test.
Scenario HttpsChain(int depth) {
  Scenario s = Chain(depth, 100, kR);
  Origin o;
  o.key = *OriginKey::Parse("https://waterfall.test");
  o.rtt_ms = kR;
  s.origins = {o};
  return s;
}

RunResult Load(const Scenario& s, const std::string& mode, RunOptions options = {}) {
  return RunPageLoad(s, *FindMode(mode), options);
}

const ResourceTiming& Row(const RunResult& r, const std::string& path) {
  for (const ResourceTiming& t : r.timings) {
    if (t.url.path == path) return t;
  }
  throw std::runtime_error("no resource " + path);
}

class TlsChainDepth : public ::testing::TestWithParam<int> {};

TEST_P(TlsChainDepth, H2OverTls13CompletesAtTwoPlusDepthRoundTrips) {
  const int d = GetParam();
  const RunResult r = Load(HttpsChain(d), "h2");
  ASSERT_TRUE(r.page.page_load_ms);
  // d = 1: 300 ms; d = 3: 500 ms (TCP, TLS, then one per level).
  EXPECT_NEAR(*r.page.page_load_ms, (2 + d) * kR, kSlackMs);
  const ResourceTiming& doc = r.timings.front();
  ASSERT_TRUE(doc.tls_start_ms && doc.tls_end_ms);
  EXPECT_NEAR(*doc.tls_start_ms, kR, kSlackMs);    // after the SYN-ACK
  EXPECT_NEAR(*doc.tls_end_ms, 2 * kR, kSlackMs);  // the server's flight arrived
  EXPECT_NEAR(*doc.request_ms, 2 * kR, kSlackMs);  // with the client's Finished
  EXPECT_EQ(r.connections, 1);
}

TEST_P(TlsChainDepth, Tls12WithFalseStartCostsTheSameAndWithoutItOneRoundTripMore) {
  const int d = GetParam();
  Scenario s = HttpsChain(d);
  s.origins[0].tls.version = TlsVersion::k12;
  const RunResult fs_on = Load(s, "h2");
  ASSERT_TRUE(fs_on.page.page_load_ms);
  EXPECT_NEAR(*fs_on.page.page_load_ms, (2 + d) * kR, kSlackMs);  // d = 3: 500 ms
  s.client.tls_false_start = false;
  const RunResult fs_off = Load(s, "h2");
  ASSERT_TRUE(fs_off.page.page_load_ms);
  EXPECT_NEAR(*fs_off.page.page_load_ms, (3 + d) * kR, kSlackMs);  // d = 3: 600 ms
  ASSERT_TRUE(fs_off.timings.front().tls_end_ms);
  EXPECT_NEAR(*fs_off.timings.front().tls_end_ms, 3 * kR, kSlackMs);  // two TLS round trips
}

TEST_P(TlsChainDepth, ZeroRttSendsTheRequestInTheFirstFlightAndOverlapsTheServersTime) {
  // The request rides the ClientHello at R and reaches the server at 1.5 R, a round trip
  // before it would after a 1-RTT handshake. GnuTLS 3.7.9, the server here, cannot answer it
  // before the client's EndOfEarlyData arrives (with the client's Finished, at 2.5 R:
  // lib/handshake-tls13.c reads EndOfEarlyData before it lets the server write), so with no
  // server time the page is no faster than (2 + d) R; what 0-RTT saves is the document's server
  // time, up to one round trip. Here think_ms = R:
  //   resumed, no 0-RTT: (2 + d) R + R   (d = 3: 600 ms)
  //   resumed, 0-RTT:    (2 + d) R       (d = 3: 500 ms; a server that answers early data in
  //                                       its first flight would give (1 + d) R = 400 ms)
  const int d = GetParam();
  Scenario s = HttpsChain(d);
  s.server.think_ms = kR;
  s.origins[0].tls.early_data = true;
  s.client.connection = ConnectionStart::kResumed;
  const RunResult plain = Load(s, "h2");
  s.client.early_data = true;
  const RunResult early = Load(s, "h2");
  ASSERT_TRUE(plain.page.page_load_ms && early.page.page_load_ms);
  EXPECT_NEAR(*plain.page.page_load_ms, (3 + d) * kR, kSlackMs);
  EXPECT_NEAR(*early.page.page_load_ms, (2 + d) * kR, kSlackMs);
  const ResourceTiming& doc = early.timings.front();
  EXPECT_NEAR(*doc.request_ms, kR, kSlackMs);  // in the ClientHello's flight
  ASSERT_TRUE(doc.tls_start_ms && doc.tls_end_ms);
  EXPECT_NEAR(*doc.tls_start_ms, kR, kSlackMs);
  EXPECT_NEAR(*doc.tls_end_ms, 2 * kR, kSlackMs);
}

TEST_P(TlsChainDepth, AResumedConnectionWithoutEarlyDataStillPaysTheTlsRoundTrip) {
  const int d = GetParam();
  Scenario s = HttpsChain(d);
  s.client.connection = ConnectionStart::kResumed;
  const RunResult resumed = Load(s, "h2");
  ASSERT_TRUE(resumed.page.page_load_ms);
  EXPECT_NEAR(*resumed.page.page_load_ms, (2 + d) * kR, kSlackMs);
  // No certificate in the server's flight: the client receives fewer bytes than on a full
  // handshake (the ECDSA P-256 chain of depth 2 alone is over 1 KB).
  const RunResult full = Load(HttpsChain(d), "h2");
  EXPECT_LT(resumed.bytes_down + 1000, full.bytes_down)
      << resumed.bytes_down << " vs " << full.bytes_down;
}

INSTANTIATE_TEST_SUITE_P(Depths, TlsChainDepth, ::testing::Values(1, 3));

TEST(TlsHttp11, EveryNewConnectionPaysTheTlsRoundTrip) {
  // The document, then two siblings discovered together at 3R. The first goes on the
  // document's idle connection and keeps it busy (3R of server time): request 300, complete
  // 300 + 100 + 300 = 700. The second opens a connection: TCP 300-400, TLS 400-500, request
  // 500, complete 600.
  Scenario s = HttpsChain(1);
  Add(s, "/a.js", ResourceType::kScript, 100, "/index.html").think_ms = 3 * kR;
  Add(s, "/b.js", ResourceType::kScript, 100, "/index.html");
  const RunResult r = Load(s, "h1");
  EXPECT_EQ(r.connections, 2);
  const ResourceTiming& a = Row(r, "/a.js");
  const ResourceTiming& b = Row(r, "/b.js");
  EXPECT_NEAR(*a.complete_ms, 7 * kR, kSlackMs);
  EXPECT_FALSE(a.tls_start_ms);  // went out on a connection that was up
  ASSERT_TRUE(b.tls_start_ms && b.tls_end_ms);
  EXPECT_NEAR(*b.tls_start_ms, 4 * kR, kSlackMs);
  EXPECT_NEAR(*b.tls_end_ms, 5 * kR, kSlackMs);
  EXPECT_NEAR(*b.complete_ms, 6 * kR, kSlackMs);
}

TEST(TlsCertificateSize, AChainLargerThanTheInitialWindowCostsOneMoreRoundTrip) {
  // initial_cwnd = 3 segments of 1448 bytes = 4344 bytes. The server's first flight is
  // ServerHello (160 bytes with its record header), ChangeCipherSpec (6), EncryptedExtensions
  // (43), Certificate (the chain, 5 bytes per certificate, 30), CertificateVerify (the
  // signature plus 30) and Finished (74), each its own record (tests/models/tls measures them):
  //   ECDSA P-256, depth 3: chain 1515, signature 72:  1945 bytes = 2 segments: fits;
  //   RSA-4096, depth 3:    chain 4226, signature 512: 5096 bytes = 4 segments: the fourth
  //                         waits for the first ACK, one more round trip.
  ASSERT_EQ(testing::Shell("command -v tshark").exit_code, 0)
      << "tshark not installed (scripts/setup-deps installs it)";
  const fs::path dir =
      fs::temp_directory_path() / ("waterfall-tls-cert-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Scenario s = HttpsChain(1);
  s.network.initial_cwnd = 3;
  s.origins[0].tls.chain_depth = 3;
  s.origins[0].tls.certificate = CertificateKey::kEcdsaP256;
  RunOptions options;
  options.pcap_prefix = (dir / "ecdsa").string();
  const RunResult ecdsa = Load(s, "h2", options);
  s.origins[0].tls.certificate = CertificateKey::kRsa4096;
  options.pcap_prefix = (dir / "rsa").string();
  const RunResult rsa = Load(s, "h2", options);
  // The server's segments that carry bytes, as the client's side of the link saw them, before
  // the client's Finished: the server's handshake flight (and its retransmissions, none here).
  auto flight = [&](const std::string& name, double until_ms) {
    const testing::Outcome o =
        testing::Shell("(tshark -r " + (dir / (name + "-0-0.pcap")).string() +
                       " -Y 'tcp.srcport == 443 && tcp.len > 0' -T fields -e frame.time_relative"
                       " -e tcp.len 2>/dev/null)");
    std::vector<std::pair<double, int>> segments;
    std::istringstream lines(o.output);
    double t = 0;
    int len = 0;
    while (lines >> t >> len) {
      if (t * 1000 < until_ms) segments.emplace_back(t * 1000, len);
    }
    return segments;
  };
  const auto ecdsa_flight = flight("ecdsa", *ecdsa.timings.front().tls_end_ms);
  const auto rsa_flight = flight("rsa", *rsa.timings.front().tls_end_ms);
  fs::remove_all(dir);
  int ecdsa_bytes = 0, rsa_bytes = 0;
  for (const auto& [t, len] : ecdsa_flight) ecdsa_bytes += len;
  for (const auto& [t, len] : rsa_flight) rsa_bytes += len;
  EXPECT_EQ(ecdsa_flight.size(), 2u) << ecdsa_bytes;  // 1945 bytes: 1448 + 497
  EXPECT_EQ(rsa_flight.size(), 4u) << rsa_bytes;      // 5096 bytes: 3 x 1448 + 752
  EXPECT_NEAR(ecdsa_bytes, 1945, 10);
  EXPECT_NEAR(rsa_bytes, 5096, 10);
  // RSA's fourth segment left after the first ACK: it arrives a round trip after the third.
  ASSERT_EQ(rsa_flight.size(), 4u);
  EXPECT_NEAR(rsa_flight[3].first - rsa_flight[2].first, kR, kSlackMs);
  const ResourceTiming& e = ecdsa.timings.front();
  const ResourceTiming& r = rsa.timings.front();
  ASSERT_TRUE(e.tls_end_ms && r.tls_end_ms);
  EXPECT_NEAR(*e.tls_end_ms - *e.tls_start_ms, kR, kSlackMs);
  EXPECT_NEAR(*r.tls_end_ms - *r.tls_start_ms, 2 * kR, kSlackMs);
  EXPECT_NEAR(*ecdsa.page.page_load_ms, 3 * kR, kSlackMs);
  EXPECT_NEAR(*rsa.page.page_load_ms, 4 * kR, kSlackMs);
}

// The seed page's document alone: 14,000 bytes at 200 ms RTT, 10 Mbit/s, h2 over TLS 1.3.
Scenario SeedDocument() {
  Scenario s = Chain(1, 14000, 200);
  s.network.bandwidth_mbps = 10;
  Origin o;
  o.key = *OriginKey::Parse("https://waterfall.test");
  o.rtt_ms = 200;
  s.origins = {o};
  return s;
}

TEST(TlsRecordSize, OneSixteenKilobyteRecordDelaysTheHeadersToTheSecondFlight) {
  // SYN 0, SYN-ACK 200, ClientHello 200, the server's flight 400, the request (with the
  // client's Finished) reaches the server at 500. The server answers with two tickets (273
  // bytes each) and one 14,131-byte record holding the HEADERS and the whole body: with the
  // SETTINGS ACK that is more than the initial window of 10 x 1448 = 14,480 bytes, so the
  // record's last segment waits for the first ACKs. A record is read only whole: the headers
  // are visible when that segment arrives, 800 ms plus about 12 ms of serialization (4 RTT
  // after the first SYN, as real Chromium measured against Apache: 815 ms).
  Scenario s = SeedDocument();
  const RunResult whole = Load(s, "h2");
  ASSERT_TRUE(whole.timings.front().first_byte_ms);
  const double ttfb = *whole.timings.front().first_byte_ms;
  EXPECT_GT(ttfb, 800);
  EXPECT_LT(ttfb, 815);
  // nginx-style dynamic records: the first record is 1369 bytes and holds the HEADERS, in the
  // first flight. The client's Finished left at 401.7 ms (the server's 1.5 KB handshake flight
  // took 1.2 ms to serialize); the tickets, the SETTINGS ACK and that record are about 2.2 KB
  // with their headers, 1.8 ms more: 401.7 + 200 + 1.8 = 603.5 ms.
  s.origins[0].tls.dynamic_records = true;
  const RunResult dynamic = Load(s, "h2");
  ASSERT_TRUE(dynamic.timings.front().first_byte_ms);
  EXPECT_GT(*dynamic.timings.front().first_byte_ms, 600);
  EXPECT_LT(*dynamic.timings.front().first_byte_ms, 605);
  // The body still ends in the second flight either way.
  EXPECT_GT(*dynamic.timings.front().complete_ms, 800);
  // record_bytes = 4096: the first record is in the first flight too.
  s.origins[0].tls.dynamic_records = false;
  s.origins[0].tls.record_bytes = 4096;
  const RunResult small = Load(s, "h2");
  // 603.5 ms as above, plus 2.7 KB more of the first record: 2.2 ms.
  EXPECT_GT(*small.timings.front().first_byte_ms, 600);
  EXPECT_LT(*small.timings.front().first_byte_ms, 608);
}

TEST(TlsPhases, EveryResourcesPhasesFollowOneAnotherOnTheSeedPageOverHttps) {
  // On h1, script.js is queued at 1029.9 ms for a connection whose TCP handshake ended at
  // 1004.7 ms and whose TLS handshake ends at 1206.4 ms: it waited for TLS alone, and has no
  // connect phase (a phase that ended before it was queued is not its).
  const Scenario s =
      LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/seed-200ms-https.toml");
  for (const ModeSpec* mode : DefaultModes()) {
    const RunResult r = RunPageLoad(s, *mode, RunOptions{});
    for (const ResourceTiming& t : r.timings) {
      SCOPED_TRACE(mode->name + " " + t.url.path);
      std::vector<double> times;
      for (const std::optional<double>& v :
           {t.queued_ms, t.dns_start_ms, t.dns_end_ms, t.connect_start_ms, t.connect_end_ms,
            t.tls_start_ms, t.tls_end_ms, t.request_ms, t.first_byte_ms, t.complete_ms}) {
        if (v) times.push_back(*v);
      }
      EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
      EXPECT_EQ(t.status, ResourceStatus::kComplete);
    }
  }
}

TEST(TlsFailures, AnUntrustedChainFailsEveryResourceOfItsOriginAndThePageSettles) {
  for (const std::string mode : {"h1", "h2"}) {
    Scenario s = HttpsChain(1);
    Add(s, "/a.js", ResourceType::kScript, 100, "/index.html");
    s.origins[0].tls.certificate_error = CertificateError::kUntrustedRoot;
    const RunResult r = Load(s, mode);
    EXPECT_FALSE(r.timed_out) << mode;
    const ResourceTiming& doc = r.timings.front();
    EXPECT_EQ(doc.status, ResourceStatus::kTlsFailed) << mode;
    EXPECT_EQ(doc.tls_error, "certificate untrusted-root") << mode;
    EXPECT_EQ(r.connections, 1) << mode;  // not retried
    // The child was never referenced: its parent never arrived.
    EXPECT_EQ(Row(r, "/a.js").status, ResourceStatus::kBlocked) << mode;
  }
}

TEST(TlsFailures, AHandshakeCutByAnOutageFailsAfterChromesThirtySeconds) {
  // The outage starts after the SYN-ACK (the ClientHello is lost) and lasts 60 s: TCP keeps
  // retransmitting, and the browser gives up at 100 + 30000 ms.
  Scenario s = HttpsChain(1);
  s.network.outage_start_ms = 150;
  s.network.outage_ms = 60000;
  const RunResult r = Load(s, "h2");
  const ResourceTiming& doc = r.timings.front();
  EXPECT_EQ(doc.status, ResourceStatus::kTlsFailed);
  EXPECT_EQ(doc.tls_error, "handshake timed out after 30 s");
  EXPECT_FALSE(r.timed_out);
}

TEST(TlsDeterminism, TheSameScenarioGivesByteIdenticalJson) {
  // GnuTLS's randomness cannot be seeded: every run has fresh randoms and keys. What reaches
  // the results must not depend on them: record sizes are fixed (ECDSA signatures at their
  // longest DER length, models/tls), so two runs are byte-identical.
  Scenario s = HttpsChain(3);
  Add(s, "/img.png", ResourceType::kImage, 30000, "/index.html");
  for (const std::string mode : {"h1", "h2"}) {
    const std::string a = ResultToJson(s, Load(s, mode), nullptr).dump(2);
    const std::string b = ResultToJson(s, Load(s, mode), nullptr).dump(2);
    EXPECT_EQ(a, b) << mode;
  }
}

TEST(TlsKeylog, TsharkDecryptsEarlyHintsAndTheDocumentFromAKeylogCapture) {
  ASSERT_EQ(testing::Shell("command -v tshark").exit_code, 0)
      << "tshark not installed (scripts/setup-deps installs it)";
  const fs::path dir = fs::temp_directory_path() / ("waterfall-tls-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Scenario s = HttpsChain(2);
  s.server.hints = std::vector<std::string>{"/r1"};
  RunOptions options;
  options.pcap_prefix = (dir / "h2-hints").string();
  options.keylog = true;
  const RunResult r = Load(s, "h2-hints", options);
  {
    std::ofstream keys(dir / "h2-hints.keys");
    for (const std::string& line : r.keylog) keys << line << "\n";
  }
  // TLS 1.3: five secrets per connection.
  EXPECT_EQ(r.keylog.size(), 5u);
  const std::string pcap = (dir / "h2-hints-0-0.pcap").string();
  const testing::Outcome statuses = testing::Shell(
      "(tshark -r " + pcap + " -o tls.keylog_file:" + (dir / "h2-hints.keys").string() +
      " -Y http2.headers.status -T fields -e http2.headers.status 2>/dev/null)");
  fs::remove_all(dir);
  ASSERT_EQ(statuses.exit_code, 0) << statuses.output;
  // The 103 and the document's 200, then r1's 200.
  EXPECT_EQ(statuses.output.rfind("103\n200\n", 0), 0u) << statuses.output;
}

}  // namespace
}  // namespace waterfall
