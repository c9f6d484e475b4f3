// GnuTLS global initialisation and the frozen clock (see tls_library.h).
#include "models/tls/tls_library.h"

#include <gnutls/gnutls.h>

#include <cstdlib>

// GnuTLS reads two clocks: gnutls_time (seconds: certificate validity, TLS 1.2 session expiry),
// which gnutls_global_set_time_function replaces, and gnutls_gettime (a timespec: TLS 1.3 ticket
// creation and arrival times, ticket age, the anti-replay window, the handshake timeout), which
// only this function, exported by libgnutls 3.7.9 under its GNUTLS_PRIVATE_3_4 version (for the
// library's own tests), replaces. Without it a ticket made before an anti-replay context exists
// is refused for 0-RTT (lib/tls13/anti_replay.c) and ages follow the wall clock. Weak: a
// GnuTLS without it still works, with ages on the wall clock (ServerIdentity makes its
// anti-replay context before any ticket, so 0-RTT is still accepted).
extern "C" void _gnutls_global_set_gettime_function(void (*gettime)(struct timespec*))
    __attribute__((weak));

namespace waterfall {
namespace {

std::time_t FrozenTime(std::time_t* out) {
  if (out != nullptr) *out = kTlsClockEpochSeconds;
  return kTlsClockEpochSeconds;
}

void FrozenGettime(struct timespec* out) {
  out->tv_sec = kTlsClockEpochSeconds;
  out->tv_nsec = 0;
}

bool InitialiseOnce() {
  if (gnutls_global_init() < 0) std::abort();  // out of memory or a broken installation
  gnutls_global_set_time_function(FrozenTime);
  if (_gnutls_global_set_gettime_function != nullptr) {
    _gnutls_global_set_gettime_function(FrozenGettime);
  }
  return true;
}

}  // namespace

void EnsureTlsLibrary() {
  static const bool initialised = InitialiseOnce();
  (void)initialised;
}

std::string TlsErrorName(int code) {
  const char* name = gnutls_strerror_name(code);
  if (name != nullptr) return name;
  return "gnutls error " + std::to_string(code);
}

}  // namespace waterfall
