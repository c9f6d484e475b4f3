#include "models/http/h2/http2_priority_dependencies.h"

#include <iterator>

namespace waterfall {

int32_t ChromeHttp2Weight(RequestPriority priority) {
  // SPDY/3 priority: 0 for HIGHEST ... 4 for IDLE (of 0..7).
  const int spdy3 = static_cast<int>(RequestPriority::kHighest) - static_cast<int>(priority);
  // Spdy3PriorityToHttp2Weight: 8 SPDY/3 priorities spread over weights 1..256.
  const float steps = 255.9f / 7.f;
  return static_cast<int32_t>(steps * static_cast<float>(7 - spdy3)) + 1;
}

H2PrioritySpec Http2PriorityDependencies::OnStreamCreation(int32_t stream_id,
                                                           RequestPriority priority) {
  const int level = static_cast<int>(priority);
  H2PrioritySpec spec;
  spec.weight = ChromeHttp2Weight(priority);
  spec.exclusive = true;
  if (entry_by_id_.count(stream_id)) return spec;  // created twice: Chrome leaves it alone
  // The parent: the newest stream of the lowest priority at or above this one's.
  for (int i = level; i < kLevels; ++i) {
    if (!by_priority_[i].empty()) {
      spec.parent = by_priority_[i].back();
      break;
    }
  }
  IdList& list = by_priority_[level];
  list.push_back(stream_id);
  entry_by_id_[stream_id] = {level, std::prev(list.end())};
  return spec;
}

void Http2PriorityDependencies::OnStreamDestruction(int32_t stream_id) {
  auto it = entry_by_id_.find(stream_id);
  if (it == entry_by_id_.end()) return;
  by_priority_[it->second.first].erase(it->second.second);
  entry_by_id_.erase(it);
}

}  // namespace waterfall
