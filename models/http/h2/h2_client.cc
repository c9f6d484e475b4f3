#include "models/http/h2/h2_client.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "models/http/h2/nghttp2_glue.h"

namespace waterfall {

H2Client::H2Client(const OriginKey& origin, const H2ClientSettings& settings, ResponseSink& sink,
                   ConnectionOpener& opener)
    : origin_(origin), sink_(sink), opener_(opener), settings_(settings) {
  nghttp2_session_callbacks* cb;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, OnDataChunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, OnStreamClose);
  nghttp2_session_callbacks_set_on_frame_not_send_callback(cb, OnFrameNotSent);
  nghttp2_session_callbacks_set_on_frame_send_callback(cb, OnFrameSend);
  const int created = nghttp2_session_client_new(&session_, cb, this);
  nghttp2_session_callbacks_del(cb);
  if (created != 0) {
    throw std::runtime_error(std::string("h2 client: nghttp2_session_client_new: ") +
                             nghttp2_strerror(created));
  }

  const nghttp2_settings_entry entries[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, settings_.enable_push ? 1u : 0u},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, settings_.stream_window_bytes},
  };
  int rv = nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, entries, 2);
  // The connection window starts at 65535 (RFC 9113 6.9.2); raise it as Chrome does.
  if (rv == 0 && settings_.connection_window_bytes > NGHTTP2_INITIAL_CONNECTION_WINDOW_SIZE) {
    rv = nghttp2_session_set_local_window_size(
        session_, NGHTTP2_FLAG_NONE, 0, static_cast<int32_t>(settings_.connection_window_bytes));
  }
  if (rv != 0) {
    nghttp2_session_del(session_);
    throw std::runtime_error(std::string("h2 client: SETTINGS: ") + nghttp2_strerror(rv));
  }
}

H2Client::~H2Client() { nghttp2_session_del(session_); }

void H2Client::Connect() {
  if (connecting_) return;
  connecting_ = true;
  connection_ = opener_.Open(origin_, *this, [this] { OnConnected(); });
}

void H2Client::Preconnect() { Connect(); }

void H2Client::Fetch(const Request& request) {
  Connect();
  NvList nva;
  // :scheme says https over today's cleartext TCP, as it always has (both are HPACK static
  // table entries, so the bytes would not change); TLS will make it true, and then it is
  // request.url.origin.scheme.
  nva.Add(":method", "GET").Add(":scheme", "https");
  nva.Add(":authority", request.url.origin.Authority());
  nva.Add(":path", request.url.path).Add("accept", "*/*");
  if (settings_.priority_header) {
    const std::string value = Rfc9218FieldValue(request.priority);
    if (!value.empty()) nva.Add("priority", value);
  }
  if (failed_) {
    sink_.OnResponseReset(request.url);
    return;
  }
  // nghttp2 gives the request the session's next stream id when it is submitted; Chrome's
  // chain needs it first, to place the stream.
  const int32_t next_id = static_cast<int32_t>(nghttp2_session_get_next_stream_id(session_));
  const H2PrioritySpec where = dependencies_.OnStreamCreation(next_id, request.priority.level);
  nghttp2_priority_spec spec;
  nghttp2_priority_spec_init(&spec, where.parent, where.weight, where.exclusive ? 1 : 0);
  const int32_t id =
      nghttp2_submit_request(session_, &spec, nva.data(), nva.size(), nullptr, nullptr);
  if (id != next_id) dependencies_.OnStreamDestruction(next_id);
  if (id < 0) {
    sink_.OnResponseReset(request.url);
    return;
  }
  if (sink_.WantsHeaderFields()) sink_.OnRequestHeaderFields(request.url, nva.fields());
  StreamState& s = streams_[id];
  s.url = request.url;
  s.waited_for_connection = !connected_;
  // Sent (OnFrameSend) when the transport pulls the HEADERS frame: now if the connection is
  // up, else once it is.
  NotifyOutput();
}

void H2Client::OnConnected() {
  connected_ = true;
  NotifyOutput();
}

bool H2Client::Receive(const uint8_t* data, size_t len) {
  if (failed_) return false;
  // DATA for a refused push still crosses the wire until the server sees our RST_STREAM,
  // and nghttp2 drops it without a callback once the stream is closed: count it here. Hand
  // nghttp2 the bytes up to each frame header first, so the PUSH_PROMISE that made a
  // stream id known has been processed before its DATA is looked at.
  size_t fed = 0;
  auto feed = [&](size_t upto) {
    if (failed_ || upto == fed) return;
    if (nghttp2_session_mem_recv(session_, data + fed, upto - fed) < 0) failed_ = true;
    fed = upto;
  };
  scanner_.Scan(data, len, [&](const FrameHeaderScanner::FrameHead& head, size_t header_end) {
    feed(header_end);
    if (head.type == NGHTTP2_DATA && refused_ids_.count(head.stream_id)) {
      sink_.OnWastedPushBytes(head.length);
    }
  });
  feed(len);
  return !failed_;
}

size_t H2Client::Pull(uint8_t* out, size_t max_bytes) {
  if (failed_) return 0;
  return output_.Pull(session_, out, max_bytes, &failed_);
}

