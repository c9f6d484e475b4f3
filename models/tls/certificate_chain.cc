// Builds the simulated PKI's certificates with GnuTLS's X.509 API (see certificate_chain.h).
#include "models/tls/certificate_chain.h"

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include <memory>

#include "models/tls/test_keys.h"
#include "models/tls/tls_library.h"

namespace waterfall {
namespace {

const char* KeyLabel(CertificateKey key) {
  switch (key) {
    case CertificateKey::kEcdsaP256:
      return "ECDSA P-256";
    case CertificateKey::kRsa2048:
      return "RSA 2048";
    case CertificateKey::kRsa4096:
      return "RSA 4096";
  }
  return "?";
}

struct CrtDeleter {
  void operator()(gnutls_x509_crt_int* crt) const { gnutls_x509_crt_deinit(crt); }
};
struct PrivkeyDeleter {
  void operator()(gnutls_privkey_st* key) const { gnutls_privkey_deinit(key); }
};
using Crt = std::unique_ptr<gnutls_x509_crt_int, CrtDeleter>;
using Privkey = std::unique_ptr<gnutls_privkey_st, PrivkeyDeleter>;

// What one certificate says about itself.
struct CertificateSpec {
  std::string dn;                  // subject, RFC 4514 string
  std::vector<std::string> hosts;  // subjectAltName dNSNames (leaf only)
  bool ca = false;
  uint8_t serial[2] = {0, 0};
  int64_t not_after = kCertificateNotAfter;
};

// A certificate for subject_key's public key, signed by issuer (nullptr: self-signed) with
// issuer_key. nullptr on any GnuTLS error.
Crt MakeCertificate(const CertificateSpec& spec, gnutls_privkey_t subject_key,
                    gnutls_x509_crt_t issuer, gnutls_privkey_t issuer_key) {
  gnutls_x509_crt_t raw = nullptr;
  if (gnutls_x509_crt_init(&raw) < 0) return nullptr;
  Crt crt(raw);
  gnutls_pubkey_t pubkey = nullptr;
  if (gnutls_pubkey_init(&pubkey) < 0) return nullptr;
  int rc = gnutls_pubkey_import_privkey(pubkey, subject_key, 0, 0);
  if (rc >= 0) rc = gnutls_x509_crt_set_pubkey(raw, pubkey);
  gnutls_pubkey_deinit(pubkey);
  if (rc < 0) return nullptr;

  const char* error = nullptr;
  rc = gnutls_x509_crt_set_version(raw, 3);
  if (rc >= 0) rc = gnutls_x509_crt_set_dn(raw, spec.dn.c_str(), &error);
  if (rc >= 0) rc = gnutls_x509_crt_set_serial(raw, spec.serial, sizeof spec.serial);
  if (rc >= 0) rc = gnutls_x509_crt_set_activation_time(raw, kCertificateNotBefore);
  if (rc >= 0) rc = gnutls_x509_crt_set_expiration_time(raw, spec.not_after);
  if (rc >= 0) rc = gnutls_x509_crt_set_basic_constraints(raw, spec.ca ? 1 : 0, -1);
  if (rc >= 0) {
    rc = gnutls_x509_crt_set_key_usage(raw, spec.ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                    : GNUTLS_KEY_DIGITAL_SIGNATURE);
  }
  if (rc >= 0 && !spec.ca)
    rc = gnutls_x509_crt_set_key_purpose_oid(raw, GNUTLS_KP_TLS_WWW_SERVER, 0);
  for (const std::string& host : spec.hosts) {
    if (rc >= 0) {
      rc = gnutls_x509_crt_set_subject_alt_name(raw, GNUTLS_SAN_DNSNAME, host.data(),
                                                static_cast<unsigned>(host.size()),
                                                GNUTLS_FSAN_APPEND);
    }
  }
  unsigned char key_id[64];
  size_t key_id_size = sizeof key_id;
  if (rc >= 0) rc = gnutls_x509_crt_get_key_id(raw, 0, key_id, &key_id_size);
  if (rc >= 0) rc = gnutls_x509_crt_set_subject_key_id(raw, key_id, key_id_size);
  if (rc >= 0 && issuer != nullptr) {
    unsigned char issuer_id[64];
    size_t issuer_id_size = sizeof issuer_id;
    unsigned critical = 0;
    rc = gnutls_x509_crt_get_subject_key_id(issuer, issuer_id, &issuer_id_size, &critical);
    if (rc >= 0) rc = gnutls_x509_crt_set_authority_key_id(raw, issuer_id, issuer_id_size);
  }
  if (rc < 0) return nullptr;
  // Deterministic signatures: RFC 6979 for ECDSA (the flag reaches _gnutls_x509_pkix_sign's
  // FIX_SIGN_PARAMS in GnuTLS 3.7.9; gnutls_privkey_set_flags alone does not); RSA PKCS#1 v1.5
  // is deterministic anyway.
  rc = gnutls_x509_crt_privkey_sign(raw, issuer != nullptr ? issuer : raw, issuer_key,
                                    GNUTLS_DIG_SHA256, GNUTLS_PRIVKEY_FLAG_REPRODUCIBLE);
  if (rc < 0) return nullptr;
  return crt;
}

std::vector<uint8_t> Der(gnutls_x509_crt_t crt) {
  gnutls_datum_t out{nullptr, 0};
  if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &out) < 0) return {};
  std::vector<uint8_t> der(out.data, out.data + out.size);
  gnutls_free(out.data);
  return der;
}

