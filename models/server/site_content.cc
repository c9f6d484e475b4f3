#include "models/server/site_content.h"

#include <cstring>
#include <optional>

namespace waterfall {

const char* ContentType(ResourceType type) {
  switch (type) {
    case ResourceType::kDocument:
      return "text/html; charset=utf-8";
    case ResourceType::kStyle:
      return "text/css";
    case ResourceType::kScript:
      return "application/javascript";
    case ResourceType::kImage:
      return "image/png";
    case ResourceType::kFont:
      return "font/woff2";
    case ResourceType::kOther:
    case ResourceType::kPreconnect:  // never served
      break;
  }
  return "application/octet-stream";
}

namespace {

// The `as=` value of a preload link (HTML spec, "match-preload-type").
const char* PreloadAs(ResourceType type) {
  switch (type) {
    case ResourceType::kDocument:
      return "document";
    case ResourceType::kStyle:
      return "style";
    case ResourceType::kScript:
      return "script";
    case ResourceType::kImage:
      return "image";
    case ResourceType::kFont:
      return "font";
    case ResourceType::kOther:
    case ResourceType::kPreconnect:
      break;
  }
  return "fetch";
}
}  // namespace

size_t H2ResponseHeaderBound(const HeaderList& headers) {
  constexpr size_t kDeflateBase = 12;  // two dynamic table size updates, 6 bytes each
  constexpr size_t kPerField = 12;     // name and value lengths, 6 bytes each at most
  constexpr size_t kPriority = 5;      // NGHTTP2_PRIORITY_SPECLEN
  constexpr size_t kStatus = 7 + 3;    // ":status" and a 3-digit code
  size_t n = kDeflateBase + kPriority + kPerField + kStatus;
  for (const auto& [name, value] : headers) n += kPerField + name.size() + value.size();
  return n;
}

SiteContent::SiteContent(const Scenario& scenario, const ModeSpec& mode)
    : scenario_(scenario),
      document_(scenario.resources.empty() ? nullptr : &scenario.resources.front()) {
  by_url_.reserve(scenario.resources.size());
  // emplace keeps the first of equal URLs, as Scenario::Find does.
  for (const Resource& r : scenario.resources) {
    by_url_.emplace(r.url, &r);
    if (r.type != ResourceType::kPreconnect) by_location_.emplace(scenario.UrlOf(r.url), &r);
  }
  for (const Origin& o : scenario.origins) origins_.insert(o.key);
  document_origin_ = scenario.DocumentOrigin();
  if (mode.pushes()) push_urls_ = scenario.PushSet();
  if (mode.sends_early_hints()) hint_urls_ = scenario.HintSet();
  sends_early_hints_ =
      mode.sends_early_hints() && (!hint_urls_.empty() || !scenario.server.preconnect.empty());
}

const Resource* SiteContent::Lookup(const std::string& url) const {
  auto it = by_url_.find(url);
  if (it == by_url_.end() || it->second->type == ResourceType::kPreconnect) return nullptr;
  return it->second;
}

const Resource* SiteContent::Lookup(const std::string& authority, const std::string& path) const {
  if (path.empty() || path[0] != '/') return nullptr;
  // Cleartext TCP: the request is for http://authority (TLS will pass its own scheme). A host
  // the page does not declare gets the document's origin, as a server answers an unknown Host
  // with its default site.
  std::optional<OriginKey> origin = OriginKey::Parse("http://" + authority);
  if (!origin || (*origin != document_origin_ && !origins_.count(*origin))) {
    origin = document_origin_;
  }
  auto it = by_location_.find(Url{*origin, path});
  return it == by_location_.end() ? nullptr : it->second;
}

double SiteContent::ThinkMs(const Resource& r) const {
  return IsDocument(r) ? scenario_.server.think_ms : r.think_ms;
}

std::string SiteContent::LinkHeader(const std::vector<std::string>& urls) const {
  std::string value;
  for (const std::string& url : urls) {
    const Resource* r = Lookup(url);
    if (!value.empty()) value += ", ";
    value += "<" + url + ">; rel=preload; as=" + PreloadAs(r ? r->type : ResourceType::kOther);
  }
  for (const std::string& origin : scenario_.server.preconnect) {
    if (!value.empty()) value += ", ";
    value += "<" + origin + ">; rel=preconnect";
  }
  return value;
}

HeaderList SiteContent::ResponseHeaders(const Resource& r) const {
  HeaderList headers = {{"content-type", ContentType(r.type)},
                        {"content-length", std::to_string(r.size_bytes)},
                        {"cache-control", "max-age=3600"}};
  if (IsDocument(r) &&
      (!scenario_.server.preload.empty() || !scenario_.server.preconnect.empty())) {
    headers.emplace_back("link", LinkHeader(scenario_.server.preload));
  }
  return headers;
}

HeaderList SiteContent::EarlyHintHeaders() const { return {{"link", LinkHeader(hint_urls_)}}; }

void SiteContent::FillBody(uint8_t* out, size_t len) { std::memset(out, 'x', len); }

}  // namespace waterfall
