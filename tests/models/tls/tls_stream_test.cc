// TlsStream on the memory wire: handshakes of each kind and their round trips, ALPN,
// certificate errors, resumption, 0-RTT, False Start, record sizes, tickets, key log, close
// and hostile bytes. Record sizes below: TLS 1.3 application records add 5 (header) + 1
// (inner content type) + 16 (AES-GCM tag) = 22 bytes to the plaintext (RFC 8446 section 5.2);
// TLS 1.2 AES-GCM records add 5 + 8 (explicit nonce) + 16 = 29 (RFC 5288 section 3).
#include "models/tls/tls_stream.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "tests/models/tls/tls_wire.h"

namespace waterfall::testing {
namespace {

constexpr const char* kHost = "example.test";
const std::string kRequest = "GET / HTTP/1.1\r\nHost: example.test\r\n\r\n";  // 38 bytes

TlsConfig Config(TlsVersion version = TlsVersion::k13) {
  TlsConfig config;
  config.version = version;
  return config;
}

TlsClientOptions ClientOptions(std::vector<std::string> alpn = {"h2", "http/1.1"}) {
  TlsClientOptions options;
  options.server_name = kHost;
  options.alpn = std::move(alpn);
  return options;
}

TlsServerOptions ServerOptions(const TlsConfig& config,
                               std::vector<std::string> alpn = {"h2", "http/1.1"}) {
  TlsServerOptions options;
  options.config = config;
  options.alpn = std::move(alpn);
  return options;
}

std::unique_ptr<ServerIdentity> Identity(const TlsConfig& config) {
  return ServerIdentity::Build(config, {kHost}, "ticket-seed");
}

std::vector<size_t> RecordSizes(const Flight& flight) {
  std::vector<size_t> sizes;
  for (const WireRecord& record : flight.records) sizes.push_back(record.bytes);
  return sizes;
}

// A wire whose client asks kRequest (queued before the handshake) and whose server answers
// `response_bytes` bytes once the whole request has arrived.
void AskAndAnswer(TlsWire& wire, size_t response_bytes) {
  wire.client_app.Say(kRequest);
  wire.server_app.on_receive = [response_bytes](FakeSession& server) {
    if (server.received.size() == kRequest.size()) server.Say(std::string(response_bytes, 'x'));
  };
}

TEST(TlsStreamTest, Tls13FullHandshakeTakesOneRoundTrip) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  AskAndAnswer(wire, 1000);
  wire.Run();

  EXPECT_EQ(wire.client_observer.done, 1);
  EXPECT_EQ(wire.server_observer.done, 1);
  EXPECT_TRUE(wire.client_observer.failures.empty());
  EXPECT_EQ(wire.client_observer.result.version, TlsVersion::k13);
  EXPECT_EQ(wire.client_observer.result.alpn, "h2");
  EXPECT_EQ(wire.server_observer.result.alpn, "h2");
  EXPECT_FALSE(wire.client_observer.result.resumed);
  // ClientHello; server flight; client Finished + request: the request waited 1 round trip.
  EXPECT_EQ(wire.RoundTripsBeforeClientData(), 1);
  EXPECT_EQ(wire.server_app.received, kRequest);
  EXPECT_EQ(wire.client_app.received, std::string(1000, 'x'));