std::string RootDn(CertificateKey key, bool trusted) {
  return std::string("CN=Waterfall ") + (trusted ? "" : "Untrusted ") + "Test Root " +
         KeyLabel(key) + ",O=Waterfall Simulated PKI";
}

uint8_t SerialHigh(CertificateKey key) {
  return static_cast<uint8_t>(0x10 + static_cast<int>(key));
}

Crt MakeRoot(CertificateKey key, bool trusted, gnutls_privkey_t root_key) {
  CertificateSpec spec;
  spec.dn = RootDn(key, trusted);
  spec.ca = true;
  spec.serial[0] = SerialHigh(key);
  spec.serial[1] = trusted ? 1 : 0x7f;
  return MakeCertificate(spec, root_key, nullptr, root_key);
}

}  // namespace

std::vector<std::vector<uint8_t>> BuildCertificateChain(CertificateKey key, int chain_depth,
                                                        CertificateError error,
                                                        const std::vector<std::string>& hosts) {
  EnsureTlsLibrary();
  if (chain_depth < 1 || chain_depth > 4) return {};
  const bool trusted = error != CertificateError::kUntrustedRoot;
  Privkey issuer_key(
      ImportTestKey(key, trusted ? TestKeyRole::kRoot : TestKeyRole::kUntrustedRoot));
  if (!issuer_key) return {};
  Crt issuer = MakeRoot(key, trusted, issuer_key.get());
  if (!issuer) return {};

  // Top down: intermediate chain_depth-1 (signed by the root) ... intermediate 1, then the leaf.
  std::vector<std::vector<uint8_t>> top_down;
  for (int level = chain_depth - 1; level >= 1; --level) {
    const auto role =
        static_cast<TestKeyRole>(static_cast<int>(TestKeyRole::kIntermediate1) + level - 1);
    Privkey subject_key(ImportTestKey(key, role));
    if (!subject_key) return {};
    CertificateSpec spec;
    spec.dn = "CN=Waterfall Test Intermediate " + std::to_string(level) + " " + KeyLabel(key) +
              ",O=Waterfall Simulated PKI";
    spec.ca = true;
    spec.serial[0] = SerialHigh(key);
    spec.serial[1] = static_cast<uint8_t>(1 + level);
    Crt crt = MakeCertificate(spec, subject_key.get(), issuer.get(), issuer_key.get());
    if (!crt) return {};
    top_down.push_back(Der(crt.get()));
    issuer = std::move(crt);
    issuer_key = std::move(subject_key);
  }
  Privkey leaf_key(ImportTestKey(key, TestKeyRole::kLeaf));
  if (!leaf_key) return {};
  CertificateSpec leaf;
  leaf.hosts =
      error == CertificateError::kWrongHost ? std::vector<std::string>{kWrongHostName} : hosts;
  leaf.dn = "CN=" + (leaf.hosts.empty() ? std::string("localhost") : leaf.hosts.front());
  leaf.serial[0] = SerialHigh(key);
  leaf.serial[1] = error == CertificateError::kExpired ? 0x21 : 0x20;
  if (error == CertificateError::kExpired) leaf.not_after = kExpiredLeafNotAfter;
  Crt leaf_crt = MakeCertificate(leaf, leaf_key.get(), issuer.get(), issuer_key.get());
  if (!leaf_crt) return {};
  top_down.push_back(Der(leaf_crt.get()));
  for (const auto& der : top_down) {
    if (der.empty()) return {};
  }
  return {top_down.rbegin(), top_down.rend()};
}

std::string TrustedRootPem(CertificateKey key) {
  EnsureTlsLibrary();
  Privkey root_key(ImportTestKey(key, TestKeyRole::kRoot));
  if (!root_key) return {};
  Crt root = MakeRoot(key, true, root_key.get());
  if (!root) return {};
  gnutls_datum_t out{nullptr, 0};
  if (gnutls_x509_crt_export2(root.get(), GNUTLS_X509_FMT_PEM, &out) < 0) return {};
  std::string pem(reinterpret_cast<const char*>(out.data), out.size);
  gnutls_free(out.data);
  return pem;
}

}  // namespace waterfall
