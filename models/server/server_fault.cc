#include "models/server/server_fault.h"

#include <algorithm>

namespace waterfall {

ResponseFault::ResponseFault(const Resource& r)
    : kind_(r.fault),
      pending_(r.fault == ServerFault::kReset || r.fault == ServerFault::kGoAway),
      bytes_before_(pending_ ? std::min(r.fault_after_bytes, r.size_bytes) : 0) {}

uint64_t ResponseFault::Allowed(uint64_t wanted) const {
  return pending_ ? std::min(wanted, bytes_before_) : wanted;
}

void ResponseFault::Sent(uint64_t n) {
  if (pending_) bytes_before_ -= std::min(n, bytes_before_);
}

ServerFault ResponseFault::Strike() {
  if (!pending_) return ServerFault::kNone;
  pending_ = false;
  return kind_;
}

}  // namespace waterfall
