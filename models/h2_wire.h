// Small pieces both HTTP/2 sessions (client and server) need around nghttp2.
#pragma once

#include <nghttp2/nghttp2.h>

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

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<nghttp2_nv> nv_;
};

// Buffers what nghttp2_session_mem_send produces (valid only until the next nghttp2 call) so
// a transport can take it in pieces no larger than its send space.
class SessionOutput {
 public:
  // Copies up to max_bytes into out. Returns 0 when nghttp2 has nothing to send; sets
  // *failed on an nghttp2 error.
  size_t Pull(nghttp2_session* session, uint8_t* out, size_t max_bytes, bool* failed);

 private:
  std::vector<uint8_t> pending_;
  size_t offset_ = 0;
};

}  // namespace waterfall
