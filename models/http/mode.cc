#include "models/http/mode.h"

namespace waterfall {

namespace {
constexpr HttpVersion kVersions[] = {HttpVersion::kHttp11, HttpVersion::kHttp2};
constexpr Security kSecurities[] = {Security::kCleartext};
constexpr ServerStrategy kStrategies[] = {ServerStrategy::kNone, ServerStrategy::kPush,
                                          ServerStrategy::kHints};

constexpr bool kDefault = true;  // run when no mode is named
constexpr bool kNamed = false;   // run only when named

ModeSpec Row(HttpVersion version, Security security, ServerStrategy strategy, bool by_default) {
  ModeSpec m{"", version, security, strategy, by_default};
  m.name = m.key().Name();
  return m;
}

bool StartsWith(const std::string& text, size_t at, const char* part) {
  return text.compare(at, std::string::traits_type::length(part), part) == 0;
}
}  // namespace

const char* NamePart(HttpVersion version) {
  switch (version) {
    case HttpVersion::kHttp11:
      return "h1";
    case HttpVersion::kHttp2:
      return "h2";
  }
  return "?";
}

const char* NamePart(Security security) {
  switch (security) {
    case Security::kCleartext:
      return "";  // today's names: "h2" is HTTP/2 over cleartext TCP
  }
  return "?";
}

const char* NamePart(ServerStrategy strategy) {
  switch (strategy) {
    case ServerStrategy::kNone:
      return "";
    case ServerStrategy::kPush:
      return "-push";
    case ServerStrategy::kHints:
      return "-hints";
  }
  return "?";
}

std::string ModeKey::Name() const {
  return std::string(NamePart(version)) + NamePart(security) + NamePart(strategy);
}

std::optional<ModeKey> ParseModeName(const std::string& name) {
  // Every way of reading the name as version, security part, strategy part; exactly one fits.
  std::optional<ModeKey> found;
  for (HttpVersion v : kVersions) {
    if (!StartsWith(name, 0, NamePart(v))) continue;
    const size_t after_version = std::string::traits_type::length(NamePart(v));
    for (Security s : kSecurities) {
      if (!StartsWith(name, after_version, NamePart(s))) continue;
      const size_t after_security = after_version + std::string::traits_type::length(NamePart(s));
      for (ServerStrategy t : kStrategies) {
        if (name.compare(after_security, std::string::npos, NamePart(t)) != 0) continue;
        if (found) return std::nullopt;  // ambiguous: the parts are not prefix-free
        found = ModeKey{v, s, t};
      }
    }
  }
  return found;
}

const std::vector<ModeSpec>& AllModes() {
  // HTTP/1.1 cannot push: no row pairs kHttp11 with kPush. h1-hints is not in the default set,
  // so that `run` without --mode writes the same four files as before it existed; Chrome ignores
  // a 103 over HTTP/1.1 unless client.h1_early_hints is set.
  static const std::vector<ModeSpec> modes = {
      Row(HttpVersion::kHttp11, Security::kCleartext, ServerStrategy::kNone, kDefault),
      Row(HttpVersion::kHttp2, Security::kCleartext, ServerStrategy::kNone, kDefault),
      Row(HttpVersion::kHttp2, Security::kCleartext, ServerStrategy::kPush, kDefault),
      Row(HttpVersion::kHttp2, Security::kCleartext, ServerStrategy::kHints, kDefault),
      Row(HttpVersion::kHttp11, Security::kCleartext, ServerStrategy::kHints, kNamed),
  };
  return modes;
}

const std::vector<const ModeSpec*>& DefaultModes() {
  static const std::vector<const ModeSpec*> modes = [] {
    std::vector<const ModeSpec*> out;
    for (const ModeSpec& m : AllModes()) {
      if (m.by_default) out.push_back(&m);
    }
    return out;
  }();
  return modes;
}

const ModeSpec* FindMode(const std::string& name) {
  for (const ModeSpec& m : AllModes()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string ModeNames() {
  std::string out;
  for (const ModeSpec& m : AllModes()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

std::string DefaultModeNames() {
  std::string out;
  for (const ModeSpec* m : DefaultModes()) out += (out.empty() ? "" : ", ") + m->name;
  return out;
}

}  // namespace waterfall
