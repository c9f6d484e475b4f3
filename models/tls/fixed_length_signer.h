// Handshake signatures of one fixed length, so that the server's flight has the same size on
// every run. GnuTLS's randomness cannot be seeded, and an ECDSA signature is DER
// SEQUENCE { INTEGER r, INTEGER s }: 70 to 72 bytes for P-256 depending on whether r and s
// have their top bit set. RSA (PKCS#1 v1.5 and PSS) signatures are always the modulus size and
// need no help.
#pragma once

#include <gnutls/abstract.h>

namespace waterfall {

// The longest DER ECDSA P-256 signature: SEQUENCE header (2) + two INTEGERs of a 0x00 pad byte
// and 32 value bytes (2 + 33 each) = 72 (SEC 1 v2, section C.8; RFC 3279 section 2.2.3).
constexpr unsigned kEcdsaP256SignatureBytes = 72;

// Signing attempts before giving up. Each attempt gives 72 bytes with probability about 1/4
// (r and s both >= 2^255), so all 64 fail with probability (3/4)^64 ~= 1.0e-8 per handshake;
// then the handshake fails with GNUTLS_E_PK_SIGN_FAILED rather than change a size.
constexpr int kMaxSignAttempts = 64;

// A privkey that signs with ecdsa_key (an ECDSA P-256 key, which it takes ownership of) and
// returns only kEcdsaP256SignatureBytes-long signatures; nullptr on failure (ecdsa_key freed).
gnutls_privkey_t WrapWithFixedLengthSignatures(gnutls_privkey_t ecdsa_key);

}  // namespace waterfall
