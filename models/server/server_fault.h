// A resource's server fault (scenario: fault, fault_after_bytes) as every server session plays
// it: when the fault strikes and how many body bytes may go before it. Each session keeps its
// own way of expressing it:
//
//   fault        HTTP/2 (h2_server.cc)                     HTTP/1.1 (h1_server.cc)
//   reset        RST_STREAM INTERNAL_ERROR                 the connection is closed mid-body
//   goaway       GOAWAY NO_ERROR, the body goes on         "Connection: close", closed after
//                                                          the body
//   no_response  the request is read and never answered   the same; the connection hangs
//
// A reset or goaway strikes once fault_after_bytes body bytes have gone (0: before the first);
// the loader keeps fault_after_bytes within the body, and a larger one strikes at its end.
#pragma once

#include <cstdint>

#include "models/page/scenario.h"

namespace waterfall {

class ResponseFault {
 public:
  ResponseFault() = default;  // no fault
  explicit ResponseFault(const Resource& r);

  // The server reads the request and never answers it (no_response).
  static bool IgnoresRequest(const Resource& r) { return r.fault == ServerFault::kNoResponse; }

  ServerFault kind() const { return kind_; }
  // A reset or goaway that has not struck yet.
  bool pending() const { return pending_; }
  bool reset_pending() const { return pending_ && kind_ == ServerFault::kReset; }
  // Of `wanted` body bytes, how many may go now: none past the fault while it is pending.
  uint64_t Allowed(uint64_t wanted) const;
  // `n` body bytes went (n <= Allowed(n)).
  void Sent(uint64_t n);
  // Pending, and every body byte before it has gone: the session must strike now.
  bool Due() const { return pending_ && bytes_before_ == 0; }
  // Strikes the fault and returns what struck; it strikes once (kNone when none is pending).
  ServerFault Strike();

 private:
  ServerFault kind_ = ServerFault::kNone;
  bool pending_ = false;
  uint64_t bytes_before_ = 0;  // body bytes still to go before the fault strikes
};

}  // namespace waterfall