int H2Client::OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                       size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* self) {
  auto* c = static_cast<H2Client*>(self);
  std::string n(reinterpret_cast<const char*>(name), namelen);
  std::string v(reinterpret_cast<const char*>(value), valuelen);
  if (frame->hd.type == NGHTTP2_PUSH_PROMISE) {
    // A promise is for this session's origin (a browser refuses pushes for origins the
    // connection is not authoritative for; :authority is not checked here).
    StreamState& promised = c->streams_[frame->push_promise.promised_stream_id];
    if (n == ":path") promised.url = Url{c->origin_, v};
    if (c->sink_.WantsHeaderFields()) promised.fields.emplace_back(n, v);
    return 0;
  }
  auto it = c->streams_.find(frame->hd.stream_id);
  if (it == c->streams_.end()) return 0;
  if (c->sink_.WantsHeaderFields()) it->second.fields.emplace_back(n, v);
  if (n == ":status") {
    it->second.status = std::atoi(v.c_str());
  } else if (n == "link") {
    ParseLinks(v, &it->second.links);
  }
  return 0;
}

int H2Client::OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* self) {
  auto* c = static_cast<H2Client*>(self);
  if (frame->hd.type == NGHTTP2_HEADERS) c->OnHeadersFrame(*frame);
  if (frame->hd.type == NGHTTP2_PUSH_PROMISE) c->OnPushPromiseFrame(*frame);
  return 0;
}

void H2Client::OnHeadersFrame(const nghttp2_frame& frame) {
  auto it = streams_.find(frame.hd.stream_id);
  if (it == streams_.end()) return;
  StreamState& s = it->second;
  // A 103 arrives as HCAT_RESPONSE and the 200 after it as HCAT_HEADERS: go by :status.
  if (s.status != 0 && !s.links.preconnect.empty()) {
    sink_.OnPreconnectLinks(s.url, s.status, s.links.preconnect);
  }
  if (s.status >= 100 && s.status < 200) {
    sink_.OnInterimResponse(s.url, s.status, s.links.preload);
  } else if (s.status != 0) {  // trailers carry no :status
    if (sink_.WantsHeaderFields()) sink_.OnResponseHeaderFields(s.url, "", s.fields);
    sink_.OnResponseHeaders(s.url, s.status, s.links.preload);
  }
  s.fields.clear();
  s.links = LinkRelations();
  s.status = 0;
}

void H2Client::OnPushPromiseFrame(const nghttp2_frame& frame) {
  int32_t promised = frame.push_promise.promised_stream_id;
  if (sink_.OnPushPromise(streams_[promised].url, {connection_, promised})) {
    // The browser took it: the promise's header block is its request.
    auto it = streams_.find(promised);
    if (it == streams_.end()) return;
    if (sink_.WantsHeaderFields()) sink_.OnRequestHeaderFields(it->second.url, it->second.fields);
    it->second.fields.clear();
  } else {
    // Forgotten at once: its response is of no interest, only its bytes (counted as waste).
    streams_.erase(promised);
    refused_ids_.insert(promised);
    if (nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, promised, NGHTTP2_CANCEL) != 0) {
      OnPeerClosed();  // out of memory: the connection cannot go on; its streams are reset
    }
  }
}

int H2Client::OnDataChunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t*, size_t len,
                          void* self) {
  auto* c = static_cast<H2Client*>(self);
  auto it = c->streams_.find(stream_id);
  if (it != c->streams_.end()) c->sink_.OnResponseData(it->second.url, len);
  return 0;
}

void H2Client::OnPeerClosed() {
  failed_ = true;
  while (!streams_.empty()) ResetStream(streams_.begin()->first);
}

void H2Client::ResetStream(int32_t stream_id) {
  dependencies_.OnStreamDestruction(stream_id);
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  const Url url = std::move(it->second.url);
  streams_.erase(it);
  sink_.OnResponseReset(url);
}

int H2Client::OnFrameSend(nghttp2_session*, const nghttp2_frame* frame, void* self) {
  if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  auto* c = static_cast<H2Client*>(self);
  auto it = c->streams_.find(frame->hd.stream_id);
  if (it == c->streams_.end()) return 0;
  c->sink_.OnRequestSent(it->second.url, {c->connection_, frame->hd.stream_id},
                         it->second.waited_for_connection);
  return 0;
}

int H2Client::OnFrameNotSent(nghttp2_session*, const nghttp2_frame* frame, int, void* self) {
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
    static_cast<H2Client*>(self)->ResetStream(frame->hd.stream_id);
  }
  return 0;
}

int H2Client::OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* self) {
  auto* c = static_cast<H2Client*>(self);
  // Chrome: SpdySession::CloseActiveStreamIterator, for every stream, pushed ones a no-op.
  c->dependencies_.OnStreamDestruction(stream_id);
  auto it = c->streams_.find(stream_id);
  if (it == c->streams_.end()) return 0;
  const Url url = std::move(it->second.url);
  c->streams_.erase(it);
  if (error_code == NGHTTP2_NO_ERROR) {
    c->sink_.OnResponseComplete(url);
  } else {
    c->sink_.OnResponseReset(url);
  }
  return 0;
}

}  // namespace waterfall
