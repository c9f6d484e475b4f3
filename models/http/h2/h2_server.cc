#include "models/http/h2/h2_server.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace waterfall {
namespace {

// How each server.scheduler is made of nghttp2 1.52 (docs/priorities.md has the whole story):
// - rfc7540: nghttp2's RFC 7540 dependency tree, as the client's HEADERS and PRIORITY frames
//   build it (its default; nothing to do here).
// - rfc9218, fifo, round-robin: nghttp2's RFC 9218 scheduler, which a server session uses once
//   it has submitted SETTINGS_NO_RFC7540_PRIORITIES = 1 (lib/nghttp2_session.c,
//   nghttp2_submit_settings sets pending_no_rfc7540_priorities; nghttp2_session_open_stream then
//   flags every stream NGHTTP2_STREAM_FLAG_NO_RFC7540_PRIORITIES). It keeps one queue per
//   urgency and always serves the most urgent non-empty one (session_sched_get_next_outbound_
//   item); within an urgency, by "cycle" and then by the order the streams were opened (seq).
//   A non-incremental stream enters at the queue's current first cycle and keeps it; an
//   incremental one moves back by the length of each DATA frame it sends
//   (session_ob_data_push, session_sched_reschedule_stream).
bool UsesRfc9218Scheduler(StreamScheduler scheduler) {
  return scheduler != StreamScheduler::kRfc7540;
}

}  // namespace

H2ServerSession::H2ServerSession(const SiteContent& content, EventLoop& loop)
    : content_(content), loop_(loop) {
  nghttp2_session_callbacks* cb;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, OnBeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, OnStreamClose);
  nghttp2_session_callbacks_set_on_frame_not_send_callback(cb, OnFrameNotSent);
  nghttp2_option* options;
  nghttp2_option_new(&options);
  if (content_.scheduler() == StreamScheduler::kRfc9218) {
    // nghttp2 skips PRIORITY_UPDATE frames (RFC 9218 section 7.1) unless told to parse them
    // (nghttp2_session_mem_recv: builtin_recv_ext_types & NGHTTP2_TYPEMASK_PRIORITY_UPDATE).
    // fifo and round-robin do not ask: the client's signals are not theirs to follow.
    nghttp2_option_set_builtin_recv_extension_type(options, NGHTTP2_PRIORITY_UPDATE);
  }
#ifdef WATERFALL_NGHTTP2_HAS_STREAM_RESET_RATE_LIMIT
  // Debian's nghttp2 carries the HTTP/2 Rapid Reset mitigation (CVE-2023-44487): a server
  // session ends the connection with GOAWAY INTERNAL_ERROR once the client has reset more than
  // 1000 streams, refilled at 33 per second of the host's wall clock. A browser cancelling
  // cached or surplus pushes is not an attack, and a wall-clock budget would make results
  // depend on the machine's speed: no limit here.
  nghttp2_option_set_stream_reset_rate_limit(options, UINT64_MAX, UINT64_MAX);
#endif
  const int created = nghttp2_session_server_new2(&session_, cb, this, options);
  nghttp2_option_del(options);
  nghttp2_session_callbacks_del(cb);
  if (created != 0) {
    throw std::runtime_error(std::string("h2 server: nghttp2_session_server_new2: ") +
                             nghttp2_strerror(created));
  }
  // server.max_concurrent_streams (default 100: nginx's http2_max_concurrent_streams and
  // nghttpd's default).
  std::vector<nghttp2_settings_entry> entries = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, content_.max_concurrent_streams()}};
  // RFC 9218 section 2.1: this server ignores RFC 7540 priorities. It is what switches nghttp2
  // to its RFC 9218 scheduler, so fifo and round-robin announce it too (the client's RFC 7540
  // signals would be ignored by them anyway). No fallback to the RFC 7540 tree for a client
  // that does not send the setting (nghttp2_option_set_server_fallback_rfc7540_priorities is
  // not set): Chrome does not send it, and rfc9218 means RFC 9218 only.
  if (UsesRfc9218Scheduler(content_.scheduler())) {
    entries.push_back({NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1});
  }
  const int rv =
      nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, entries.data(), entries.size());
  if (rv != 0) {
    nghttp2_session_del(session_);
    throw std::runtime_error(std::string("h2 server: nghttp2_submit_settings: ") +
                             nghttp2_strerror(rv));
  }
}

