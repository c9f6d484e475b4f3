// What the server serves: the page's content (what each URL is, how long it takes to produce,
// its response headers and body) and the mode's strategy for the document (push, 103 hints,
// preload). Shared by the HTTP/1.1 and HTTP/2 server sessions so both serve byte-identical
// content. (Not an origin: one scheme, host and port may one day serve several of these, and
// one page be served by several origins.)
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "models/http/mode.h"
#include "models/page/scenario.h"

namespace waterfall {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The content-type the server sends for a resource of this type ("text/css", ...).
const char* ContentType(ResourceType type);

// The largest header block nghttp2 sends: NGHTTP2_MAX_HEADERSLEN, the default of
// nghttp2_option_set_max_send_header_block_length (64 KiB). A HEADERS frame over it is not
// sent (on_frame_not_send_callback, NGHTTP2_ERR_FRAME_SIZE_ERROR). Chrome would accept up to
// 256 KiB (kSpdyMaxHeaderListSize, net/http/http_network_session.h).
constexpr size_t kMaxH2HeaderBlockBytes = 65536;
// How nghttp2 measures a response's header block against that limit (session_prep_frame):
// nghttp2_hd_deflate_bound, i.e. 12 + per field 12 + name + value, plus 5 bytes of priority;
// the ":status" field included.
size_t H2ResponseHeaderBound(const HeaderList& headers);

class SiteContent {
 public:
  SiteContent(const Scenario& scenario, const ModeSpec& mode);

  // nullptr for a URL the page does not have (the server answers 404). url is in the
  // canonical form of Resource::url (a path on the document's origin).
  const Resource* Lookup(const std::string& url) const;
  // The resource a request names: its Host / :authority and path, on this cleartext server.
  const Resource* Lookup(const std::string& authority, const std::string& path) const;
  // Whether r is the page's document (the scenario's first resource), the response that
  // carries the push promises, the 103 and the preload links and thinks for server.think_ms.
  bool IsDocument(const Resource& r) const { return &r == document_; }
  double ThinkMs(const Resource& r) const;

  // What the server does alongside the document's response.
  const std::vector<std::string>& PushUrls() const { return push_urls_; }
  PushOrder push_order() const { return scenario_.server.push_order; }
  const std::vector<std::string>& HintUrls() const { return hint_urls_; }
  // Whether the document's response is preceded by a 103: the mode sends hints and there is
  // something to hint (preloads or server.preconnect origins).
  bool SendsEarlyHints() const { return sends_early_hints_; }

  // Headers of a 200 for r (content-type, content-length, cache-control, preload links).
  HeaderList ResponseHeaders(const Resource& r) const;
  // Headers of the 103 sent before the document (just the link header).
  HeaderList EarlyHintHeaders() const;
  uint32_t max_frame_bytes() const { return scenario_.server.max_frame_bytes; }
  uint32_t max_concurrent_streams() const { return scenario_.server.max_concurrent_streams; }
  // How the HTTP/2 server orders the DATA of its open responses (server.scheduler).
  StreamScheduler scheduler() const { return scenario_.server.scheduler; }

  // Fills a response body: deterministic filler bytes.
  static void FillBody(uint8_t* out, size_t len);

 private:
  // rel=preload for urls, then rel=preconnect for server.preconnect; "" when both are empty.
  std::string LinkHeader(const std::vector<std::string>& urls) const;

  const Scenario& scenario_;
  const Resource* document_;  // nullptr for a page without resources
  // Resources by URL: Scenario::Find scans the page, once per request (O(n^2) in resources).
  std::unordered_map<std::string, const Resource*> by_url_;
  // The same resources by absolute URL, and the origins the page declares: a request's
  // authority and path find their resource without building its canonical string.
  std::unordered_map<Url, const Resource*> by_location_;
  std::unordered_set<OriginKey> origins_;
  OriginKey document_origin_;
  std::vector<std::string> push_urls_;
  std::vector<std::string> hint_urls_;
  bool sends_early_hints_ = false;
};

}  // namespace waterfall
