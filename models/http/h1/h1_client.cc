#include "models/http/h1/h1_client.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace waterfall {

namespace {
bool EqualsIgnoreCase(const std::string& a, const char* b) {
  size_t n = std::strlen(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

H1ClientConnection& Self(http_parser* parser) {
  return *static_cast<H1ClientConnection*>(parser->data);
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// H1ClientConnection

H1ClientConnection::H1ClientConnection(ResponseSink& sink, std::function<void()> on_ready,
                                       OnFree on_free)
    : sink_(sink), on_ready_(std::move(on_ready)), on_free_(std::move(on_free)) {
  http_parser_init(&parser_, HTTP_RESPONSE);
  parser_.data = this;
}

const http_parser_settings& H1ClientConnection::Settings() {
  static const http_parser_settings settings = [] {
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_message_begin = OnMessageBegin;
    s.on_status = OnStatus;
    s.on_header_field = OnHeaderField;
    s.on_header_value = OnHeaderValue;
    s.on_headers_complete = OnHeadersComplete;
    s.on_body = OnBody;
    s.on_message_complete = OnMessageComplete;
    return s;
  }();
  return settings;
}

void H1ClientConnection::Send(const Request& request, bool waited_for_connection) {
  in_flight_ = true;
  url_ = request.url;
  // One list makes both the bytes on the wire and what a HAR export shows of them.
  const HeaderFields fields = {{"Host", url_.origin.Authority()},
                               {"Accept", "*/*"},
                               {"Connection", "keep-alive"},
                               {"User-Agent", "waterfall"}};
  output_ += "GET " + url_.path + " HTTP/1.1\r\n";
  for (const auto& [name, value] : fields) output_ += name + ": " + value + "\r\n";
  output_ += "\r\n";
  if (sink_.WantsHeaderFields()) sink_.OnRequestHeaderFields(url_, fields);
  sink_.OnRequestSent(url_, {id_, ++requests_}, waited_for_connection);
  NotifyOutput();
}

bool H1ClientConnection::Receive(const uint8_t* data, size_t len) {
  if (failed_) return false;
  size_t n = http_parser_execute(&parser_, &Settings(), reinterpret_cast<const char*>(data), len);
  // A parse error, or bytes the parser will not take (an upgrade): the connection is unusable.
  if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK || n != len) Fail();
  return !failed_;
}

size_t H1ClientConnection::Pull(uint8_t* out, size_t max_bytes) {
  if (failed_) return 0;
  size_t n = std::min(max_bytes, output_.size() - output_offset_);
  std::memcpy(out, output_.data() + output_offset_, n);
  output_offset_ += n;
  if (output_offset_ == output_.size()) {
    output_.clear();
    output_offset_ = 0;
  }
  return n;
}

void H1ClientConnection::OnPeerClosed() {
  if (!failed_) Fail();
}

void H1ClientConnection::Fail() {
  failed_ = true;
  output_.clear();
  output_offset_ = 0;
  if (in_flight_) {
    in_flight_ = false;
    Url url = std::move(url_);
    url_ = Url();
    sink_.OnResponseReset(url);
  }
  on_ready_();
}

void H1ClientConnection::EndHeaderField() {
  if (EqualsIgnoreCase(field_, "link")) {
    ParseLinks(value_, &links_);
  }
  if (keep_fields_) response_fields_.emplace_back(field_, value_);
  field_.clear();
  value_.clear();
  in_value_ = false;
}

int H1ClientConnection::OnMessageBegin(http_parser* parser) {
  H1ClientConnection& c = Self(parser);
  c.status_ = 0;
  c.field_.clear();
  c.value_.clear();
  c.in_value_ = false;
  c.links_ = LinkRelations();
  c.keep_fields_ = c.sink_.WantsHeaderFields();
  c.status_text_.clear();
  c.response_fields_.clear();
  return 0;
}

int H1ClientConnection::OnStatus(http_parser* parser, const char* at, size_t len) {
  H1ClientConnection& c = Self(parser);
  if (c.keep_fields_) c.status_text_.append(at, len);
  return 0;
}

int H1ClientConnection::OnHeaderField(http_parser* parser, const char* at, size_t len) {
  H1ClientConnection& c = Self(parser);
  if (c.in_value_) c.EndHeaderField();  // a new field begins
  c.field_.append(at, len);
  return 0;
}

int H1ClientConnection::OnHeaderValue(http_parser* parser, const char* at, size_t len) {
  H1ClientConnection& c = Self(parser);
  c.in_value_ = true;
  c.value_.append(at, len);
  return 0;
}

int H1ClientConnection::OnHeadersComplete(http_parser* parser) {
  H1ClientConnection& c = Self(parser);
  if (!c.in_flight_) return -1;  // a response nobody asked for
  if (c.in_value_ || !c.field_.empty()) c.EndHeaderField();
  c.status_ = parser->status_code;
  LinkRelations links = std::move(c.links_);
  c.links_ = LinkRelations();
  const std::vector<std::string>& preload = links.preload;
  if (!links.preconnect.empty()) c.sink_.OnPreconnectLinks(c.url_, c.status_, links.preconnect);
  // A 1xx (103 Early Hints) is not final: http-parser ends it as a message of its own and
  // parses the final response that follows as the next message.
  if (c.status_ >= 100 && c.status_ < 200) {
    c.sink_.OnInterimResponse(c.url_, c.status_, preload);
  } else {
    if (c.keep_fields_) c.sink_.OnResponseHeaderFields(c.url_, c.status_text_, c.response_fields_);
    c.sink_.OnResponseHeaders(c.url_, c.status_, preload);
  }
  return 0;
}

int H1ClientConnection::OnBody(http_parser* parser, const char*, size_t len) {
  H1ClientConnection& c = Self(parser);
  if (c.in_flight_) c.sink_.OnResponseData(c.url_, len);
  return 0;
}

int H1ClientConnection::OnMessageComplete(http_parser* parser) {
  H1ClientConnection& c = Self(parser);
  if (c.status_ >= 100 && c.status_ < 200) return 0;  // the final response is still to come
  if (!c.in_flight_) return -1;
  c.in_flight_ = false;
  if (!http_should_keep_alive(parser)) c.failed_ = true;
  Url url = std::move(c.url_);
  c.url_ = Url();
  // Chrome returns the socket to its pool as soon as the body is read (HttpBasicStream::Close,
  // then TransportClientSocketPool::ReleaseSocket hands it to the first waiting request), before
  // the renderer hears the response is complete and asks for what it found in it. So a request
  // already waiting takes this connection, whatever the priority of requests the sink makes
  // from its callback; with none waiting, the connection is idle before the sink hears, and a
  // request made from the callback reuses it at once (unless the server said "Connection:
  // close").
  c.held_ = !c.failed_ && c.on_free_();
  c.sink_.OnResponseComplete(url);
  c.held_ = false;
  c.on_ready_();
  return 0;
}

// ---------------------------------------------------------------------------------------------
// H1Client

H1Client::H1Client(const OriginKey& origin, uint32_t max_connections, ResponseSink& sink,
                   ConnectionOpener& opener)
    : origin_(origin),
      max_connections_(std::max<uint32_t>(max_connections, 1)),
      sink_(sink),
      opener_(opener) {}

void H1Client::Fetch(const Request& request) {
  // Behind every waiting request of the same or a higher priority (Chrome's pool queues
  // requests by priority, FIFO among equals).
  auto at = std::find_if(queue_.begin(), queue_.end(), [&](const Request& waiting) {
    return waiting.priority.level < request.priority.level;
  });
  queue_.insert(at, request);
  Dispatch();
}

void H1Client::Preconnect() {
  // As Chrome's preconnect of one socket (ClientSocketPool::RequestSockets): nothing when the
  // origin has a connection already, open or being opened.
  const bool any = std::any_of(connections_.begin(), connections_.end(),
                               [](const auto& c) { return !c->failed(); });
  if (!any) OpenConnection();
}

void H1Client::OpenConnection() {
  const size_t index = connections_.size();
  connections_.push_back(std::make_unique<H1ClientConnection>(
      sink_, [this] { Dispatch(); }, [this, index] { return HoldFor(index); }));
  H1ClientConnection& c = *connections_.back();
  c.set_id(opener_.Open(origin_, c, [this, index] { OnConnected(index); }));
}

void H1Client::OnConnected(size_t index) {
  connections_[index]->OnConnected();
  // What Dispatch sends on this connection now was queued while it was being opened.
  coming_up_ = index;
  Dispatch();
  coming_up_ = kNone;
}

bool H1Client::Idle() const {
  if (!queue_.empty() || !held_.empty()) return false;
  return std::none_of(connections_.begin(), connections_.end(),
                      [](const auto& c) { return c->busy(); });
}

bool H1Client::HoldFor(size_t index) {
  if (queue_.empty()) return false;
  held_.emplace(index, std::move(queue_.front()));
  queue_.pop_front();
  return true;
}

void H1Client::Dispatch() {
  // First the requests held for connections whose response has just ended; one whose
  // connection failed meanwhile waits again, first in line.
  for (auto it = held_.begin(); it != held_.end();) {
    H1ClientConnection& c = *connections_[it->first];
    if (!c.Idle() && !c.failed()) {  // still held: its sink callback is running
      ++it;
      continue;
    }
    Request request = std::move(it->second);
    held_.erase(it);
    if (c.failed()) {
      queue_.push_front(std::move(request));
    } else {
      c.Send(request, /*waited_for_connection=*/false);
    }
    it = held_.begin();  // Send may have called back into the pool
  }
  // Sending can call back into the pool (through the sink), so index rather than iterate.
  for (size_t i = 0; i < connections_.size() && !queue_.empty(); ++i) {
    H1ClientConnection& c = *connections_[i];
    if (!c.Idle()) continue;
    Request request = std::move(queue_.front());
    queue_.pop_front();
    c.Send(request, /*waited_for_connection=*/i == coming_up_);
  }
  // What is left waits for a connection: one still connecting takes the queue head when it
  // is up; beyond those, open new ones up to the limit. A failed connection counts as closed.
  size_t connecting = 0;
  uint32_t open = 0;
  for (const auto& c : connections_) {
    if (c->failed()) continue;
    ++open;
    if (!c->connected()) ++connecting;
  }
  while (queue_.size() > connecting && open < max_connections_) {
    ++connecting;
    ++open;
    OpenConnection();
  }
}

}  // namespace waterfall