  // The server's first flight, ECDSA P-256, depth 2 (chain 496 + 506 = 1002 bytes):
  //   ServerHello 160 = 5 record + 4 handshake + 2 version + 32 random + 33 session id echo
  //     + 2 suite + 1 compression + 2 extensions length + supported_versions 6
  //     + key_share secp256r1 73 (4 + 2 group + 2 length + 65 point)
  //   change_cipher_spec 6 (middlebox compatibility, RFC 8446 appendix D.4)
  //   EncryptedExtensions 43 (ALPN "h2" among them; measured)
  //   Certificate 1042 = 22 + 4 + 1 context + 3 list + (3 + 496 + 2) + (3 + 506 + 2)
  //   CertificateVerify 102 = 22 + 4 + 2 scheme + 2 length + 72 (a fixed-length ECDSA DER)
  //   Finished 74 = 22 + 4 + 48 (HMAC-SHA384: TLS_AES_256_GCM_SHA384)
  //   = 160 + 6 + 43 + 1042 + 102 + 74 = 1427.
  ASSERT_GE(wire.flights.size(), 2u);
  EXPECT_EQ(RecordSizes(wire.flights[1]), (std::vector<size_t>{160, 6, 43, 1042, 102, 74}));
  EXPECT_EQ(wire.flights[1].bytes.size(), 1427u);
}

TEST(TlsStreamTest, Tls12WithoutFalseStartTakesTwoRoundTrips) {
  const TlsConfig config = Config(TlsVersion::k12);
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsClientOptions options = ClientOptions();
  options.false_start = false;
  TlsWire wire(*identity, options, ServerOptions(config));
  AskAndAnswer(wire, 1000);
  wire.Run();

  EXPECT_EQ(wire.client_observer.done, 1);
  EXPECT_EQ(wire.client_observer.result.version, TlsVersion::k12);
  EXPECT_FALSE(wire.client_observer.result.false_start);
  // ClientHello; ServerHello..Done; ClientKeyExchange, CCS, Finished; NewSessionTicket, CCS,
  // Finished; only then the request: 2 round trips.
  EXPECT_EQ(wire.RoundTripsBeforeClientData(), 2);
  EXPECT_EQ(wire.client_app.received.size(), 1000u);
  // The server's first flight, ECDSA depth 2:
  //   ServerHello 115 (measured: 5 + 4 + 2 + 32 + 33 + 2 + 1 + 2 + extensions 34)
  //   Certificate 1020 = 5 + 4 + 3 list + (3 + 496) + (3 + 506)
  //   ServerKeyExchange 154 = 5 + 4 + 1 curve type + 2 curve + 1 + 65 point + 2 scheme + 2
  //     + 72 (the fixed-length ECDSA DER)
  //   ServerHelloDone 9 = 5 + 4
  //   = 1298.
  ASSERT_GE(wire.flights.size(), 2u);
  EXPECT_EQ(RecordSizes(wire.flights[1]), (std::vector<size_t>{115, 1020, 154, 9}));
  EXPECT_EQ(wire.flights[1].bytes.size(), 1298u);
}

TEST(TlsStreamTest, Tls12FalseStartSendsAfterOneServerFlight) {
  const TlsConfig config = Config(TlsVersion::k12);
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  AskAndAnswer(wire, 1000);
  ASSERT_TRUE(wire.Step(true));   // ClientHello
  ASSERT_TRUE(wire.Step(false));  // ServerHello .. ServerHelloDone
  // The client is done (False Start, RFC 7918) though the server's Finished has not come.
  EXPECT_EQ(wire.client_observer.done, 1);
  EXPECT_TRUE(wire.client_observer.result.false_start);
  wire.Run();
  EXPECT_EQ(wire.RoundTripsBeforeClientData(), 1);
  EXPECT_EQ(wire.client_app.received.size(), 1000u);
  // The client's second flight: ClientKeyExchange 75 (5 + 4 + 1 + 65 point), CCS 6,
  // Finished 45 (5 + 8 nonce + 4 + 12 verify_data + 16 tag), the 38-byte request in 67
  // (38 + 29).
  ASSERT_GE(wire.flights.size(), 3u);
  EXPECT_EQ(RecordSizes(wire.flights[2]), (std::vector<size_t>{75, 6, 45, 67}));
}

TEST(TlsStreamTest, AlpnChoosesH2WhenBothOfferIt) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  // The server's preference wins (GNUTLS_ALPN_SERVER_PRECEDENCE) even if the client lists
  // http/1.1 first.
  TlsWire wire(*identity, ClientOptions({"http/1.1", "h2"}), ServerOptions(config));
  wire.Run();
  EXPECT_EQ(wire.client_observer.result.alpn, "h2");
}

