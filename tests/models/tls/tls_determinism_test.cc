// Wire sizes do not depend on GnuTLS's unseedable randomness: the same handshake gives the
// same byte count of every record, run after run. The one size randomness could change is an
// ECDSA signature's DER (70-72 bytes for P-256); fixed_length_signer.h pins it at 72.
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "models/tls/fixed_length_signer.h"
#include "models/tls/test_keys.h"
#include "models/tls/tls_library.h"
#include "tests/models/tls/tls_wire.h"

namespace waterfall::testing {
namespace {

constexpr int kRuns = 20;

// Who sent each flight and the size of each of its records.
using WireShape = std::vector<std::pair<bool, std::vector<size_t>>>;

WireShape Shape(const TlsWire& wire) {
  WireShape shape;
  for (const Flight& flight : wire.flights) {
    std::vector<size_t> sizes;
    for (const WireRecord& record : flight.records) sizes.push_back(record.bytes);
    shape.emplace_back(flight.from_client, sizes);
  }
  return shape;
}

// A full handshake, or a resumed one, carrying a 38-byte request and a 5000-byte response.
WireShape OneConnection(const ServerIdentity& identity, const TlsConfig& config, bool resume) {
  TlsClientOptions client;
  client.server_name = "example.test";
  client.alpn = {"h2", "http/1.1"};
  if (resume) {
    client.resume_session = TicketFromEarlierVisit(identity, config, "example.test", client.alpn);
  }
  TlsServerOptions server;
  server.config = config;
  server.alpn = {"h2", "http/1.1"};
  TlsWire wire(identity, client, server);
  wire.client_app.Say(std::string(38, 'q'));
  wire.server_app.on_receive = [](FakeSession& app) {
    if (app.received.size() == 38) app.Say(std::string(5000, 'r'));
  };
  wire.Run();
  EXPECT_EQ(wire.client_observer.done, 1);
  EXPECT_EQ(wire.client_observer.result.resumed, resume);
  EXPECT_EQ(wire.client_app.received.size(), 5000u);
  return Shape(wire);
}

TEST(TlsDeterminismTest, EveryRecordHasTheSameSizeOnEveryRun) {
  for (CertificateKey key :
       {CertificateKey::kEcdsaP256, CertificateKey::kRsa2048, CertificateKey::kRsa4096}) {
    for (TlsVersion version : {TlsVersion::k13, TlsVersion::k12}) {
      for (bool resume : {false, true}) {
        TlsConfig config;
        config.certificate = key;
        config.version = version;
        auto identity = ServerIdentity::Build(config, {"example.test"}, "seed");
        ASSERT_NE(identity, nullptr);
        const WireShape first = OneConnection(*identity, config, resume);
        ASSERT_GE(first.size(), 3u);
        for (int run = 1; run < kRuns; ++run) {
          ASSERT_EQ(OneConnection(*identity, config, resume), first)
              << "key " << static_cast<int>(key) << " version " << static_cast<int>(version)
              << " resume " << resume << " run " << run;
        }
        size_t server_first_flight = 0;
        for (size_t bytes : first[1].second) server_first_flight += bytes;
        std::printf("key %d TLS %s %s: server first flight %zu bytes, same in %d runs\n",
                    static_cast<int>(key), version == TlsVersion::k13 ? "1.3" : "1.2",
                    resume ? "resumed" : "full", server_first_flight, kRuns);
      }
    }
  }
}

// The control: without the wrapper, ECDSA P-256 signatures of the same data vary in length.
// Each is 72 bytes with probability ~1/4, 71 with ~1/2, 70 with ~1/4; 64 signatures all of one
// length happen with probability < 2 * (1/2)^64.
TEST(TlsDeterminismTest, PlainEcdsaSignaturesVaryAndWrappedOnesDoNot) {
  EnsureTlsLibrary();
  const unsigned char message[] = "the server's handshake transcript";
  const gnutls_datum_t data{const_cast<unsigned char*>(message), sizeof message};
  std::set<unsigned> plain_lengths;
  std::set<unsigned> wrapped_lengths;
  gnutls_privkey_t plain = ImportTestKey(CertificateKey::kEcdsaP256, TestKeyRole::kLeaf);
  gnutls_privkey_t wrapped =
      WrapWithFixedLengthSignatures(ImportTestKey(CertificateKey::kEcdsaP256, TestKeyRole::kLeaf));
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(wrapped, nullptr);
  for (int i = 0; i < 64; ++i) {
    gnutls_datum_t signature{nullptr, 0};
    ASSERT_EQ(
        gnutls_privkey_sign_data2(plain, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0, &data, &signature),
        0);
    plain_lengths.insert(signature.size);
    gnutls_free(signature.data);
    ASSERT_EQ(gnutls_privkey_sign_data2(wrapped, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0, &data,
                                        &signature),
              0);
    wrapped_lengths.insert(signature.size);
    gnutls_free(signature.data);
  }
  gnutls_privkey_deinit(plain);
  gnutls_privkey_deinit(wrapped);
  EXPECT_GT(plain_lengths.size(), 1u);
  EXPECT_EQ(wrapped_lengths, std::set<unsigned>{kEcdsaP256SignatureBytes});
}

}  // namespace
}  // namespace waterfall::testing
