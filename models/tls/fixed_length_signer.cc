// A GnuTLS external private key that retries ECDSA signing until the DER has the maximum
// length (see fixed_length_signer.h).
#include "models/tls/fixed_length_signer.h"

#include <gnutls/gnutls.h>

namespace waterfall {
namespace {

gnutls_privkey_t RealKey(void* userdata) { return static_cast<gnutls_privkey_t>(userdata); }

template <typename SignOnce>
int SignFixedLength(SignOnce sign_once, gnutls_datum_t* signature) {
  for (int attempt = 0; attempt < kMaxSignAttempts; ++attempt) {
    gnutls_datum_t candidate{nullptr, 0};
    const int rc = sign_once(&candidate);
    if (rc < 0) return rc;
    if (candidate.size == kEcdsaP256SignatureBytes) {
      *signature = candidate;  // allocated with gnutls_malloc, as GnuTLS frees it
      return 0;
    }
    gnutls_free(candidate.data);
  }
  return GNUTLS_E_PK_SIGN_FAILED;
}

int SignData(gnutls_privkey_t, gnutls_sign_algorithm_t algo, void* userdata, unsigned flags,
             const gnutls_datum_t* data, gnutls_datum_t* signature) {
  return SignFixedLength(
      [&](gnutls_datum_t* out) {
        return gnutls_privkey_sign_data2(RealKey(userdata), algo, flags, data, out);
      },
      signature);
}

int SignHash(gnutls_privkey_t, gnutls_sign_algorithm_t algo, void* userdata, unsigned flags,
             const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  return SignFixedLength(
      [&](gnutls_datum_t* out) {
        return gnutls_privkey_sign_hash2(RealKey(userdata), algo, flags, hash, out);
      },
      signature);
}

void Deinit(gnutls_privkey_t, void* userdata) { gnutls_privkey_deinit(RealKey(userdata)); }

// What GnuTLS asks an external key: its algorithm, its size, the signature schemes it can make.
int Info(gnutls_privkey_t, unsigned flags, void*) {
  if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO) {
    const auto algo = static_cast<gnutls_sign_algorithm_t>(GNUTLS_FLAGS_TO_SIGN_ALGO(flags));
    return gnutls_sign_get_pk_algorithm(algo) == GNUTLS_PK_ECDSA &&
           gnutls_sign_supports_pk_algorithm(algo, GNUTLS_PK_ECDSA);
  }
  if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO) return GNUTLS_PK_ECDSA;
  if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS) return 256;  // P-256
  if (flags & GNUTLS_PRIVKEY_INFO_SIGN_ALGO) return GNUTLS_SIGN_ECDSA_SECP256R1_SHA256;
  return -1;
}

}  // namespace

gnutls_privkey_t WrapWithFixedLengthSignatures(gnutls_privkey_t ecdsa_key) {
  gnutls_privkey_t wrapper = nullptr;
  if (gnutls_privkey_init(&wrapper) < 0) {
    gnutls_privkey_deinit(ecdsa_key);
    return nullptr;
  }
  if (gnutls_privkey_import_ext4(wrapper, ecdsa_key, SignData, SignHash, nullptr, Deinit, Info,
                                 GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE) < 0) {
    gnutls_privkey_deinit(wrapper);
    gnutls_privkey_deinit(ecdsa_key);
    return nullptr;
  }
  return wrapper;
}

}  // namespace waterfall
