#include "models/http/h1/h1_server.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace waterfall {

namespace {
H1ServerSession& Self(http_parser* parser) { return *static_cast<H1ServerSession*>(parser->data); }

// "content-type" -> "Content-Type": HTTP/1.1 servers (nginx, Apache) capitalize field names.
std::string FieldName(const std::string& name) {
  std::string out = name;
  bool word_start = true;
  for (char& ch : out) {
    if (word_start) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    word_start = ch == '-';
  }
  return out;
}

std::string Head(const char* status_line, const HeaderList& headers) {
  std::string head = std::string("HTTP/1.1 ") + status_line + "\r\n";
  for (const auto& [name, value] : headers) head += FieldName(name) + ": " + value + "\r\n";
  return head + "\r\n";
}
}  // namespace

H1ServerSession::H1ServerSession(const SiteContent& content, EventLoop& loop)
    : content_(content), loop_(loop) {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
}

const http_parser_settings& H1ServerSession::Settings() {
  static const http_parser_settings settings = [] {
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_message_begin = OnMessageBegin;
    s.on_url = OnUrl;
    s.on_header_field = OnHeaderField;
    s.on_header_value = OnHeaderValue;
    s.on_message_complete = OnMessageComplete;
    return s;
  }();
  return settings;
}

bool H1ServerSession::Receive(const uint8_t* data, size_t len) {
  if (failed_) return false;
  if (closing_) return true;  // the connection is closing: requests are no longer read
  size_t n = http_parser_execute(&parser_, &Settings(), reinterpret_cast<const char*>(data), len);
  if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK || n != len) failed_ = true;
  return !failed_;
}

size_t H1ServerSession::Pull(uint8_t* out, size_t max_bytes) {
  if (failed_ || closing_) return 0;
  size_t written = 0;
  while (written < max_bytes && !responses_.empty()) {
    Response& r = responses_.begin()->second;
    if (r.head_offset < r.head.size()) {
      size_t n = std::min(max_bytes - written, r.head.size() - r.head_offset);
      std::memcpy(out + written, r.head.data() + r.head_offset, n);
      r.head_offset += n;
      written += n;
      continue;
    }
    if (!r.ready) break;  // later responses wait behind this one
    const uint64_t allowed = r.fault.Allowed(r.body_remaining);
    if (allowed > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(max_bytes - written, allowed));
      SiteContent::FillBody(out + written, n);
      r.body_remaining -= n;
      r.fault.Sent(n);
      written += n;
      continue;
    }
    const ServerFault struck = r.fault.Due() ? r.fault.Strike() : ServerFault::kNone;
    // A goaway was announced with Connection: close: the body goes on, then the server closes.
    if (struck == ServerFault::kGoAway) r.close_after = true;
    if (struck == ServerFault::kGoAway && r.body_remaining > 0) continue;
    if (struck == ServerFault::kReset || r.close_after) {
      // Cut mid-body, or done with Connection: close: close once this output is sent.
      closing_ = true;
      responses_.clear();
      break;
    }
    responses_.erase(responses_.begin());
  }
  return written;
}

int H1ServerSession::OnMessageBegin(http_parser* parser) {
  H1ServerSession& s = Self(parser);
  s.url_.clear();
  s.host_.clear();
  s.field_.clear();
  s.in_value_ = false;
  return 0;
}

int H1ServerSession::OnHeaderField(http_parser* parser, const char* at, size_t len) {
  H1ServerSession& s = Self(parser);
  if (s.in_value_) s.field_.clear();  // a new field begins
  s.in_value_ = false;
  for (size_t i = 0; i < len; ++i) {
    s.field_ += static_cast<char>(std::tolower(static_cast<unsigned char>(at[i])));
  }
  return 0;
}

int H1ServerSession::OnHeaderValue(http_parser* parser, const char* at, size_t len) {
  H1ServerSession& s = Self(parser);
  s.in_value_ = true;
  if (s.field_ == "host") s.host_.append(at, len);
  return 0;
}

int H1ServerSession::OnUrl(http_parser* parser, const char* at, size_t len) {
  Self(parser).url_.append(at, len);
  return 0;
}

int H1ServerSession::OnMessageComplete(http_parser* parser) {
  H1ServerSession& s = Self(parser);
  s.OnRequest(s.host_, s.url_);
  return 0;
}

void H1ServerSession::MakeReady(Response& response) {
  response.ready = true;
  response.head += response.final_head;
  response.final_head.clear();
}

void H1ServerSession::OnRequest(const std::string& authority, const std::string& path) {
  const uint64_t id = next_request_++;
  Response& response = responses_[id];
  const Resource* r = content_.Lookup(authority, path);
  if (r == nullptr) {
    response.final_head = Head("404 Not Found", {{"content-length", "0"}});
    MakeReady(response);
    return;
  }
  if (ResponseFault::IgnoresRequest(*r)) return;  // never ready: the connection hangs
  if (content_.IsDocument(*r) && content_.SendsEarlyHints()) {
    response.head = Head("103 Early Hints", content_.EarlyHintHeaders());  // goes out at once
  }
  response.fault = ResponseFault(*r);
  HeaderList headers = content_.ResponseHeaders(*r);
  if (response.fault.kind() == ServerFault::kGoAway) headers.emplace_back("connection", "close");
  response.final_head = Head("200 OK", headers);
  response.body_remaining = r->size_bytes;
  const double think_ms = content_.ThinkMs(*r);
  if (think_ms > 0) {
    ProduceLater(timers_, think_ms, [this, id] {
      auto it = responses_.find(id);
      if (it != responses_.end()) MakeReady(it->second);
    });
  } else {
    MakeReady(response);  // the transport pulls after Receive
  }
}

}  // namespace waterfall
