// The browser's HTTP/2 stack for one origin: one connection, one nghttp2 client session, every
// request multiplexed on it. Sans-I/O: bytes in through Receive, bytes out through Pull.
#pragma once

#include <nghttp2/nghttp2.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/core/byte_stream.h"
#include "models/http/h2/http2_priority_dependencies.h"
#include "models/http/h2/nghttp2_glue.h"
#include "models/http/http_client.h"
#include "models/page/scenario.h"

namespace waterfall {

struct H2ClientSettings {
  bool enable_push =
      false;  // SETTINGS_ENABLE_PUSH; nghttp2 defaults to 1, Chrome sent 0 since M106
  uint32_t stream_window_bytes = 6 * 1024 * 1024;
  uint32_t connection_window_bytes = 15 * 1024 * 1024;
  // Send RFC 9218's `priority` header field (u=, i) with each request, besides the RFC 7540
  // priority in HEADERS; omitted when its value would be empty (u=3 without i). Chrome sends
  // it in CreateSpdyHeadersFromHttpRequest (net/spdy/spdy_http_utils.cc) when the feature
  // net::features::kPriorityHeader is on.
  bool priority_header = false;
};

// The pool of one origin: one session on one connection, opened at the first request (or by
// Preconnect). The session is the connection's ByteStream.
class H2Client : public ConnectionPool, public ByteStream {
 public:
  H2Client(const OriginKey& origin, const H2ClientSettings& settings, ResponseSink& sink,
           ConnectionOpener& opener);
  ~H2Client() override;
  H2Client(const H2Client&) = delete;
  H2Client& operator=(const H2Client&) = delete;

  // ConnectionPool
  const OriginKey& origin() const override { return origin_; }
  void Fetch(const Request& request) override;
  void Preconnect() override;
  bool Idle() const override { return streams_.empty(); }
  bool CarriesPriorities() const override { return true; }

  // ByteStream
  bool Receive(const uint8_t* data, size_t len) override;
  size_t Pull(uint8_t* out, size_t max_bytes) override;
  // The connection is gone: every open stream is reset, and so is every later request.
  void OnPeerClosed() override;

 private:
  struct StreamState {
    Url url;
    bool waited_for_connection = false;  // requested before the connection was up
    int status = 0;
    LinkRelations links;
    // ResponseSink::WantsHeaderFields only: the header block being received (a promise's
    // request, or a response's).
    HeaderFields fields;
  };

  static int OnHeader(nghttp2_session*, const nghttp2_frame*, const uint8_t* name, size_t namelen,
                      const uint8_t* value, size_t valuelen, uint8_t flags, void* self);
  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame*, void* self);
  static int OnDataChunk(nghttp2_session*, uint8_t flags, int32_t stream_id, const uint8_t* data,
                         size_t len, void* self);
  static int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* self);
  // A frame went out: a request's HEADERS frame is when the request was sent.
  static int OnFrameSend(nghttp2_session*, const nghttp2_frame*, void* self);
  // A request nghttp2 could not send (after a GOAWAY it opens no new stream).
  static int OnFrameNotSent(nghttp2_session*, const nghttp2_frame*, int lib_error, void* self);
  void ResetStream(int32_t stream_id);

  // Opens the connection unless it is open (or being opened) already.
  void Connect();
  void OnConnected();
  void OnHeadersFrame(const nghttp2_frame& frame);
  void OnPushPromiseFrame(const nghttp2_frame& frame);

  const OriginKey origin_;
  ResponseSink& sink_;
  ConnectionOpener& opener_;
  H2ClientSettings settings_;
  int connection_ = -1;  // the page-wide id of the one connection, once opened
  nghttp2_session* session_ = nullptr;
  bool connecting_ = false;
  bool connected_ = false;
  std::map<int32_t, StreamState> streams_;
  std::set<int32_t> refused_ids_;
  // Where each request's HEADERS goes in the RFC 7540 tree, as Chrome builds it. Requests
  // only: pushed streams stay out of it, as in Chrome.
  Http2PriorityDependencies dependencies_;  // pushes the browser cancelled: their DATA is waste
  FrameHeaderScanner scanner_;
  SessionOutput output_;
  bool failed_ = false;
};

}  // namespace waterfall
