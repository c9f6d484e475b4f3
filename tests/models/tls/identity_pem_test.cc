// ExportIdentityPem: the PEM files are the chain ServerIdentity presents, the key goes with the
// leaf, and the SPKI hash has the form Chrome's --ignore-certificate-errors-spki-list takes.
#include "models/tls/identity_pem.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/tls/server_identity.h"

namespace waterfall {
namespace {

std::vector<std::vector<uint8_t>> DecodeChain(const std::string& pem) {
  std::vector<std::vector<uint8_t>> out;
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const std::string end = "-----END CERTIFICATE-----";
  for (size_t at = pem.find(begin); at != std::string::npos; at = pem.find(begin, at + 1)) {
    const size_t stop = pem.find(end, at) + end.size();
    std::string block = pem.substr(at, stop - at);
    gnutls_datum_t in{reinterpret_cast<unsigned char*>(block.data()),
                      static_cast<unsigned>(block.size())};
    gnutls_datum_t der{nullptr, 0};
    EXPECT_GE(gnutls_pem_base64_decode2("CERTIFICATE", &in, &der), 0);
    out.emplace_back(der.data, der.data + der.size);
    gnutls_free(der.data);
  }
  return out;
}

TEST(IdentityPemTest, ChainIsServerIdentitysAndTheKeyMatchesItsLeaf) {
  for (CertificateKey key : {CertificateKey::kEcdsaP256, CertificateKey::kRsa2048}) {
    TlsConfig config;
    config.certificate = key;
    config.chain_depth = 2;
    const std::vector<std::string> hosts = {"waterfall.test", "cdn.example.net"};
    IdentityPem pem = ExportIdentityPem(config, hosts);
    auto identity = ServerIdentity::Build(config, hosts, "seed");
    ASSERT_NE(identity, nullptr);
    EXPECT_EQ(DecodeChain(pem.chain_pem), identity->chain_der()) << ToString(key);
    // GnuTLS refuses a key that does not belong to the first certificate.
    gnutls_certificate_credentials_t creds = nullptr;
    ASSERT_GE(gnutls_certificate_allocate_credentials(&creds), 0);
    gnutls_datum_t cert{reinterpret_cast<unsigned char*>(pem.chain_pem.data()),
                        static_cast<unsigned>(pem.chain_pem.size())};
    gnutls_datum_t k{reinterpret_cast<unsigned char*>(pem.key_pem.data()),
                     static_cast<unsigned>(pem.key_pem.size())};
    EXPECT_GE(gnutls_certificate_set_x509_key_mem(creds, &cert, &k, GNUTLS_X509_FMT_PEM), 0)
        << ToString(key);
    gnutls_certificate_free_credentials(creds);
    // base64 of a 32-byte SHA-256: 4 * ceil(32 / 3) = 44 characters, one '=' of padding.
    EXPECT_EQ(pem.spki_sha256.size(), 44u);
    EXPECT_EQ(pem.spki_sha256.back(), '=');
  }
}

TEST(IdentityPemTest, KeyTypesHaveDifferentSpkiHashesAndTheSameTypeTheSame) {
  TlsConfig ecdsa, rsa;
  rsa.certificate = CertificateKey::kRsa2048;
  EXPECT_NE(ExportIdentityPem(ecdsa, {"a.test"}).spki_sha256,
            ExportIdentityPem(rsa, {"a.test"}).spki_sha256);
  // The SPKI is the key's, not the certificate's: other hosts, same hash.
  EXPECT_EQ(ExportIdentityPem(ecdsa, {"a.test"}).spki_sha256,
            ExportIdentityPem(ecdsa, {"b.test"}).spki_sha256);
}

}  // namespace
}  // namespace waterfall