TEST(TlsStreamTest, AlpnFallsBackToHttp11WhenTheClientOffersOnlyIt) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions({"http/1.1"}), ServerOptions(config));
  wire.Run();
  EXPECT_EQ(wire.client_observer.done, 1);
  EXPECT_EQ(wire.client_observer.result.alpn, "http/1.1");
  EXPECT_EQ(wire.server_observer.result.alpn, "http/1.1");
}

TEST(TlsStreamTest, AlpnMismatchFailsBothSides) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions({"http/1.1"}), ServerOptions(config, {"h2"}));
  wire.Run();
  EXPECT_EQ(wire.server_observer.failures, std::vector<std::string>{"alpn no common protocol"});
  EXPECT_EQ(wire.client_observer.failures, std::vector<std::string>{"alpn no common protocol"});
  EXPECT_EQ(wire.client_observer.done, 0);
  EXPECT_EQ(wire.server_observer.done, 0);
  // The server's only flight is its alert: a plaintext record of 5 + 2 = 7 bytes.
  ASSERT_EQ(wire.flights.size(), 2u);
  EXPECT_EQ(RecordSizes(wire.flights[1]), (std::vector<size_t>{7}));
  EXPECT_EQ(wire.flights[1].records[0].type, 21);  // alert
  EXPECT_TRUE(wire.server->WantsClose());
  EXPECT_TRUE(wire.server->failed());
}

struct CertificateCase {
  CertificateError error;
  const char* reason;
};

class CertificateErrorTest : public ::testing::TestWithParam<CertificateCase> {};

TEST_P(CertificateErrorTest, ClientRejectsTheChainWithItsReason) {
  for (TlsVersion version : {TlsVersion::k13, TlsVersion::k12}) {
    TlsConfig config = Config(version);
    config.certificate_error = GetParam().error;
    auto identity = Identity(config);
    ASSERT_NE(identity, nullptr);
    TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
    AskAndAnswer(wire, 100);
    wire.Run();
    EXPECT_EQ(wire.client_observer.failures, std::vector<std::string>{GetParam().reason});
    EXPECT_EQ(wire.client_observer.done, 0);
    EXPECT_TRUE(wire.client->failed());
    EXPECT_TRUE(wire.client->WantsClose());
    EXPECT_TRUE(wire.server_app.received.empty());  // the request never left
    // The server hears why: a fatal alert.
    ASSERT_EQ(wire.server_observer.failures.size(), 1u);
    EXPECT_EQ(wire.server_observer.failures[0].rfind("alert ", 0), 0u)
        << wire.server_observer.failures[0];
  }
}

INSTANTIATE_TEST_SUITE_P(
    Errors, CertificateErrorTest,
    ::testing::Values(CertificateCase{CertificateError::kUntrustedRoot,
                                      "certificate untrusted-root"},
                      CertificateCase{CertificateError::kWrongHost, "certificate wrong-host"},
                      CertificateCase{CertificateError::kExpired, "certificate expired"}),
    [](const ::testing::TestParamInfo<CertificateCase>& info) {
      switch (info.param.error) {
        case CertificateError::kUntrustedRoot:
          return std::string("UntrustedRoot");
        case CertificateError::kWrongHost:
          return std::string("WrongHost");
        case CertificateError::kExpired:
          return std::string("Expired");
        case CertificateError::kNone:
          break;
      }
      return std::string("None");
    });