H2ServerSession::~H2ServerSession() { nghttp2_session_del(session_); }

bool H2ServerSession::Receive(const uint8_t* data, size_t len) {
  if (failed_) return false;
  if (nghttp2_session_mem_recv(session_, data, len) < 0) failed_ = true;
  return !failed_;
}

size_t H2ServerSession::Pull(uint8_t* out, size_t max_bytes) {
  if (failed_) return 0;
  return output_.Pull(session_, out, max_bytes, &failed_);
}

int H2ServerSession::OnBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* self) {
  auto* s = static_cast<H2ServerSession*>(self);
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
    s->responses_[frame->hd.stream_id];
    // Before the header block is read: nghttp2 applies the request's `priority` header only
    // after on_frame_recv (session_after_header_block_received ->
    // session_end_stream_headers_received), and not at all to a stream flagged to ignore it.
    s->ImposePriority(frame->hd.stream_id);
  }
  return 0;
}

int H2ServerSession::OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                              size_t namelen, const uint8_t* value, size_t valuelen, uint8_t,
                              void* self) {
  auto* s = static_cast<H2ServerSession*>(self);
  auto it = s->responses_.find(frame->hd.stream_id);
  if (it == s->responses_.end()) return 0;
  const std::string_view field(reinterpret_cast<const char*>(name), namelen);
  if (field == ":path") {
    it->second.path.assign(reinterpret_cast<const char*>(value), valuelen);
  } else if (field == ":authority") {
    it->second.authority.assign(reinterpret_cast<const char*>(value), valuelen);
  }
  return 0;
}

int H2ServerSession::OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* self) {
  auto* s = static_cast<H2ServerSession*>(self);
  bool request_done = (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
                      (frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
  if (request_done && s->responses_.count(frame->hd.stream_id)) s->OnRequest(frame->hd.stream_id);
  return 0;
}

int H2ServerSession::OnFrameNotSent(nghttp2_session*, const nghttp2_frame* frame, int, void* self) {
  // A response's HEADERS (the 103 or the final response) that nghttp2 could not send, e.g. a
  // header block over its 64 KiB limit: the response can never complete, so reset the stream
  // rather than leave the client waiting (a refused PUSH_PROMISE is closed by nghttp2 itself,
  // and the browser then requests the resource).
  if (frame->hd.type == NGHTTP2_HEADERS) {
    static_cast<H2ServerSession*>(self)->FailStream(frame->hd.stream_id);
  }
  return 0;
}

void H2ServerSession::FailStream(int32_t stream_id) {
  auto it = responses_.find(stream_id);
  if (it == responses_.end() || it->second.failed) return;
  it->second.failed = true;  // nothing more is submitted on it
  if (nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_INTERNAL_ERROR) !=
      0) {
    failed_ = true;  // out of memory: the session cannot go on
  }
}

int H2ServerSession::OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* self) {
  static_cast<H2ServerSession*>(self)->responses_.erase(stream_id);
  return 0;
}

void H2ServerSession::ImposePriority(int32_t stream_id) {
  const StreamScheduler scheduler = content_.scheduler();
  if (scheduler != StreamScheduler::kFifo && scheduler != StreamScheduler::kRoundRobin) return;
  // Every stream at one urgency (which one does not matter: there is no other), with client
  // signals ignored from now on (NGHTTP2_STREAM_FLAG_IGNORE_CLIENT_PRIORITIES: the `priority`
  // header and PRIORITY_UPDATE). fifo: non-incremental, so every stream keeps the queue's
  // first cycle and streams go strictly in the order they were opened, one response at a
  // time; a response that becomes ready goes ahead of those opened after it at the next
  // frame. round-robin: incremental, so each DATA frame sends its stream behind the others
  // (by its length: equal shares of bytes, frame by frame).
  nghttp2_extpri extpri;
  extpri.urgency = NGHTTP2_EXTPRI_DEFAULT_URGENCY;
  extpri.inc = scheduler == StreamScheduler::kRoundRobin ? 1 : 0;
  const int rv = nghttp2_session_change_extpri_stream_priority(session_, stream_id, &extpri,
                                                               /*ignore_client_signal=*/1);
  if (nghttp2_is_fatal(rv)) failed_ = true;  // out of memory
}

