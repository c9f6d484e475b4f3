// The fixed private keys (models/tls/test_keys.inc, from scripts/make-tls-test-keys) the simulated
// PKI is built from. TEST KEYS, NOT SECRET: they make every run's certificates the same bytes.
#pragma once

#include <gnutls/abstract.h>

#include "models/page/scenario.h"

namespace waterfall {

// Which key of a key type's simulated PKI.
enum class TestKeyRole {
  kRoot,           // the trusted root (TrustedRootsPem)
  kIntermediate1,  // signs the leaf
  kIntermediate2,  // signs intermediate 1
  kIntermediate3,  // signs intermediate 2
  kLeaf,           // the server's key
  kUntrustedRoot,  // a root no browser trusts (CertificateError::kUntrustedRoot)
};

// The PKCS#8 PEM of one test key.
const char* TestKeyPem(CertificateKey key, TestKeyRole role);

// The test key imported into a new gnutls_privkey_t (the caller deinits it); nullptr if GnuTLS
// refuses it (never, for the shipped keys).
gnutls_privkey_t ImportTestKey(CertificateKey key, TestKeyRole role);

}  // namespace waterfall