TEST(TlsStreamTest, Tls13ResumptionSendsNoCertificate) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsClientOptions options = ClientOptions();
  options.resume_session = TicketFromEarlierVisit(*identity, config, kHost, {"h2", "http/1.1"});
  ASSERT_FALSE(options.resume_session.empty());
  TlsWire wire(*identity, options, ServerOptions(config));
  AskAndAnswer(wire, 100);
  wire.Run();
  EXPECT_TRUE(wire.client_observer.result.resumed);
  EXPECT_TRUE(wire.server_observer.result.resumed);
  EXPECT_EQ(wire.RoundTripsBeforeClientData(), 1);
  // Server flight: ServerHello 166 (160 + pre_shared_key extension 6: 2 type + 2 length +
  // 2 selected identity), CCS 6, EncryptedExtensions 43, Finished 74 = 289 bytes, against
  // 1427 for the full handshake: no Certificate (1042) nor CertificateVerify (102);
  // 1427 - 1042 - 102 + 6 = 289.
  ASSERT_GE(wire.flights.size(), 2u);
  EXPECT_EQ(RecordSizes(wire.flights[1]), (std::vector<size_t>{166, 6, 43, 74}));
  EXPECT_EQ(wire.client_app.received.size(), 100u);
}

TEST(TlsStreamTest, Tls12ResumptionIsAnAbbreviatedHandshake) {
  const TlsConfig config = Config(TlsVersion::k12);
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsClientOptions options = ClientOptions();
  options.resume_session = TicketFromEarlierVisit(*identity, config, kHost, {"h2"});
  ASSERT_FALSE(options.resume_session.empty());
  TlsWire wire(*identity, options, ServerOptions(config));
  AskAndAnswer(wire, 100);
  wire.Run();
  EXPECT_TRUE(wire.client_observer.result.resumed);
  // ServerHello 105, CCS 6, Finished 45 = 156 bytes: RFC 5246 section 7.3's abbreviated
  // handshake; the client's CCS + Finished go with its request, 1 round trip.
  ASSERT_GE(wire.flights.size(), 2u);
  EXPECT_EQ(RecordSizes(wire.flights[1]), (std::vector<size_t>{105, 6, 45}));
  EXPECT_EQ(wire.RoundTripsBeforeClientData(), 1);
}

TEST(TlsStreamTest, ZeroRttRequestReachesTheServerBeforeTheClientFinished) {
  TlsConfig config = Config();
  config.early_data = true;
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsClientOptions options = ClientOptions();
  options.early_data = true;
  options.resume_session = TicketFromEarlierVisit(*identity, config, kHost, {"h2", "http/1.1"});
  ASSERT_FALSE(options.resume_session.empty());
  TlsWire wire(*identity, options, ServerOptions(config));
  AskAndAnswer(wire, 100);

  ASSERT_TRUE(wire.Step(true));  // ClientHello + the request as early data
  // ClientHello (with the PSK and early_data extension), then the 38-byte request in one
  // record of 38 + 22 = 60 bytes.
  ASSERT_EQ(wire.flights[0].records.size(), 2u);
  EXPECT_EQ(wire.flights[0].records[1].bytes, kRequest.size() + 22);
  // Only one flight has moved: the client's Finished cannot have arrived, yet the server's
  // HTTP session already has the request.
  EXPECT_EQ(wire.server_app.received, kRequest);
  wire.Run();
  EXPECT_TRUE(wire.client_observer.result.early_data_accepted);
  EXPECT_TRUE(wire.client_observer.result.resumed);
  EXPECT_EQ(wire.RoundTripsBeforeClientData(), 0);
  EXPECT_EQ(wire.server_app.received, kRequest);  // once, not again after the handshake
  EXPECT_EQ(wire.client_app.received.size(), 100u);
}

TEST(TlsStreamTest, RefusedEarlyDataIsSentAgainAfterTheHandshake) {
  TlsConfig config = Config();
  config.early_data = true;
  auto issuing = Identity(config);
  ASSERT_NE(issuing, nullptr);
  TlsClientOptions options = ClientOptions();
  options.early_data = true;
  options.resume_session = TicketFromEarlierVisit(*issuing, config, kHost, {"h2", "http/1.1"});
  // A server that does not take 0-RTT: the client's early request must not be lost.
  TlsConfig plain = Config();
  auto identity = Identity(plain);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, options, ServerOptions(plain));
  AskAndAnswer(wire, 100);
  wire.Run();
  EXPECT_FALSE(wire.client_observer.result.early_data_accepted);
  EXPECT_EQ(wire.server_app.received, kRequest);
  EXPECT_EQ(wire.client_app.received.size(), 100u);
}

