#include "models/page/scenario.h"

#include <algorithm>

namespace waterfall {

namespace {
constexpr const char* kTypeNames[] = {"document", "style", "script", "image", "font", "other"};
}

const char* ToString(ResourceType type) { return kTypeNames[static_cast<int>(type)]; }

std::optional<ResourceType> ParseResourceType(const std::string& name) {
  for (int i = 0; i < 6; ++i) {
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

const Resource* Scenario::Find(const std::string& url) const {
  for (const Resource& r : resources) {
    if (r.url == url) return &r;
  }
  return nullptr;
}

std::vector<std::string> Scenario::PushSet() const {
  if (server.push) return *server.push;
  std::vector<std::string> urls;
  for (const Resource& r : resources) {
    if (!r.parent.empty() && r.parent == resources.front().url) urls.push_back(r.url);
  }
  return urls;
}

std::vector<std::string> Scenario::HintSet() const {
  if (server.hints) return *server.hints;
  return PushSet();
}

bool Scenario::IsCached(const std::string& url) const {
  return std::find(client.cache.begin(), client.cache.end(), url) != client.cache.end();
}

}  // namespace waterfall
