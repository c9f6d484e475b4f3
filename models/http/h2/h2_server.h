// One HTTP/2 server connection: an nghttp2 server session serving the SiteContent's resources,
// with the document's push promises or 103 Early Hints when the mode asks for them, its
// responses' DATA ordered by the scenario's server.scheduler (docs/priorities.md).
// Sans-I/O: bytes in through Receive, bytes out through Pull, time through the EventLoop.
#pragma once

#include <nghttp2/nghttp2.h>

#include <map>
#include <memory>
#include <string>

#include "models/core/byte_stream.h"
#include "models/core/event_loop.h"
#include "models/http/h2/nghttp2_glue.h"
#include "models/server/server_fault.h"
#include "models/server/site_content.h"

namespace waterfall {

class H2ServerSession : public ByteStream {
 public:
  H2ServerSession(const SiteContent& content, EventLoop& loop);
  ~H2ServerSession() override;
  H2ServerSession(const H2ServerSession&) = delete;
  H2ServerSession& operator=(const H2ServerSession&) = delete;

  bool Receive(const uint8_t* data, size_t len) override;
  size_t Pull(uint8_t* out, size_t max_bytes) override;

 private:
  struct Response {
    std::string path;
    std::string authority;  // the request's :authority; its pushes are promised on the same
    uint64_t remaining_bytes = 0;
    ResponseFault fault;  // the resource's reset or goaway, and the body bytes before it
    bool failed = false;  // reset by the server because nghttp2 refused one of its frames
  };

  static int OnBeginHeaders(nghttp2_session*, const nghttp2_frame*, void* self);
  static int OnHeader(nghttp2_session*, const nghttp2_frame*, const uint8_t* name, size_t namelen,
                      const uint8_t* value, size_t valuelen, uint8_t flags, void* self);
  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame*, void* self);
  static int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* self);
  static int OnFrameNotSent(nghttp2_session*, const nghttp2_frame*, int error, void* self);
  static ssize_t ReadBody(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length,
                          uint32_t* data_flags, nghttp2_data_source* source, void* self);

  // fifo and round-robin: the stream's priority is the server's own, whatever the client
  // signals (its `priority` header, PRIORITY_UPDATE). Nothing for rfc7540 and rfc9218.
  void ImposePriority(int32_t stream_id);
  void OnRequest(int32_t stream_id);
  void SubmitResponse(int32_t stream_id);
  void RespondAfterThinking(int32_t stream_id, const Resource& r);
  // PUSH_PROMISE each push URL on the document's stream; returns the promised stream ids.
  std::map<int32_t, std::string> PromisePushes(int32_t document_stream);
  void SubmitEarlyHints(int32_t document_stream);
  // The resource's fault is due: RST_STREAM (returns true: the stream ends) or GOAWAY.
  bool StrikeFault(Response& response);
  // nghttp2 refused a frame of this stream's response: RST_STREAM (INTERNAL_ERROR), so that the
  // client records the resource "reset" instead of waiting for it forever.
  void FailStream(int32_t stream_id);

  const SiteContent& content_;
  EventLoop& loop_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, Response> responses_;
  SessionOutput output_;
  bool failed_ = false;
  // Think-time timers still pending; destroying the session cancels them.
  PendingTimers timers_{loop_};
};

}  // namespace waterfall