TEST(TlsStreamTest, OneInnerWriteBecomesOneRecord) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  wire.Run();
  ASSERT_EQ(wire.server_observer.done, 1);
  const size_t before = wire.flights.size();
  wire.server_app.Say(std::string(14000, 'x'));
  ASSERT_TRUE(wire.Step(false));
  // 14,000 bytes fit in one record (at most 16384): 14000 + 22 = 14022 bytes.
  ASSERT_EQ(wire.flights.size(), before + 1);
  EXPECT_EQ(RecordSizes(wire.flights.back()), (std::vector<size_t>{14022}));
  // 40,000 bytes: records of 16384, 16384 and 7232: 16406, 16406, 7254.
  wire.server_app.Say(std::string(40000, 'y'));
  ASSERT_TRUE(wire.Step(false));
  EXPECT_EQ(RecordSizes(wire.flights.back()), (std::vector<size_t>{16406, 16406, 7254}));
  EXPECT_EQ(wire.client_app.received.size(), 54000u);
}

TEST(TlsStreamTest, RecordBytesCapsEveryRecord) {
  TlsConfig config = Config();
  config.record_bytes = 4096;
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  wire.Run();
  wire.server_app.Say(std::string(10000, 'x'));
  ASSERT_TRUE(wire.Step(false));
  // 10000 = 4096 + 4096 + 1808: records of 4118, 4118, 1830.
  EXPECT_EQ(RecordSizes(wire.flights.back()), (std::vector<size_t>{4118, 4118, 1830}));
}

TEST(TlsStreamTest, DynamicRecordsStartSmall) {
  TlsConfig config = Config();
  config.dynamic_records = true;
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  wire.Run();
  // 40 records of 1369, 40 of 4229, then 16384: 54760 + 169160 + 16384 = 240304 bytes.
  wire.server_app.Say(std::string(40 * 1369 + 40 * 4229 + 16384, 'x'));
  ASSERT_TRUE(wire.Step(false));
  const std::vector<size_t> sizes = RecordSizes(wire.flights.back());
  ASSERT_EQ(sizes.size(), 81u);
  for (size_t i = 0; i < 40; ++i) EXPECT_EQ(sizes[i], 1369u + 22) << i;
  for (size_t i = 40; i < 80; ++i) EXPECT_EQ(sizes[i], 4229u + 22) << i;
  EXPECT_EQ(sizes[80], 16384u + 22);
  EXPECT_EQ(wire.client_app.received.size(), 240304u);
}

TEST(TlsStreamTest, ServerSendsTheConfiguredNumberOfTickets) {
  for (int tickets : {0, 1, 2, 4}) {
    TlsConfig config = Config();
    config.session_tickets = tickets;
    auto identity = Identity(config);
    ASSERT_NE(identity, nullptr);
    TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
    wire.Run();
    ASSERT_EQ(wire.client_observer.done, 1);
    // ClientHello, server flight, client Finished, then (after the handshake) the tickets:
    // each NewSessionTicket its own record of 273 bytes (22 + 4 + 4 lifetime + 4 age_add +
    // 1 + nonce + 2 + GnuTLS's sealed ticket + 2 extensions; measured).
    if (tickets == 0) {
      EXPECT_EQ(wire.flights.size(), 3u);
      EXPECT_TRUE(wire.client->SessionData().empty());
      EXPECT_TRUE(TicketFromEarlierVisit(*identity, config, kHost, {"h2"}).empty());
    } else {
      ASSERT_EQ(wire.flights.size(), 4u);
      EXPECT_EQ(RecordSizes(wire.flights[3]), std::vector<size_t>(tickets, 273)) << tickets;
      EXPECT_FALSE(wire.client->SessionData().empty());
    }
  }
}

