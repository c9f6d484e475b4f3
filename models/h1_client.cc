#include "models/h1_client.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace waterfall {

namespace {
constexpr const char* kAuthority = "waterfall.test";

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

H1ClientConnection::H1ClientConnection(int id, ResponseSink& sink, std::function<void()> on_ready)
    : id_(id), sink_(sink), on_ready_(std::move(on_ready)) {
  http_parser_init(&parser_, HTTP_RESPONSE);
  parser_.data = this;
}

const http_parser_settings& H1ClientConnection::Settings() {
  static const http_parser_settings settings = [] {
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_message_begin = OnMessageBegin;
    s.on_header_field = OnHeaderField;
    s.on_header_value = OnHeaderValue;
    s.on_headers_complete = OnHeadersComplete;
    s.on_body = OnBody;
    s.on_message_complete = OnMessageComplete;
    return s;
  }();
  return settings;
}

void H1ClientConnection::Send(const std::string& url, bool waited_for_connection) {
  in_flight_ = true;
  url_ = url;
  output_ += "GET " + url + " HTTP/1.1\r\nHost: " + kAuthority +
             "\r\nAccept: */*\r\nConnection: keep-alive\r\nUser-Agent: waterfall\r\n\r\n";
  sink_.OnRequestSent(url, {id_, ++requests_}, waited_for_connection);
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
    std::string url = std::move(url_);
    url_.clear();
    sink_.OnResponseReset(url);
  }
  on_ready_();
}

void H1ClientConnection::EndHeaderField() {
  if (EqualsIgnoreCase(field_, "link")) {
    for (std::string& url : ParsePreloadLinks(value_)) preload_.push_back(std::move(url));
  }
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
  c.preload_.clear();
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
  std::vector<std::string> preload = std::move(c.preload_);
  c.preload_.clear();
  // A 1xx (103 Early Hints) is not final: http-parser ends it as a message of its own and
  // parses the final response that follows as the next message.
  if (c.status_ >= 100 && c.status_ < 200) {
    c.sink_.OnInterimResponse(c.url_, c.status_, preload);
  } else {
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
  // Idle before the sink hears of it: a request the browser makes from the callback may
  // reuse this connection at once, unless the server said "Connection: close".
  c.in_flight_ = false;
  if (!http_should_keep_alive(parser)) c.failed_ = true;
  std::string url = std::move(c.url_);
  c.url_.clear();
  c.sink_.OnResponseComplete(url);
  c.on_ready_();
  return 0;
}

// ---------------------------------------------------------------------------------------------
// H1Client

H1Client::H1Client(uint32_t max_connections, ResponseSink& sink, ConnectionOpener& opener)
    : max_connections_(std::max<uint32_t>(max_connections, 1)), sink_(sink), opener_(opener) {}

H1ClientConnection& H1Client::Connection(int id) {
  if (id >= static_cast<int>(connections_.size())) connections_.resize(id + 1);
  std::unique_ptr<H1ClientConnection>& c = connections_[id];
  if (!c) c = std::make_unique<H1ClientConnection>(id, sink_, [this] { Dispatch(); });
  return *c;
}

void H1Client::Fetch(const std::string& url) {
  queue_.push_back(url);
  Dispatch();
}

void H1Client::OnConnected(int connection) {
  Connection(connection).OnConnected();
  // What Dispatch sends on this connection now was queued while it was being opened.
  coming_up_ = connection;
  Dispatch();
  coming_up_ = -1;
}

bool H1Client::Idle() const {
  if (!queue_.empty()) return false;
  return std::none_of(connections_.begin(), connections_.end(),
                      [](const auto& c) { return c && c->busy(); });
}

void H1Client::Dispatch() {
  // Sending can call back into the pool (through the sink), so index rather than iterate.
  for (int id = 0; id < opened_ && !queue_.empty(); ++id) {
    H1ClientConnection& c = Connection(id);
    if (!c.Idle()) continue;
    std::string url = std::move(queue_.front());
    queue_.pop_front();
    c.Send(url, /*waited_for_connection=*/id == coming_up_);
  }
  // What is left waits for a connection: one still connecting takes the queue head when it
  // is up; beyond those, open new ones up to the limit. A failed connection counts as closed.
  size_t connecting = 0;
  uint32_t open = 0;
  for (int id = 0; id < opened_; ++id) {
    const H1ClientConnection& c = Connection(id);
    if (c.failed()) continue;
    ++open;
    if (!c.connected()) ++connecting;
  }
  while (queue_.size() > connecting && open < max_connections_) {
    int id = opened_++;
    Connection(id);
    ++connecting;
    ++open;
    opener_.OpenConnection(id);
  }
}

}  // namespace waterfall
