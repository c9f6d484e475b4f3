// The seam between the browser and its network stacks.
//
// The browser hands each Request (an absolute URL) to the ConnectionPool of the URL's origin;
// a mode's pool (HTTP/1.1: up to 6 connections; HTTP/2: one session) asks a ConnectionOpener
// (sim/ in a simulation, a test's fake) for transport connections to that origin and hands it
// the ByteStream that rides each one. Responses come back to the browser through ResponseSink.
// Neither side knows about sockets.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/core/byte_stream.h"
#include "models/http/request_priority.h"
#include "models/page/url.h"

namespace waterfall {

// Where a response travels: the connection (its page-wide id, see ConnectionOpener) and the
// stream on it (HTTP/2 stream id; for HTTP/1.1 the request's 1-based position on its
// connection).
struct StreamRef {
  int connection = -1;
  int32_t stream_id = 0;
};

// Why the browser asked for (or received) a resource first.
// kPreloadScanner: found by Blink's preload scanner, ahead of a parser blocked on a script.
enum class Initiator { kNone, kParser, kPush, kEarlyHints, kPreload, kPreloadScanner };
const char* ToString(Initiator initiator);

// Header fields in the order they went on (or came off) the wire: (name, value). HTTP/2
// pseudo-header fields (":method", ":status", ...) come first, as RFC 9113 8.3 requires.
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Url url;  // absolute
  Priority priority;
  Initiator initiator = Initiator::kNone;

  // The origin the request is for (the pool's origin).
  const OriginKey& origin() const { return url.origin; }
};

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // The request's bytes were handed to a connection that is up (h1: written on it; h2: its
  // HEADERS frame serialized for the socket). waited_for_connection: the request was waiting
  // for this connection's TCP handshake (submitted, or queued, before the connection was up,
  // and sent the moment it came up).
  virtual void OnRequestSent(const Url& url, StreamRef where, bool waited_for_connection) = 0;
  // Before OnInterimResponse / OnResponseHeaders of a response whose Link header names
  // rel=preconnect origins (as written: "http://cdn.example.net"). Most sinks ignore it.
  virtual void OnPreconnectLinks(const Url& url, int status,
                                 const std::vector<std::string>& origins) {
    (void)url, (void)status, (void)origins;
  }
  // A non-final (1xx) response, e.g. 103 Early Hints; `preload` holds its Link: rel=preload
  // references as written (resolve them against url).
  virtual void OnInterimResponse(const Url& url, int status,
                                 const std::vector<std::string>& preload) = 0;
  virtual void OnResponseHeaders(const Url& url, int status,
                                 const std::vector<std::string>& preload) = 0;
  // Header lists as sent and received, for a HAR export. Only when WantsHeaderFields(): a
  // client builds nothing otherwise (a 100,000-resource page pays nothing for them).
  // OnRequestHeaderFields: the request's header fields as written (h1: the request line's
  // method and target are not among them), or a push's from its PUSH_PROMISE (once the
  // browser took it). OnResponseHeaderFields: the final (non-1xx) response's fields, before
  // OnResponseHeaders; h1: status_text is the reason phrase ("" over HTTP/2).
  virtual bool WantsHeaderFields() const { return false; }
  virtual void OnRequestHeaderFields(const Url& url, const HeaderFields& fields) {
    (void)url, (void)fields;
  }
  virtual void OnResponseHeaderFields(const Url& url, const std::string& status_text,
                                      const HeaderFields& fields) {
    (void)url, (void)status_text, (void)fields;
  }
  virtual void OnResponseData(const Url& url, uint64_t body_bytes) = 0;
  virtual void OnResponseComplete(const Url& url) = 0;
  virtual void OnResponseReset(const Url& url) = 0;
  // The server promised to push url. Return false to refuse it (RST_STREAM CANCEL).
  virtual bool OnPushPromise(const Url& url, StreamRef where) = 0;
  // Body bytes that arrived for a push the browser refused or never used.
  virtual void OnWastedPushBytes(uint64_t bytes) = 0;
};

// Opens transport connections for the pools of one page. Connection ids are the opener's: 0,
// 1, 2, ... in the order opened, whichever pool (origin) asks, so they are unique in the page.
class ConnectionOpener {
 public:
  virtual ~ConnectionOpener() = default;
  // Opens a connection to origin that will carry stream's bytes, and returns its id. When it
  // is up the opener has stream's bytes moving on it, then calls on_up; if it cannot be
  // established the opener calls stream.OnPeerClosed() instead. Neither happens inside Open.
  int Open(const OriginKey& origin, ByteStream& stream, std::function<void()> on_up) {
    const int id = next_id_++;
    DoOpen(id, origin, stream, std::move(on_up));
    return id;
  }
  int opened() const { return next_id_; }

 protected:
  virtual void DoOpen(int id, const OriginKey& origin, ByteStream& stream,
                      std::function<void()> on_up) = 0;

 private:
  int next_id_ = 0;
};

// A mode's HTTP stack for one origin: its connections and the requests on them.
class ConnectionPool {
 public:
  virtual ~ConnectionPool() = default;
  virtual const OriginKey& origin() const = 0;
  // Sends request (for this pool's origin) on a connection, opening one when needed.
  virtual void Fetch(const Request& request) = 0;
  // Opens a connection before any request needs it (a warm start; later, a preconnect).
  // Requests made meanwhile wait for it, as for any connection being opened.
  virtual void Preconnect() = 0;
  // True when no response is outstanding (requested, promised or in flight).
  virtual bool Idle() const = 0;
  // The protocol carries request priorities to the server (HTTP/2; HTTP/3): Chrome's HTTP/1.1
  // request scheduling (browser/resource_scheduler.h) leaves such an origin's requests alone.
  virtual bool CarriesPriorities() const { return false; }
};

// Makes the pool of an origin; the browser calls it once per origin it requests from, passing
// itself as the sink.
using ConnectionPoolFactory =
    std::function<std::unique_ptr<ConnectionPool>(const OriginKey& origin, ResponseSink& sink)>;

// Shared by the HTTP/1.1 and HTTP/2 clients: the references of a Link header (RFC 8288) the
// browser acts on, by relation, e.g. `</style.css>; rel=preload; as=style,
// <http://cdn.example.net>; rel=preconnect`.
struct LinkRelations {
  std::vector<std::string> preload;
  std::vector<std::string> preconnect;
};
// Appends what link_header_value names to *out.
void ParseLinks(const std::string& link_header_value, LinkRelations* out);
// The rel=preload entries alone.
std::vector<std::string> ParsePreloadLinks(const std::string& link_header_value);

}  // namespace waterfall
