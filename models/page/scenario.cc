#include "models/page/scenario.h"

#include <algorithm>

namespace waterfall {

namespace {
constexpr const char* kTypeNames[] = {"document", "style", "script",    "image",
                                      "font",     "other", "preconnect"};
constexpr int kTypeCount = sizeof(kTypeNames) / sizeof(kTypeNames[0]);
}  // namespace

const char* ToString(ResourceType type) { return kTypeNames[static_cast<int>(type)]; }

std::optional<ResourceType> ParseResourceType(const std::string& name) {
  for (int i = 0; i < kTypeCount; ++i) {
    if (name == kTypeNames[i]) return static_cast<ResourceType>(i);
  }
  return std::nullopt;
}

const char* ToString(TcpVariant tcp) {
  switch (tcp) {
    case TcpVariant::kCubic:
      return "cubic";
    case TcpVariant::kNewReno:
      return "newreno";
    case TcpVariant::kBbr:
      return "bbr";
  }
  return "?";
}

const char* ToString(QueueDiscipline queue) {
  return queue == QueueDiscipline::kDropTail ? "droptail" : "fq_codel";
}

namespace {
constexpr const char* kLoadPriorityNames[] = {"very-low", "low", "medium", "high", "very-high"};
constexpr const char* kSchedulerNames[] = {"rfc7540", "rfc9218", "fifo", "round-robin"};
}  // namespace

const char* ToString(LoadPriority priority) {
  return kLoadPriorityNames[static_cast<int>(priority)];
}

std::optional<LoadPriority> ParseLoadPriority(const std::string& name) {
  for (int i = 0; i < 5; ++i) {
    if (name == kLoadPriorityNames[i]) return static_cast<LoadPriority>(i);
  }
  return std::nullopt;
}

const char* ToString(StreamScheduler scheduler) {
  return kSchedulerNames[static_cast<int>(scheduler)];
}

std::optional<StreamScheduler> ParseStreamScheduler(const std::string& name) {
  for (int i = 0; i < 4; ++i) {
    if (name == kSchedulerNames[i]) return static_cast<StreamScheduler>(i);
  }
  return std::nullopt;
}

const char* ToString(ServerFault fault) {
  switch (fault) {
    case ServerFault::kNone:
      return "none";
    case ServerFault::kReset:
      return "reset";
    case ServerFault::kGoAway:
      return "goaway";
    case ServerFault::kNoResponse:
      return "no_response";
  }
  return "?";
}

const char* ToString(TlsVersion version) { return version == TlsVersion::k13 ? "1.3" : "1.2"; }

const char* ToString(CertificateKey key) {
  switch (key) {
    case CertificateKey::kEcdsaP256:
      return "ecdsa-p256";
    case CertificateKey::kRsa2048:
      return "rsa-2048";
    case CertificateKey::kRsa4096:
      return "rsa-4096";
  }
  return "?";
}

const char* ToString(CertificateError error) {
  switch (error) {
    case CertificateError::kNone:
      return "none";
    case CertificateError::kUntrustedRoot:
      return "untrusted-root";
    case CertificateError::kWrongHost:
      return "wrong-host";
    case CertificateError::kExpired:
      return "expired";
  }
  return "?";
}

const Resource* Scenario::Find(const std::string& url) const {
  for (const Resource& r : resources) {
    if (r.url == url) return &r;
  }
  return nullptr;
}

namespace {
// The document's children, in page order, preconnects left out; same_origin: only those on
// the document's origin (a path, in the canonical form).
std::vector<std::string> DocumentChildren(const std::vector<Resource>& resources,
                                          bool same_origin) {
  std::vector<std::string> urls;
  if (resources.empty()) return urls;
  for (const Resource& r : resources) {
    if (r.parent.empty() || r.parent != resources.front().url) continue;
    if (r.type == ResourceType::kPreconnect) continue;
    if (same_origin && (r.url.empty() || r.url[0] != '/')) continue;
    urls.push_back(r.url);
  }
  return urls;
}
}  // namespace

std::vector<std::string> Scenario::PushSet() const {
  if (server.push) return *server.push;
  return DocumentChildren(resources, true);
}

std::vector<std::string> Scenario::HintSet() const {
  if (server.hints) return *server.hints;
  if (server.push) return *server.push;
  return DocumentChildren(resources, false);
}

const OriginKey& Scenario::DocumentOrigin() const {
  if (!resources.empty() && !resources.front().url.empty() && resources.front().url[0] != '/') {
    if (const Origin* o = FindOrigin(UrlOf(resources.front().url).origin)) return o->key;
  }
  return origins.empty() ? ScenarioOrigin() : origins.front().key;
}

Url Scenario::UrlOf(const std::string& url) const {
  if (!url.empty() && url[0] == '/') {
    // The document's origin, without DocumentOrigin's lookup when the document is a path.
    const bool doc_is_path =
        resources.empty() || resources.front().url.empty() || resources.front().url[0] == '/';
    const OriginKey& origin =
        doc_is_path ? (origins.empty() ? ScenarioOrigin() : origins.front().key) : DocumentOrigin();
    return Url{origin, url};
  }
  if (std::optional<Url> u = Url::Parse(url)) return *u;
  return Url{ScenarioOrigin(), url};  // not a URL the loader lets through
}

std::string Scenario::CanonicalUrl(const Url& url) const {
  // The document on an origin other than origins[0] keeps its absolute URL (DocumentOrigin).
  if (!resources.empty() && !resources.front().url.empty() && resources.front().url[0] != '/' &&
      resources.front().type != ResourceType::kPreconnect && UrlOf(resources.front().url) == url) {
    return resources.front().url;
  }
  if (url.origin == DocumentOrigin()) return url.path;
  return url.origin.ToString() + url.path;
}

const Origin* Scenario::FindOrigin(const OriginKey& key) const {
  for (const Origin& o : origins) {
    if (o.key == key) return &o;
  }
  return nullptr;
}

bool Scenario::IsCached(const std::string& url) const {
  return std::find(client.cache.begin(), client.cache.end(), url) != client.cache.end();
}

}  // namespace waterfall
