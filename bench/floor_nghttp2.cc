// Floor 2: HTTP/2 itself. Raw nghttp2 sessions, not waterfall's H2Client/H2ServerSession,
// so that the floor holds only what nghttp2 must do for the page (HPACK, framing, flow
// control, stream scheduling) and every cost of waterfall's own layers (browser model,
// session wrappers, SocketPump) stays in the overhead the benchmarks report.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench/floors.h"

namespace waterfall::bench {

namespace {
// waterfall's settings: Chrome's windows (models/page/scenario.h), nginx's 100 concurrent streams
// and HTTP/2's initial 16 KB frames (models/http/h2/h2_server.cc).
constexpr uint32_t kStreamWindowBytes = 6 * 1024 * 1024;
constexpr int32_t kConnectionWindowBytes = 15 * 1024 * 1024;
constexpr uint32_t kMaxConcurrentStreams = 100;
constexpr size_t kMaxFrameBytes = 16384;

struct Server {
  std::unordered_map<std::string, uint64_t> sizes;  // by path
  std::unordered_map<int32_t, std::string> paths;   // by stream id
  std::unordered_map<int32_t, uint64_t> remaining;  // body bytes left, by stream id
  nghttp2_session* session = nullptr;
};

struct Client {
  size_t closed = 0;
  uint64_t body_bytes = 0;
};

nghttp2_nv Nv(const std::string& name, const std::string& value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

ssize_t ReadBody(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length,
                 uint32_t* data_flags, nghttp2_data_source*, void* self) {
  uint64_t& left = static_cast<Server*>(self)->remaining[stream_id];
  size_t n = static_cast<size_t>(std::min<uint64_t>({length, left, kMaxFrameBytes}));
  std::memset(buf, 'x', n);
  left -= n;
  if (left == 0) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

int ServerOnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                   size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* self) {
  if (namelen == 5 && std::memcmp(name, ":path", 5) == 0) {
    static_cast<Server*>(self)->paths[frame->hd.stream_id].assign(
        reinterpret_cast<const char*>(value), valuelen);
  }
  return 0;
}

int ServerOnFrameRecv(nghttp2_session* session, const nghttp2_frame* frame, void* self) {
  auto* s = static_cast<Server*>(self);
  if (frame->hd.type != NGHTTP2_HEADERS || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
  const int32_t id = frame->hd.stream_id;
  const uint64_t size = s->sizes.at(s->paths[id]);
  s->remaining[id] = size;
  // The headers models/server/site_content.cc sends with a 200.
  const std::string status = ":status", ok = "200", type = "content-type",
                    octets = "application/octet-stream", length = "content-length",
                    length_value = std::to_string(size), cache = "cache-control",
                    max_age = "max-age=3600";
  const nghttp2_nv nva[] = {Nv(status, ok), Nv(type, octets), Nv(length, length_value),
                            Nv(cache, max_age)};
  nghttp2_data_provider body;
  body.source.ptr = nullptr;
  body.read_callback = ReadBody;
  nghttp2_submit_response(session, id, nva, 4, &body);
  return 0;
}

int ServerOnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* self) {
  auto* s = static_cast<Server*>(self);
  s->paths.erase(stream_id);
  s->remaining.erase(stream_id);
  return 0;
}

int ClientOnData(nghttp2_session*, uint8_t, int32_t, const uint8_t*, size_t len, void* self) {
  static_cast<Client*>(self)->body_bytes += len;
  return 0;
}

int ClientOnStreamClose(nghttp2_session*, int32_t, uint32_t, void* self) {
  ++static_cast<Client*>(self)->closed;
  return 0;
}

// Moves everything `from` has to send into `to`; returns the bytes moved.
uint64_t Transfer(nghttp2_session* from, nghttp2_session* to) {
  uint64_t moved = 0;
  const uint8_t* data;
  ssize_t n;
  while ((n = nghttp2_session_mem_send(from, &data)) > 0) {
    if (nghttp2_session_mem_recv(to, data, static_cast<size_t>(n)) != n) {
      throw std::runtime_error("nghttp2_session_mem_recv failed");
    }
    moved += static_cast<uint64_t>(n);
  }
  if (n < 0) throw std::runtime_error("nghttp2_session_mem_send failed");
  return moved;
}

// One origin's connection: its resources (path, body size), fetched all at once.
using Fetches = std::vector<std::pair<std::string, uint64_t>>;

uint64_t FetchFromOneOrigin(const std::string& authority_value, const Fetches& fetches) {
  Server server;
  for (const auto& [path, size] : fetches) server.sizes.emplace(path, size);
  Client client;

  nghttp2_session_callbacks* cb;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_header_callback(cb, ServerOnHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, ServerOnFrameRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, ServerOnStreamClose);
  nghttp2_session_server_new(&server.session, cb, &server);
  nghttp2_session_callbacks_del(cb);
  const nghttp2_settings_entry server_settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams}};
  nghttp2_submit_settings(server.session, NGHTTP2_FLAG_NONE, server_settings, 1);

  nghttp2_session* session;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, ClientOnData);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, ClientOnStreamClose);
  nghttp2_session_client_new(&session, cb, &client);
  nghttp2_session_callbacks_del(cb);
  const nghttp2_settings_entry client_settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kStreamWindowBytes}};
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, client_settings, 2);
  nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, kConnectionWindowBytes);

  // Every request at once (nghttp2 holds those beyond the server's 100 concurrent streams).
  const std::string method = ":method", get = "GET", scheme = ":scheme", https = "https",
                    authority = ":authority", path = ":path", accept = "accept", any = "*/*";
  for (const auto& [url_path, size] : fetches) {
    const nghttp2_nv nva[] = {Nv(method, get), Nv(scheme, https), Nv(authority, authority_value),
                              Nv(path, url_path), Nv(accept, any)};
    nghttp2_submit_request(session, nullptr, nva, 5, nullptr, nullptr);
  }

  uint64_t bytes = 0;
  // Each round moves at least one frame or ends the exchange; bound the rounds all the same.
  for (size_t round = 0; client.closed < fetches.size(); ++round) {
    uint64_t moved = Transfer(session, server.session);
    uint64_t down = Transfer(server.session, session);
    bytes += down;
    if (moved + down == 0 || round > 100 * fetches.size() + 100) {
      throw std::runtime_error("nghttp2 exchange stalled");
    }
  }
  nghttp2_session_del(session);
  nghttp2_session_del(server.session);
  return bytes;
}
}  // namespace

FloorResult RunNghttp2Memory(const Scenario& page) {
  // The page's fetches by origin, in the order each origin is first used. A one-origin page
  // (no [[origin]]) names "waterfall.test", ScenarioOrigin()'s host, as it always did.
  std::vector<std::pair<std::string, Fetches>> by_origin;
  for (const Resource& r : page.resources) {
    if (r.type == ResourceType::kPreconnect) continue;
    const Url url = page.UrlOf(r.url);
    const std::string authority = url.origin.Authority();
    auto it = std::find_if(by_origin.begin(), by_origin.end(),
                           [&](const auto& o) { return o.first == authority; });
    if (it == by_origin.end()) it = by_origin.insert(by_origin.end(), {authority, {}});
    it->second.emplace_back(url.path, r.size_bytes);
  }
  FloorResult result;
  for (const auto& [authority, fetches] : by_origin) {
    result.bytes += FetchFromOneOrigin(authority, fetches);
  }
  return result;
}

}  // namespace waterfall::bench