void H2ServerSession::OnRequest(int32_t stream_id) {
  const Resource* r = content_.Lookup(responses_[stream_id].authority, responses_[stream_id].path);
  if (r == nullptr) {
    SubmitResponse(stream_id);  // a 404
    return;
  }
  if (!content_.IsDocument(*r)) {
    RespondAfterThinking(stream_id, *r);
    return;
  }
  if (content_.SendsEarlyHints()) SubmitEarlyHints(stream_id);
  std::map<int32_t, std::string> pushed;
  bool push_before = content_.push_order() == PushOrder::kBefore;
  if (push_before) {
    // Pushed bodies go out while the document is still being produced (h2o's and Apache's
    // "push while the backend thinks").
    pushed = PromisePushes(stream_id);
    for (auto& [id, path] : pushed) RespondAfterThinking(id, *content_.Lookup(path));
  }
  ProduceLater(timers_, content_.ThinkMs(*r), [this, stream_id, push_before] {
    std::map<int32_t, std::string> after;
    if (!push_before) after = PromisePushes(stream_id);
    SubmitResponse(stream_id);
    for (auto& [id, path] : after) RespondAfterThinking(id, *content_.Lookup(path));
  });
}

void H2ServerSession::RespondAfterThinking(int32_t stream_id, const Resource& r) {
  // A server answers every request it read in one go before it writes (nghttpd, nginx);
  // only real think time defers a response. Pushed responses think like requested ones.
  if (content_.ThinkMs(r) > 0) {
    ProduceLater(timers_, content_.ThinkMs(r), [this, stream_id] { SubmitResponse(stream_id); });
  } else {
    SubmitResponse(stream_id);
  }
}

std::map<int32_t, std::string> H2ServerSession::PromisePushes(int32_t document_stream) {
  // What each scheduler does to a pushed stream (nghttp2 opens it when the PUSH_PROMISE is
  // submitted, nghttp2_session_add_item):
  // - rfc7540: nghttp2 makes it a non-exclusive child of the document's stream, weight 16
  //   (RFC 7540 5.3.5): its DATA goes only while the document has none to send.
  // - rfc9218: nghttp2's defaults, urgency 3 and non-incremental (RFC 9218 section 4), after
  //   every stream opened before it at that urgency; a PRIORITY_UPDATE for it is ignored
  //   (nghttp2_session_on_priority_update_received: "Ignore priority signal to a push stream
  //   for now"), and nghttp2 parses no `priority` header in a PUSH_PROMISE. Chrome asks
  //   u=0 for the document, so a document ready to send goes ahead of the push.
  // - fifo: in line after everything opened before the promise (the document included),
  //   as if requested then.
  // - round-robin: an equal share like every other response.
  std::map<int32_t, std::string> promised;
  // Pushes are promised on the document's own authority (RFC 7540 8.2: the server must be
  // authoritative for it); :scheme stays "https" as the client sends it until TLS makes it so.
  const std::string authority = responses_[document_stream].authority;
  for (const std::string& url : content_.PushUrls()) {
    NvList nva;
    nva.Add(":method", "GET").Add(":scheme", "https").Add(":authority", authority);
    nva.Add(":path", url);
    int32_t id = nghttp2_submit_push_promise(session_, NGHTTP2_FLAG_NONE, document_stream,
                                             nva.data(), nva.size(), nullptr);
    // The client disabled push (NGHTTP2_ERR_PROTO), the document stream is gone, or stream ids
    // ran out: stop promising; the browser requests what was not promised.
    if (id < 0) break;
    ImposePriority(id);
    responses_[id].path = url;
    responses_[id].authority = authority;
    promised.emplace(id, url);
  }
  return promised;
}

