// ServerIdentity: real X.509 chains from the shipped test keys, their sizes per key type and
// depth, their determinism, the trusted roots and the session-ticket key.
#include "models/tls/server_identity.h"

#include <gnutls/gnutls.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "models/tls/certificate_chain.h"

namespace waterfall {
namespace {

TlsConfig Config(CertificateKey key, int depth, CertificateError error = CertificateError::kNone) {
  TlsConfig config;
  config.certificate = key;
  config.chain_depth = depth;
  config.certificate_error = error;
  return config;
}

size_t ChainBytes(CertificateKey key, int depth) {
  auto identity = ServerIdentity::Build(Config(key, depth), {"example.test"}, "seed");
  return identity ? identity->chain_bytes() : 0;
}

TEST(ServerIdentityTest, ChainHasDepthCertificatesLeafFirst) {
  for (CertificateKey key :
       {CertificateKey::kEcdsaP256, CertificateKey::kRsa2048, CertificateKey::kRsa4096}) {
    for (int depth = 1; depth <= 4; ++depth) {
      auto identity = ServerIdentity::Build(Config(key, depth), {"example.test"}, "seed");
      ASSERT_NE(identity, nullptr) << ToString(key) << " depth " << depth;
      EXPECT_EQ(identity->chain_der().size(), static_cast<size_t>(depth));
      // DER certificates start with SEQUENCE (0x30) and a two-byte long-form length (0x82):
      // every one here is between 256 and 65535 bytes.
      for (const auto& der : identity->chain_der()) {
        ASSERT_GE(der.size(), 256u);
        EXPECT_EQ(der[0], 0x30);
        EXPECT_EQ(der[1], 0x82);
      }
      std::printf("chain %s depth %d: %zu bytes (", ToString(key), depth, identity->chain_bytes());
      for (const auto& der : identity->chain_der()) std::printf(" %zu", der.size());
      std::printf(" )\n");
    }
  }
}

TEST(ServerIdentityTest, ChainSizesFollowTheKeyType) {
  // Measured (printed by the test above), leaf first:
  //   ecdsa-p256: depth 1 488, 2 1002, 3 1515, 4 2031 (certificates of ~490-515 bytes)
  //   rsa-2048:   depth 1 880, 2 1785, 3 2690, 4 3595 (~890-905)
  //   rsa-4096:   depth 1 1392, 2 2809, 3 4226, 4 5643 (~1400-1417)
  // An RSA-4096 certificate carries a 512-byte modulus (+ ~14 bytes of DER) where ECDSA has a
  // 65-byte point, and a 512-byte signature where ECDSA has ~71: about +890 bytes each, so
  // three of them are ~2.7 KB larger, more than 2 KB (2048 bytes).
  const size_t ecdsa3 = ChainBytes(CertificateKey::kEcdsaP256, 3);
  const size_t rsa4096_3 = ChainBytes(CertificateKey::kRsa4096, 3);
  EXPECT_GT(rsa4096_3, ecdsa3 + 2048);
  // RSA-2048: a 256-byte modulus and signature: ~+390 bytes a certificate over ECDSA.
  EXPECT_GT(ChainBytes(CertificateKey::kRsa2048, 3), ecdsa3 + 3 * 300);
  EXPECT_LT(ChainBytes(CertificateKey::kRsa2048, 3), rsa4096_3 - 3 * 400);
  // Each extra level adds one intermediate: ~500 bytes ECDSA, ~900 RSA-2048, ~1400 RSA-4096.
  for (CertificateKey key :
       {CertificateKey::kEcdsaP256, CertificateKey::kRsa2048, CertificateKey::kRsa4096}) {
    for (int depth = 2; depth <= 4; ++depth) {
      const size_t added = ChainBytes(key, depth) - ChainBytes(key, depth - 1);
      const size_t expected = key == CertificateKey::kEcdsaP256 ? 500
                              : key == CertificateKey::kRsa2048 ? 900
                                                                : 1400;
      EXPECT_NEAR(static_cast<double>(added), static_cast<double>(expected), 30.0)
          << ToString(key) << " depth " << depth;
    }
  }
}

TEST(ServerIdentityTest, SameArgumentsGiveTheSameBytes) {
  for (CertificateKey key :
       {CertificateKey::kEcdsaP256, CertificateKey::kRsa2048, CertificateKey::kRsa4096}) {
    auto a = ServerIdentity::Build(Config(key, 3), {"a.test", "b.test"}, "seed");
    auto b = ServerIdentity::Build(Config(key, 3), {"a.test", "b.test"}, "seed");
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(a->chain_der(), b->chain_der()) << ToString(key);
  }
}

TEST(ServerIdentityTest, LeafNamesEveryHost) {
  // A second SAN dNSName adds its DER: tag+length (2) + "second.test" (11) = 13 bytes to the
  // leaf (the outer lengths stay in the same 2-byte long form).
  auto one = ServerIdentity::Build(Config(CertificateKey::kEcdsaP256, 1), {"a.test"}, "s");
  auto two =
      ServerIdentity::Build(Config(CertificateKey::kEcdsaP256, 1), {"a.test", "second.test"}, "s");
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  const long grown = static_cast<long>(two->chain_bytes()) - static_cast<long>(one->chain_bytes());
  // ECDSA signatures are 70-72 bytes, so the two leaves may differ by up to 2 more bytes.
  EXPECT_GE(grown, 13 - 2);
  EXPECT_LE(grown, 13 + 2);
}

TEST(ServerIdentityTest, TrustedRootsAreOnePerKeyType) {
  const std::string& pem = TrustedRootsPem();
  size_t count = 0;
  for (size_t at = pem.find("BEGIN CERTIFICATE"); at != std::string::npos;
       at = pem.find("BEGIN CERTIFICATE", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
  EXPECT_EQ(pem, TrustedRootsPem());
}

TEST(ServerIdentityTest, ChainDepthOutsideOneToFourIsRefused) {
  EXPECT_EQ(ServerIdentity::Build(Config(CertificateKey::kEcdsaP256, 0), {"a.test"}, "s"), nullptr);
  EXPECT_EQ(ServerIdentity::Build(Config(CertificateKey::kEcdsaP256, 5), {"a.test"}, "s"), nullptr);
}

TEST(ServerIdentityTest, TicketKeyFollowsTheSeed) {
  auto a = ServerIdentity::Build(Config(CertificateKey::kEcdsaP256, 1), {"a.test"}, "seed-1");
  auto b = ServerIdentity::Build(Config(CertificateKey::kRsa2048, 2), {"b.test"}, "seed-1");
  auto c = ServerIdentity::Build(Config(CertificateKey::kEcdsaP256, 1), {"a.test"}, "seed-2");
  ASSERT_TRUE(a && b && c);
  auto bytes = [](const ServerIdentity& identity) {
    const auto* key = static_cast<const gnutls_datum_t*>(identity.ticket_key());
    return std::vector<uint8_t>(key->data, key->data + key->size);
  };
  EXPECT_EQ(bytes(*a).size(), 64u);  // GnuTLS's ticket key size (TICKET_MASTER_KEY_SIZE)
  EXPECT_EQ(bytes(*a), bytes(*b));
  EXPECT_NE(bytes(*a), bytes(*c));
}

}  // namespace
}  // namespace waterfall
