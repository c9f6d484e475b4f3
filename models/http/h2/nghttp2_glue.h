// nghttp2 glue: small pieces both HTTP/2 sessions (client and server) need around nghttp2.
#pragma once

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace waterfall {

// Header fields for an nghttp2 submit call. nghttp2_nv holds raw pointers, so the strings
// live here until the submit returns.
class NvList {
 public:
  NvList& Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  const nghttp2_nv* data();
  size_t size() const { return fields_.size(); }
  // (name, value) in the order added: what goes into the header block.
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<nghttp2_nv> nv_;
};

// Hands out what nghttp2_session_mem_send produces in pieces no larger than a transport's
// send space. No copy: nghttp2 keeps the bytes valid until the next mem_send, and the next
// mem_send happens only once they have all been taken.
class SessionOutput {
 public:
  // Copies up to max_bytes into out. Returns 0 when nghttp2 has nothing to send; sets
  // *failed on an nghttp2 error.
  size_t Pull(nghttp2_session* session, uint8_t* out, size_t max_bytes, bool* failed);

 private:
  const uint8_t* pending_ = nullptr;  // owned by nghttp2
  size_t pending_bytes_ = 0;
};

// Reads the 9-byte frame headers (RFC 9113 4.1) out of a server-to-client byte stream, to
// account for frames nghttp2 drops without a callback (DATA on a stream already reset).
class FrameHeaderScanner {
 public:
  struct FrameHead {
    uint32_t length;
    uint8_t type;
    int32_t stream_id;
  };
  // Calls on_frame(head, end) for every frame header completed within data, where end is the
  // offset in data just past that header.
  template <typename F>
  void Scan(const uint8_t* data, size_t len, F&& on_frame);

 private:
  uint8_t header_[9] = {};
  size_t header_bytes_ = 0;
  uint64_t payload_left_ = 0;
};

template <typename F>
void FrameHeaderScanner::Scan(const uint8_t* data, size_t len, F&& on_frame) {
  size_t i = 0;
  while (i < len) {
    if (payload_left_ > 0) {
      size_t skip = static_cast<size_t>(std::min<uint64_t>(payload_left_, len - i));
      payload_left_ -= skip;
      i += skip;
      continue;
    }
    header_[header_bytes_++] = data[i++];
    if (header_bytes_ < sizeof header_) continue;
    header_bytes_ = 0;
    FrameHead head;
    head.length = (uint32_t{header_[0]} << 16) | (uint32_t{header_[1]} << 8) | header_[2];
    head.type = header_[3];
    head.stream_id =
        static_cast<int32_t>(((uint32_t{header_[5]} & 0x7f) << 24) | (uint32_t{header_[6]} << 16) |
                             (uint32_t{header_[7]} << 8) | header_[8]);
    payload_left_ = head.length;
    on_frame(head, i);
  }
}

}  // namespace waterfall