TEST(TlsStreamTest, KeyLogHasTheTls13Labels) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  std::vector<std::string> lines;
  TlsClientOptions options = ClientOptions();
  options.keylog = [&lines](std::string_view line) { lines.emplace_back(line); };
  TlsWire wire(*identity, options, ServerOptions(config));
  wire.Run();
  std::set<std::string> labels;
  for (const std::string& line : lines) {
    const size_t space = line.find(' ');
    ASSERT_NE(space, std::string::npos) << line;
    labels.insert(line.substr(0, space));
    // "LABEL <32-byte client random: 64 hex> <48-byte SHA-384 secret: 96 hex>".
    EXPECT_EQ(line.size(), space + 1 + 64 + 1 + 96) << line;
    EXPECT_EQ(line.find_first_not_of("0123456789abcdef ", space), std::string::npos) << line;
  }
  EXPECT_EQ(labels, (std::set<std::string>{
                        "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                        "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"}));
  EXPECT_EQ(lines.size(), 5u);
}

TEST(TlsStreamTest, KeyLogHasTheTls12ClientRandom) {
  const TlsConfig config = Config(TlsVersion::k12);
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  std::vector<std::string> lines;
  TlsClientOptions options = ClientOptions();
  options.keylog = [&lines](std::string_view line) { lines.emplace_back(line); };
  TlsWire wire(*identity, options, ServerOptions(config));
  wire.Run();
  // "CLIENT_RANDOM <64 hex> <48-byte master secret: 96 hex>" (NSS key log format).
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("CLIENT_RANDOM ", 0), 0u);
  EXPECT_EQ(lines[0].size(), std::string("CLIENT_RANDOM ").size() + 64 + 1 + 96);
}

TEST(TlsStreamTest, CloseNotifyFollowsTheLastRecord) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  wire.Run();
  wire.server_app.close_after_output = true;
  wire.server_app.Say("bye");
  EXPECT_FALSE(wire.server->WantsClose());
  ASSERT_TRUE(wire.Step(false));
  // "bye" in 3 + 22 = 25 bytes, then close_notify: an alert (2 bytes) sealed like application
  // data, 2 + 22 = 24 bytes.
  EXPECT_EQ(RecordSizes(wire.flights.back()), (std::vector<size_t>{25, 24}));
  EXPECT_TRUE(wire.server->WantsClose());
  EXPECT_EQ(wire.client_app.received, "bye");
  EXPECT_TRUE(wire.client_app.peer_closed);
}

TEST(TlsStreamTest, LaterInnerOutputReachesTheTransport) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  int notified = 0;
  wire.server->SetOutputListener([&notified] { ++notified; });
  wire.Run();
  wire.server_app.Say("later");  // as a server think-time timer would
  EXPECT_EQ(notified, 1);
}

TEST(TlsStreamTest, AnInnerProtocolErrorReachesTheTransport) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  wire.Run();
  wire.server_app.refuse_input = true;
  wire.client_app.Say("bad");
  uint8_t out[256];
  const size_t n = wire.client->Pull(out, sizeof out);
  ASSERT_EQ(n, 3u + 22);
  EXPECT_FALSE(wire.server->Receive(out, n));  // the session refused "bad": so does TLS
  EXPECT_EQ(wire.server_app.received, "bad");
  EXPECT_FALSE(wire.server->failed());  // TLS itself is fine
}

TEST(TlsStreamTest, PeerClosingDuringTheHandshakeFails) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  TlsWire wire(*identity, ClientOptions(), ServerOptions(config));
  ASSERT_TRUE(wire.Step(true));
  wire.client->OnPeerClosed();
  EXPECT_EQ(wire.client_observer.failures,
            std::vector<std::string>{"GNUTLS_E_PREMATURE_TERMINATION"});
  EXPECT_TRUE(wire.client_app.peer_closed);
}

