// URLs and origins as values. An origin (RFC 6454) is a scheme, a host and a port; a URL here is
// absolute: an origin plus a path (with its query, if any). Connections belong to an origin,
// requests name a URL.
//
// The one-origin scenario format maps onto these unchanged: a scenario's paths ("/style.css")
// are on the page's origin, ScenarioOrigin().
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace waterfall {

struct OriginKey {
  std::string scheme;  // lower case: "http", "https"
  std::string host;    // lower case: "waterfall.test"
  uint16_t port = 0;   // explicit: 80 for http, 443 for https when the text gives none

  // The scheme's default port (80, 443), or 0 for a scheme without one.
  static uint16_t DefaultPort(std::string_view scheme);
  // "http://waterfall.test", "https://a.example:8443" (the port only when not the default).
  // nullopt unless text is exactly scheme "://" host [":" port], with no path.
  static std::optional<OriginKey> Parse(std::string_view text);
  std::string ToString() const;
  // Host, and ":port" when not the scheme's default: the Host header, :authority.
  std::string Authority() const;

  bool operator==(const OriginKey& o) const {
    return std::tie(scheme, host, port) == std::tie(o.scheme, o.host, o.port);
  }
  bool operator!=(const OriginKey& o) const { return !(*this == o); }
  bool operator<(const OriginKey& o) const {
    return std::tie(scheme, host, port) < std::tie(o.scheme, o.host, o.port);
  }
};

struct Url {
  OriginKey origin;
  std::string path;  // starts with "/"; the query, if any, included

  // "http://waterfall.test/style.css"; nullopt unless absolute (an origin, then a path or
  // nothing, which means "/"). A fragment is dropped.
  static std::optional<Url> Parse(std::string_view text);
  // A reference as found in a page or a Link header, resolved against base: an absolute URL,
  // or an absolute path ("/x.css") on base's origin. nullopt for anything else (a relative
  // path, a scheme-relative "//host/x": the scenario format has none).
  static std::optional<Url> Resolve(const Url& base, std::string_view reference);
  std::string ToString() const;

  bool operator==(const Url& o) const { return origin == o.origin && path == o.path; }
  bool operator!=(const Url& o) const { return !(*this == o); }
  bool operator<(const Url& o) const { return std::tie(origin, path) < std::tie(o.origin, o.path); }
};

// As ToString (test failure messages).
std::ostream& operator<<(std::ostream& out, const OriginKey& origin);
std::ostream& operator<<(std::ostream& out, const Url& url);

// The origin of every path in a one-origin scenario: today's cleartext TCP to port 80 of
// "waterfall.test" (the authority the requests have always named).
const OriginKey& ScenarioOrigin();

}  // namespace waterfall

template <>
struct std::hash<waterfall::OriginKey> {
  size_t operator()(const waterfall::OriginKey& o) const noexcept;
};
template <>
struct std::hash<waterfall::Url> {
  size_t operator()(const waterfall::Url& u) const noexcept;
};
