// ExportIdentityPem: GnuTLS's PEM and base64 encoders over the chain and key that
// ServerIdentity uses.
#include "models/tls/identity_pem.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <stdexcept>

#include "models/tls/certificate_chain.h"
#include "models/tls/test_keys.h"
#include "models/tls/tls_library.h"

namespace waterfall {
namespace {

void Check(int rc, const char* what) {
  if (rc < 0) throw std::runtime_error(std::string(what) + ": " + gnutls_strerror(rc));
}

std::string TakeDatum(gnutls_datum_t* d) {
  std::string s(reinterpret_cast<const char*>(d->data), d->size);
  gnutls_free(d->data);
  return s;
}

std::string CertificatePem(const std::vector<uint8_t>& der) {
  gnutls_datum_t in{const_cast<unsigned char*>(der.data()), static_cast<unsigned>(der.size())};
  gnutls_datum_t out{nullptr, 0};
  Check(gnutls_pem_base64_encode2("CERTIFICATE", &in, &out), "gnutls_pem_base64_encode2");
  return TakeDatum(&out);
}

std::string KeyPem(CertificateKey key) {
  gnutls_privkey_t privkey = ImportTestKey(key, TestKeyRole::kLeaf);
  if (privkey == nullptr) throw std::runtime_error("cannot import the leaf's test key");
  gnutls_x509_privkey_t x509 = nullptr;
  int rc = gnutls_privkey_export_x509(privkey, &x509);
  gnutls_privkey_deinit(privkey);
  Check(rc, "gnutls_privkey_export_x509");
  gnutls_datum_t out{nullptr, 0};
  rc = gnutls_x509_privkey_export2(x509, GNUTLS_X509_FMT_PEM, &out);
  gnutls_x509_privkey_deinit(x509);
  Check(rc, "gnutls_x509_privkey_export2");
  return TakeDatum(&out);
}

std::string SpkiSha256(const std::vector<uint8_t>& der) {
  gnutls_datum_t in{const_cast<unsigned char*>(der.data()), static_cast<unsigned>(der.size())};
  gnutls_x509_crt_t crt = nullptr;
  Check(gnutls_x509_crt_init(&crt), "gnutls_x509_crt_init");
  gnutls_pubkey_t pub = nullptr;
  int rc = gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_DER);
  if (rc >= 0) rc = gnutls_pubkey_init(&pub);
  if (rc >= 0) rc = gnutls_pubkey_import_x509(pub, crt, 0);
  gnutls_datum_t spki{nullptr, 0};
  if (rc >= 0) rc = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki);
  if (pub != nullptr) gnutls_pubkey_deinit(pub);
  gnutls_x509_crt_deinit(crt);
  Check(rc, "the leaf's SubjectPublicKeyInfo");
  unsigned char digest[32];  // SHA-256
  rc = gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.size, digest);
  gnutls_free(spki.data);
  Check(rc, "gnutls_hash_fast");
  gnutls_datum_t raw{digest, sizeof digest};
  gnutls_datum_t b64{nullptr, 0};
  Check(gnutls_base64_encode2(&raw, &b64), "gnutls_base64_encode2");
  return TakeDatum(&b64);
}

}  // namespace

IdentityPem ExportIdentityPem(const TlsConfig& config, const std::vector<std::string>& hosts) {
  EnsureTlsLibrary();
  const std::vector<std::vector<uint8_t>> chain = BuildCertificateChain(
      config.certificate, config.chain_depth, config.certificate_error, hosts);
  if (chain.empty()) throw std::runtime_error("cannot build the certificate chain");
  IdentityPem pem;
  for (const std::vector<uint8_t>& der : chain) pem.chain_pem += CertificatePem(der);
  pem.key_pem = KeyPem(config.certificate);
  pem.spki_sha256 = SpkiSha256(chain.front());
  return pem;
}

}  // namespace waterfall
