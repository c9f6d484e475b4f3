#include "models/http/h2/nghttp2_glue.h"

#include <algorithm>
#include <cstring>

namespace waterfall {

const nghttp2_nv* NvList::data() {
  nv_.clear();
  for (auto& [name, value] : fields_) {
    nv_.push_back({reinterpret_cast<uint8_t*>(name.data()),
                   reinterpret_cast<uint8_t*>(value.data()), name.size(), value.size(),
                   NGHTTP2_NV_FLAG_NONE});
  }
  return nv_.data();
}

size_t SessionOutput::Pull(nghttp2_session* session, uint8_t* out, size_t max_bytes, bool* failed) {
  if (pending_bytes_ == 0) {
    ssize_t n = nghttp2_session_mem_send(session, &pending_);
    if (n < 0) *failed = true;
    if (n <= 0) return 0;
    pending_bytes_ = static_cast<size_t>(n);
  }
  size_t n = std::min(max_bytes, pending_bytes_);
  std::memcpy(out, pending_, n);
  pending_ += n;
  pending_bytes_ -= n;
  return n;
}

}  // namespace waterfall
