// The narrow interface between the browser and its network stack for one origin.
//
// A mode's client (HTTP/1.1 connection pool, one HTTP/2 session) implements HttpClient; the
// Browser implements ResponseSink. Neither knows about sockets: the client asks a
// ConnectionOpener (sim/) for TCP connections and exposes one ByteStream per connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/byte_stream.h"

namespace waterfall {

// Where a response travels: the connection (0-based, in order opened) and the stream on it
// (HTTP/2 stream id; for HTTP/1.1 the request's 1-based position on its connection).
struct StreamRef {
  int connection = -1;
  int32_t stream_id = 0;
};

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // The request's bytes were handed to a connection that is up (h1: written on it; h2: its
  // HEADERS frame serialized for the socket). waited_for_connection: the request was waiting
  // for this connection's TCP handshake (submitted, or queued, before the connection was up,
  // and sent the moment it came up).
  virtual void OnRequestSent(const std::string& url, StreamRef where,
                             bool waited_for_connection) = 0;
  // A non-final (1xx) response, e.g. 103 Early Hints; `preload` holds its Link: rel=preload URLs.
  virtual void OnInterimResponse(const std::string& url, int status,
                                 const std::vector<std::string>& preload) = 0;
  virtual void OnResponseHeaders(const std::string& url, int status,
                                 const std::vector<std::string>& preload) = 0;
  virtual void OnResponseData(const std::string& url, uint64_t body_bytes) = 0;
  virtual void OnResponseComplete(const std::string& url) = 0;
  virtual void OnResponseReset(const std::string& url) = 0;
  // The server promised to push url. Return false to refuse it (RST_STREAM CANCEL).
  virtual bool OnPushPromise(const std::string& url, StreamRef where) = 0;
  // Body bytes that arrived for a push the browser refused or never used.
  virtual void OnWastedPushBytes(uint64_t bytes) = 0;
};

class ConnectionOpener {
 public:
  virtual ~ConnectionOpener() = default;
  // Starts a TCP connection; the opener later calls HttpClient::OnConnected(connection).
  virtual void OpenConnection(int connection) = 0;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual void Fetch(const std::string& url) = 0;
  virtual void OnConnected(int connection) = 0;
  virtual ByteStream& Stream(int connection) = 0;
  // True when no response is outstanding (requested, promised or in flight).
  virtual bool Idle() const = 0;
};

// Shared by the HTTP/1.1 and HTTP/2 clients: the URLs of a Link header's rel=preload entries,
// e.g. `</style.css>; rel=preload; as=style, </a.js>; rel=preload; as=script`.
std::vector<std::string> ParsePreloadLinks(const std::string& link_header_value);

}  // namespace waterfall
