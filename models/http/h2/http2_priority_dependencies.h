// The RFC 7540 priority fields Chrome puts in each request's HEADERS frame (Chromium's
// net/spdy/http2_priority_dependencies.cc): its open streams form one chain, highest priority
// first and, within a priority, in the order they were created. A new stream is inserted
// exclusively under the last stream of the lowest priority at or above its own, so the server's
// dependency tree (RFC 7540 5.3) is that chain. Only the client's own requests take part:
// Chrome calls it from SpdySession::CreateHeaders, which pushed streams never pass through.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <map>

#include "models/http/request_priority.h"

namespace waterfall {

// RFC 7540 6.2 / 5.3.1: the stream this one depends on (0: the root), its weight (1..256, as
// nghttp2_priority_spec takes it), and whether it becomes its parent's only child.
struct H2PrioritySpec {
  int32_t parent = 0;
  int32_t weight = 16;
  bool exclusive = false;
};

// The weight Chrome gives a priority: Spdy3PriorityToHttp2Weight of the SPDY/3 priority (0 for
// HIGHEST ... 4 for IDLE, net/spdy/spdy_http_utils.cc ConvertRequestPriorityToSpdyPriority)
// in quiche's spdy_protocol.cc, 255.9 / 7 per step: HIGHEST 256, MEDIUM 220, LOW 183,
// LOWEST 147, IDLE 110. The chain makes the weights moot, but servers that read them as SPDY
// priorities see the right order.
int32_t ChromeHttp2Weight(RequestPriority priority);

class Http2PriorityDependencies {
 public:
  // A request's stream is created (its HEADERS frame is being built): where it goes.
  H2PrioritySpec OnStreamCreation(int32_t stream_id, RequestPriority priority);
  // The stream closed (or was reset): it leaves the chain. Unknown ids are ignored.
  void OnStreamDestruction(int32_t stream_id);

 private:
  static constexpr int kLevels = 5;  // RequestPriority kIdle .. kHighest
  using IdList = std::list<int32_t>;
  // Open streams of each priority, oldest first, indexed by RequestPriority.
  std::array<IdList, kLevels> by_priority_;
  std::map<int32_t, std::pair<int, IdList::iterator>> entry_by_id_;
};

}  // namespace waterfall
