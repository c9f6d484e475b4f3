// The simulated web PKI: real X.509 certificates built with GnuTLS from the shipped test keys
// (test_keys.h). Per key type a self-signed root (trusted, or the untrusted one), up to three
// intermediates, and a leaf naming the hosts. Fixed serials, names, validity and deterministic
// signatures (RFC 6979 ECDSA, PKCS#1 v1.5 RSA): the same arguments give the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/page/scenario.h"

namespace waterfall {

// Validity of every certificate (Unix seconds, UTC): date -u -d 2025-01-01 +%s, and
// 2027-12-31T23:59:59 (2028-01-01 minus one second).
constexpr int64_t kCertificateNotBefore = 1735689600;
constexpr int64_t kCertificateNotAfter = 1830297599;
// An expired leaf's notAfter: 2025-06-30T23:59:59Z (181 days after 2025-01-01, minus 1 s).
constexpr int64_t kExpiredLeafNotAfter = 1751327999;
// The name an intentionally wrong leaf carries (CertificateError::kWrongHost); .invalid never
// resolves (RFC 6761 section 6.4).
constexpr const char* kWrongHostName = "wrong-host.invalid";

// chain_depth (1..4) DER certificates, leaf first, the root not included, made wrong as error
// says. Empty if GnuTLS fails (it does not for the shipped keys).
std::vector<std::vector<uint8_t>> BuildCertificateChain(CertificateKey key, int chain_depth,
                                                        CertificateError error,
                                                        const std::vector<std::string>& hosts);

// The trusted root of a key type, PEM.
std::string TrustedRootPem(CertificateKey key);

}  // namespace waterfall