// Random bytes as the peer's, a fixed seed per trial: the stream fails (once), says so with at
// most an alert, wants the connection closed, and never crashes or loops. Garbage whose first
// bytes read as the header of a long record (or of an SSLv2-style hello) makes GnuTLS wait for
// the rest; the peer then closes, which fails the handshake too. Returns whether the bytes
// alone failed it.
bool FeedGarbage(TlsStream& stream, RecordingObserver& observer, uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<uint8_t> garbage(1 + random() % 4096);
  for (uint8_t& byte : garbage) byte = static_cast<uint8_t>(random());
  stream.Receive(garbage.data(), garbage.size());
  const bool failed_on_bytes = stream.failed();
  stream.Receive(garbage.data(), garbage.size());  // more after a failure: ignored
  stream.OnPeerClosed();
  uint8_t out[16384];
  size_t total = 0;
  for (int pulls = 0; pulls < 8; ++pulls) total += stream.Pull(out, sizeof out);
  EXPECT_TRUE(stream.failed()) << seed;
  EXPECT_EQ(observer.failures.size(), 1u) << seed;
  EXPECT_TRUE(stream.WantsClose()) << seed;
  EXPECT_LE(total, 7u);  // at most the alert: a 2-byte plaintext alert record is 7 bytes
  return failed_on_bytes;
}

TEST(TlsStreamTest, HostileBytesFailTheServerCleanly) {
  const TlsConfig config = Config();
  auto identity = Identity(config);
  ASSERT_NE(identity, nullptr);
  int failed_on_bytes = 0;
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    FakeSession app;
    RecordingObserver observer;
    TlsServerOptions options = ServerOptions(config);
    options.identity = identity.get();
    auto server = TlsStream::Server(app, options, &observer);
    failed_on_bytes += FeedGarbage(*server, observer, seed) ? 1 : 0;
    EXPECT_TRUE(app.received.empty());
  }
  // Most random first bytes are no record type at all (20-23 are), so most trials fail on
  // the bytes alone.
  EXPECT_GT(failed_on_bytes, 25);
}

TEST(TlsStreamTest, HostileBytesFailTheClientAfterItsClientHello) {
  int failed_on_bytes = 0;
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    FakeSession app;
    RecordingObserver observer;
    auto client = TlsStream::Client(app, ClientOptions(), &observer);
    uint8_t hello[4096];
    ASSERT_GT(client->Pull(hello, sizeof hello), 0u);
    failed_on_bytes += FeedGarbage(*client, observer, seed) ? 1 : 0;
    EXPECT_EQ(observer.done, 0);
  }
  EXPECT_GT(failed_on_bytes, 25);
}

}  // namespace
}  // namespace waterfall::testing

namespace waterfall::testing {
namespace {

// A client, after its ClientHello, gets a fatal alert in plaintext (before any keys): record
// type 21, version 3.3, length 2, level 2 (fatal), then the description.
std::vector<std::string> ClientFailuresForAlert(uint8_t description) {
  FakeSession app;
  RecordingObserver observer;
  auto client = TlsStream::Client(app, ClientOptions(), &observer);
  uint8_t hello[4096];
  EXPECT_GT(client->Pull(hello, sizeof hello), 0u);
  const uint8_t alert[] = {21, 3, 3, 0, 2, 2, description};
  EXPECT_FALSE(client->Receive(alert, sizeof alert));
  EXPECT_EQ(client->Pull(hello, sizeof hello), 0u);  // no alert back for an alert
  EXPECT_TRUE(client->WantsClose());
  return observer.failures;
}

TEST(TlsStreamTest, AReceivedAlertIsTheReason) {
  // 40: handshake_failure (RFC 8446 section 6).
  EXPECT_EQ(ClientFailuresForAlert(40), std::vector<std::string>{"alert handshake_failure"});
}

// fuzz/tls_record_fuzzer.cc found it: 210 is no alert GnuTLS knows, and reading it as a
// gnutls_alert_description_t was undefined behaviour (UBSan: "not a valid value").
TEST(TlsStreamTest, AnUnknownAlertNumberIsNamedByItsNumber) {
  EXPECT_EQ(ClientFailuresForAlert(210), std::vector<std::string>{"alert 210"});
}

}  // namespace
}  // namespace waterfall::testing
