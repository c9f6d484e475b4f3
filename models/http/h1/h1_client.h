// The browser's HTTP/1.1 stack for one origin, as Chrome does it: a pool of up to N persistent
// connections (6 by default), one request in flight per connection, no pipelining.
// Sans-I/O: each connection takes bytes through Receive and gives them through Pull.
#pragma once

#include <http_parser.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/core/byte_stream.h"
#include "models/http/http_client.h"

namespace waterfall {

// One keep-alive connection: writes a GET, parses its response (103s included) with
// http-parser, and reports it to the sink.
class H1ClientConnection : public ByteStream {
 public:
  // Asked when a response has ended, before the sink hears of it: true if the pool holds this
  // connection for a request that is already waiting (it sends it on on_ready).
  using OnFree = std::function<bool()>;
  // on_ready runs when the connection has finished its response or failed: the pool may
  // give it (or another connection) the next request.
  H1ClientConnection(ResponseSink& sink, std::function<void()> on_ready, OnFree on_free);
  H1ClientConnection(const H1ClientConnection&) = delete;
  H1ClientConnection& operator=(const H1ClientConnection&) = delete;

  // The page-wide id the opener gave this connection (ConnectionOpener::Open).
  void set_id(int id) { id_ = id; }
  int id() const { return id_; }
  void OnConnected() { connected_ = true; }
  bool connected() const { return connected_; }
  bool failed() const { return failed_; }
  bool busy() const { return in_flight_; }
  // Connected, alive and with no request in flight: ready for Send.
  bool Idle() const { return connected_ && !failed_ && !in_flight_ && !held_; }
  // Writes the request. Only when Idle(). waited_for_connection: the request was queued while
  // this connection was being opened and goes out the moment it is up.
  void Send(const Request& request, bool waited_for_connection);

  // ByteStream
  bool Receive(const uint8_t* data, size_t len) override;
  size_t Pull(uint8_t* out, size_t max_bytes) override;
  // The server closed the connection: a response in flight is cut off (reset); the pool
  // stops using this connection and opens another for what is queued.
  void OnPeerClosed() override;

 private:
  static int OnMessageBegin(http_parser* parser);
  static int OnStatus(http_parser* parser, const char* at, size_t len);
  static int OnHeaderField(http_parser* parser, const char* at, size_t len);
  static int OnHeaderValue(http_parser* parser, const char* at, size_t len);
  static int OnHeadersComplete(http_parser* parser);
  static int OnBody(http_parser* parser, const char* at, size_t len);
  static int OnMessageComplete(http_parser* parser);
  static const http_parser_settings& Settings();

  // A header field and value are complete: keep what the sink needs (Link preloads).
  void EndHeaderField();
  void Fail();

  int id_ = -1;
  ResponseSink& sink_;
  std::function<void()> on_ready_;
  OnFree on_free_;
  // Between a response's end and the sink's hearing of it: the connection is promised to the
  // request that was waiting (not Idle); the pool sends it on on_ready.
  bool held_ = false;
  http_parser parser_;
  bool connected_ = false;
  bool failed_ = false;
  bool in_flight_ = false;
  Url url_;               // of the request in flight
  int32_t requests_ = 0;  // requests written so far: the next one's position is requests_ + 1
  int status_ = 0;        // of the message being parsed (1xx or final)
  // Header field and value being parsed; http-parser may hand them over in pieces.
  std::string field_;
  std::string value_;
  bool in_value_ = false;
  LinkRelations links_;
  // The sink wants header lists (ResponseSink::WantsHeaderFields): the message's reason phrase
  // and header fields, kept only then.
  bool keep_fields_ = false;
  std::string status_text_;
  HeaderFields response_fields_;
  std::string output_;
  size_t output_offset_ = 0;
};

// The pool of one origin's connections, with Chrome's late binding of requests to sockets
// (net/socket/transport_client_socket_pool.cc: OnConnectJobComplete pops the group's next
// unbound request or, with none, AddIdleSocket; ReleaseSocket hands a freed socket to the next
// request through OnAvailableSocketSlot; Group::unbound_requests_ is a PriorityQueue): a request
// that finds no idle connection waits, and a connection is opened (through the ConnectionOpener)
// for each waiting request beyond those being opened, up to the limit; but the request is not tied
// to that connection. Whichever connection becomes free first takes the first waiting request:
// the new one when its handshake (TCP, and TLS) is done, or a busy one when its response ends.
// A new connection that comes up with nobody waiting stays idle for the next request. Waiting
// requests are served highest priority first (Request::priority.level), in the order they came
// within a priority (PriorityQueue::FirstMax).
class H1Client : public ConnectionPool {
 public:
  H1Client(const OriginKey& origin, uint32_t max_connections, ResponseSink& sink,
           ConnectionOpener& opener);
  H1Client(const H1Client&) = delete;
  H1Client& operator=(const H1Client&) = delete;

  // ConnectionPool
  const OriginKey& origin() const override { return origin_; }
  void Fetch(const Request& request) override;
  void Preconnect() override;
  bool Idle() const override;

 private:
  // Opens one more connection through the opener.
  void OpenConnection();
  // Connection `index` (in the order this pool opened them) is up.
  void OnConnected(size_t index);
  // Hands queued requests to idle connections, then opens connections for those left over.
  void Dispatch();
  // Connection `index`'s response has ended: the first waiting request, if any, is taken off the
  // queue and held for it (true).
  bool HoldFor(size_t index);

  const OriginKey origin_;
  const uint32_t max_connections_;
  ResponseSink& sink_;
  ConnectionOpener& opener_;
  std::vector<std::unique_ptr<H1ClientConnection>> connections_;  // in the order opened
  static constexpr size_t kNone = static_cast<size_t>(-1);
  size_t coming_up_ = kNone;        // inside OnConnected: the connection that has just come up
  std::deque<Request> queue_;       // highest priority first, FIFO within a priority
  std::map<size_t, Request> held_;  // by connection index: promised to it by HoldFor
};

}  // namespace waterfall