void H2ServerSession::SubmitEarlyHints(int32_t document_stream) {
  NvList nva;
  nva.Add(":status", "103");
  for (auto& [name, value] : content_.EarlyHintHeaders()) nva.Add(name, value);
  if (nghttp2_submit_headers(session_, NGHTTP2_FLAG_NONE, document_stream, nullptr, nva.data(),
                             nva.size(), nullptr) < 0) {
    FailStream(document_stream);  // a page with hints but no 103 is not what was asked for
  }
}

void H2ServerSession::SubmitResponse(int32_t stream_id) {
  auto it = responses_.find(stream_id);
  if (it == responses_.end()) return;  // reset by the client meanwhile
  if (it->second.failed) return;       // reset by the server (FailStream)
  const Resource* r = content_.Lookup(it->second.authority, it->second.path);
  if (r != nullptr && ResponseFault::IgnoresRequest(*r)) return;  // the request is ignored
  NvList nva;
  if (r == nullptr) {
    nva.Add(":status", "404").Add("content-length", "0");
    if (nghttp2_submit_response(session_, stream_id, nva.data(), nva.size(), nullptr) != 0) {
      FailStream(stream_id);
    }
    return;
  }
  nva.Add(":status", "200");
  for (auto& [name, value] : content_.ResponseHeaders(*r)) nva.Add(name, value);
  it->second.remaining_bytes = r->size_bytes;
  it->second.fault = ResponseFault(*r);
  nghttp2_data_provider body;
  body.source.ptr = &it->second;
  body.read_callback = ReadBody;
  // An empty body still needs its read callback when a fault is to strike on it.
  const bool has_body = r->size_bytes > 0 || it->second.fault.pending();
  if (nghttp2_submit_response(session_, stream_id, nva.data(), nva.size(),
                              has_body ? &body : nullptr) != 0) {
    FailStream(stream_id);
  }
}

bool H2ServerSession::StrikeFault(Response& response) {
  const ServerFault fault = response.fault.Strike();
  if (fault == ServerFault::kGoAway) {
    // Graceful shutdown as nginx does it: what was already requested still completes.
    // Should nghttp2 refuse the GOAWAY, the stream is reset instead: the fault still strikes.
    return nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                                 nghttp2_session_get_last_proc_stream_id(session_),
                                 NGHTTP2_NO_ERROR, nullptr, 0) != 0;
  }
  return fault == ServerFault::kReset;
}

ssize_t H2ServerSession::ReadBody(nghttp2_session*, int32_t, uint8_t* buf, size_t length,
                                  uint32_t* data_flags, nghttp2_data_source* source, void* self) {
  auto* s = static_cast<H2ServerSession*>(self);
  auto* response = static_cast<Response*>(source->ptr);
  if (response->fault.Due() && s->StrikeFault(*response)) {
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // nghttp2 resets it: RST_STREAM INTERNAL_ERROR
  }
  const size_t n = static_cast<size_t>(response->fault.Allowed(
      std::min<uint64_t>({length, response->remaining_bytes, s->content_.max_frame_bytes()})));
  response->fault.Sent(n);
  SiteContent::FillBody(buf, n);
  response->remaining_bytes -= n;
  // A GOAWAY goes out right after its byte (the last one included); a reset waits for the
  // next call, so that the bytes before it go out first.
  if (response->fault.Due() && response->fault.kind() == ServerFault::kGoAway) {
    s->StrikeFault(*response);
  }
  // A reset due after the last body byte still cuts the stream before END_STREAM.
  if (response->remaining_bytes == 0 && !response->fault.reset_pending()) {
    *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  }
  return static_cast<ssize_t>(n);
}

}  // namespace waterfall
