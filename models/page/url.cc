#include "models/page/url.h"

#include <cctype>
#include <ostream>

namespace waterfall {

namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ValidScheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

bool ValidHost(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
      return false;
    }
  }
  return true;
}

// "scheme://host[:port]" at the start of text; rest is what follows the authority.
std::optional<OriginKey> ParseOriginPrefix(std::string_view text, std::string_view* rest) {
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos || !ValidScheme(text.substr(0, sep))) return std::nullopt;
  OriginKey o;
  o.scheme = Lower(text.substr(0, sep));
  std::string_view after = text.substr(sep + 3);
  const size_t end = after.find_first_of("/?#");
  std::string_view authority = after.substr(0, end);
  *rest = end == std::string_view::npos ? std::string_view() : after.substr(end);
  std::string_view host = authority;
  o.port = OriginKey::DefaultPort(o.scheme);
  if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    std::string_view digits = authority.substr(colon + 1);
    if (digits.empty() || digits.size() > 5) return std::nullopt;
    uint32_t port = 0;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    if (port == 0 || port > 65535) return std::nullopt;
    o.port = static_cast<uint16_t>(port);
  }
  if (!ValidHost(host) || o.port == 0) return std::nullopt;
  o.host = Lower(host);
  return o;
}
}  // namespace

uint16_t OriginKey::DefaultPort(std::string_view scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return 0;
}

std::optional<OriginKey> OriginKey::Parse(std::string_view text) {
  std::string_view rest;
  std::optional<OriginKey> o = ParseOriginPrefix(text, &rest);
  if (!o || !rest.empty()) return std::nullopt;
  return o;
}

std::string OriginKey::Authority() const {
  if (port == DefaultPort(scheme)) return host;
  return host + ":" + std::to_string(port);
}

std::string OriginKey::ToString() const { return scheme + "://" + Authority(); }

std::optional<Url> Url::Parse(std::string_view text) {
  std::string_view rest;
  std::optional<OriginKey> o = ParseOriginPrefix(text, &rest);
  if (!o) return std::nullopt;
  rest = rest.substr(0, rest.find('#'));
  Url u;
  u.origin = std::move(*o);
  u.path = rest.empty() || rest[0] != '/' ? "/" + std::string(rest) : std::string(rest);
  return u;
}

std::optional<Url> Url::Resolve(const Url& base, std::string_view reference) {
  if (reference.size() >= 1 && reference[0] == '/' &&
      (reference.size() < 2 || reference[1] != '/')) {
    return Url{base.origin, std::string(reference.substr(0, reference.find('#')))};
  }
  return Parse(reference);
}

std::string Url::ToString() const { return origin.ToString() + path; }

std::ostream& operator<<(std::ostream& out, const OriginKey& origin) {
  return out << origin.ToString();
}

std::ostream& operator<<(std::ostream& out, const Url& url) { return out << url.ToString(); }

const OriginKey& ScenarioOrigin() {
  static const OriginKey origin{"http", "waterfall.test", 80};
  return origin;
}

}  // namespace waterfall

size_t std::hash<waterfall::OriginKey>::operator()(const waterfall::OriginKey& o) const noexcept {
  size_t h = std::hash<std::string>()(o.scheme);
  h = h * 1000003u ^ std::hash<std::string>()(o.host);
  return h * 1000003u ^ o.port;
}

size_t std::hash<waterfall::Url>::operator()(const waterfall::Url& u) const noexcept {
  return std::hash<waterfall::OriginKey>()(u.origin) * 1000003u ^ std::hash<std::string>()(u.path);
}
