// One HTTP/1.1 server connection: parses keep-alive requests with http-parser and answers them
// from the SiteContent, in request order, with a 103 Early Hints before the document when the
// mode asks for it (h1-hints). HTTP/1.1 cannot push, so the push set is ignored.
// Sans-I/O: bytes in through Receive, bytes out through Pull, time through the EventLoop.
#pragma once

#include <http_parser.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "models/core/byte_stream.h"
#include "models/core/event_loop.h"
#include "models/server/server_fault.h"
#include "models/server/site_content.h"

namespace waterfall {

class H1ServerSession : public ByteStream {
 public:
  H1ServerSession(const SiteContent& content, EventLoop& loop);
  H1ServerSession(const H1ServerSession&) = delete;
  H1ServerSession& operator=(const H1ServerSession&) = delete;

  bool Receive(const uint8_t* data, size_t len) override;
  // Writes responses lazily: body bytes are generated here, never buffered whole.
  size_t Pull(uint8_t* out, size_t max_bytes) override;
  // After a kReset fault (cut mid-body) or a kGoAway one (a response with Connection: close).
  bool WantsClose() const override { return closing_; }

 private:
  struct Response {
    std::string head;        // header bytes that may go out now (a 103, then the final head)
    size_t head_offset = 0;  // of head, already written
    std::string final_head;  // the status line and headers, held back until ready
    uint64_t body_remaining = 0;
    bool ready = false;  // think time is over: the final head and the body may go
    ResponseFault fault;
    bool close_after = false;  // a goaway struck: close once this response is written
  };

  static int OnMessageBegin(http_parser* parser);
  static int OnUrl(http_parser* parser, const char* at, size_t len);
  static int OnHeaderField(http_parser* parser, const char* at, size_t len);
  static int OnHeaderValue(http_parser* parser, const char* at, size_t len);
  static int OnMessageComplete(http_parser* parser);
  static const http_parser_settings& Settings();

  void OnRequest(const std::string& authority, const std::string& path);
  static void MakeReady(Response& response);

  const SiteContent& content_;
  EventLoop& loop_;
  http_parser parser_;
  std::string url_;    // request target being parsed
  std::string host_;   // its Host header
  std::string field_;  // the header field being parsed, lower case
  bool in_value_ = false;
  // Responses not yet fully written, by request order: HTTP/1.1 answers in that order.
  std::map<uint64_t, Response> responses_;
  uint64_t next_request_ = 0;
  bool failed_ = false;
  bool closing_ = false;  // the server closes this connection: no more output
  // Think-time timers still pending; destroying the session cancels them.
  PendingTimers timers_{loop_};
};

}  // namespace waterfall
