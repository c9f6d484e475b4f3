// The process-wide GnuTLS set-up every TLS object needs first: global initialisation and a
// fixed clock. Simulated TLS must not depend on the wall clock: certificate validity, ticket
// lifetimes, ticket ages and the 0-RTT anti-replay window all read GnuTLS's clock, so it is
// frozen at kTlsClockEpochSeconds (2026-01-01T00:00:00Z), inside every chain's validity
// (2025-01-01 .. 2027-12-31) and after an expired leaf's notAfter (2025-06-30).
#pragma once

#include <ctime>
#include <string>

namespace waterfall {

// 2026-01-01T00:00:00Z in seconds since the Unix epoch (date -u -d 2026-01-01 +%s).
constexpr std::time_t kTlsClockEpochSeconds = 1767225600;

// Initialises GnuTLS and installs the frozen clock, once per process; later calls do nothing.
// Thread-safe (a function-local static).
void EnsureTlsLibrary();

// "GNUTLS_E_..." name of a GnuTLS error code, or "gnutls error <code>" when it has none.
std::string TlsErrorName(int code);

}  // namespace waterfall
