// The shipped test keys by key type and role (see test_keys.h).
#include "models/tls/test_keys.h"

#include <cstring>

namespace waterfall {
namespace {
#include "models/tls/test_keys.inc"

// Indexed by CertificateKey, then TestKeyRole.
constexpr const char* kPems[3][6] = {
    {k_ecdsa_p256_root, k_ecdsa_p256_intermediate1, k_ecdsa_p256_intermediate2,
     k_ecdsa_p256_intermediate3, k_ecdsa_p256_leaf, k_ecdsa_p256_untrusted_root},
    {k_rsa_2048_root, k_rsa_2048_intermediate1, k_rsa_2048_intermediate2, k_rsa_2048_intermediate3,
     k_rsa_2048_leaf, k_rsa_2048_untrusted_root},
    {k_rsa_4096_root, k_rsa_4096_intermediate1, k_rsa_4096_intermediate2, k_rsa_4096_intermediate3,
     k_rsa_4096_leaf, k_rsa_4096_untrusted_root},
};

}  // namespace

const char* TestKeyPem(CertificateKey key, TestKeyRole role) {
  return kPems[static_cast<int>(key)][static_cast<int>(role)];
}

gnutls_privkey_t ImportTestKey(CertificateKey key, TestKeyRole role) {
  const char* pem = TestKeyPem(key, role);
  gnutls_datum_t datum{reinterpret_cast<unsigned char*>(const_cast<char*>(pem)),
                       static_cast<unsigned>(std::strlen(pem))};
  gnutls_privkey_t privkey = nullptr;
  if (gnutls_privkey_init(&privkey) < 0) return nullptr;
  if (gnutls_privkey_import_x509_raw(privkey, &datum, GNUTLS_X509_FMT_PEM, nullptr, 0) < 0) {
    gnutls_privkey_deinit(privkey);
    return nullptr;
  }
  return privkey;
}

}  // namespace waterfall
