#include "models/origin.h"

#include <cstring>

namespace waterfall {

namespace {
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
      break;
  }
  return "application/octet-stream";
}

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
      break;
  }
  return "fetch";
}
}  // namespace

Origin::Origin(const Scenario& scenario, const ModeSpec& mode) : scenario_(scenario) {
  by_url_.reserve(scenario.resources.size());
  // emplace keeps the first of equal URLs, as Scenario::Find does.
  for (const Resource& r : scenario.resources) by_url_.emplace(r.url, &r);
  if (mode.server_push) push_urls_ = scenario.PushSet();
  if (mode.early_hints) hint_urls_ = scenario.HintSet();
}

const Resource* Origin::Lookup(const std::string& path) const {
  auto it = by_url_.find(path);
  return it == by_url_.end() ? nullptr : it->second;
}

double Origin::ThinkMs(const Resource& r) const {
  return IsDocument(r) ? scenario_.server.think_ms : r.think_ms;
}

std::string Origin::LinkHeader(const std::vector<std::string>& urls) const {
  std::string value;
  for (const std::string& url : urls) {
    const Resource* r = Lookup(url);
    if (!value.empty()) value += ", ";
    value += "<" + url + ">; rel=preload; as=" + PreloadAs(r ? r->type : ResourceType::kOther);
  }
  return value;
}

HeaderList Origin::ResponseHeaders(const Resource& r) const {
  HeaderList headers = {{"content-type", ContentType(r.type)},
                        {"content-length", std::to_string(r.size_bytes)},
                        {"cache-control", "max-age=3600"}};
  if (IsDocument(r) && !scenario_.server.preload.empty()) {
    headers.emplace_back("link", LinkHeader(scenario_.server.preload));
  }
  return headers;
}

HeaderList Origin::EarlyHintHeaders() const { return {{"link", LinkHeader(hint_urls_)}}; }

void Origin::FillBody(uint8_t* out, size_t len) { std::memset(out, 'x', len); }

}  // namespace waterfall
