#include "models/scenario/scenario_urls.h"

#include <cctype>

#include "models/scenario/toml_diagnostics.h"

namespace waterfall {
namespace {

constexpr std::string_view kOriginForm =
    "an origin, scheme://host[:port] with no path (e.g. \"http://cdn.example.net\")";

// The scheme of "scheme://...", lower case; "" when the text has no "://".
std::string SchemeOf(std::string_view text) {
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return "";
  std::string scheme(text.substr(0, sep));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme;
}

// "" for http and https; the problem for any other scheme.
std::string SchemeProblem(const std::string& scheme) {
  if (scheme == "http" || scheme == "https") return "";
  return "the scheme must be http or https, got " + Quote(scheme);
}

}  // namespace

std::string OriginUrlProblem(std::string_view text, OriginKey* out) {
  const std::string scheme = SchemeOf(text);
  if (scheme.empty()) return "expected " + std::string(kOriginForm) + ", got " + Quote(text);
  if (std::string p = SchemeProblem(scheme); !p.empty()) return p;
  std::optional<OriginKey> key = OriginKey::Parse(text);
  if (!key) {
    std::string problem = "expected " + std::string(kOriginForm) + ", got " + Quote(text);
    if (Url::Parse(text)) problem += "; an origin has no path, not even \"/\"";
    return problem;
  }
  *out = std::move(*key);
  return "";
}

ScenarioUrls::ScenarioUrls(const std::vector<waterfall::Origin>& origins, bool declared)
    : origins_(origins), declared_(declared), document_origin_(origins.front().key) {}

void ScenarioUrls::SetDocument(std::string_view written) {
  if (!SchemeProblem(SchemeOf(written)).empty()) return;
  std::optional<Url> url = Url::Parse(written);
  if (!url || !Find(url->origin)) return;
  document_origin_ = url->origin;
  document_absolute_ = url->origin != origins_.front().key;
  document_url_ = std::move(*url);
}

const Origin* ScenarioUrls::Find(const OriginKey& key) const {
  for (const waterfall::Origin& o : origins_) {
    if (o.key == key) return &o;
  }
  return nullptr;
}

std::string ScenarioUrls::Canonical(const Url& url) const {
  if (document_absolute_ && url == document_url_) return url.ToString();
  if (url.origin == document_origin_) return url.path;
  return url.ToString();
}

std::string ScenarioUrls::Undeclared(const OriginKey& key) const {
  std::string problem = "origin " + key.ToString() + " is not declared in [[origin]]";
  if (!declared_) {
    problem += " (the scenario has no [[origin]], so every URL is a path on " +
               origins_.front().key.ToString() + ")";
  }
  return problem;
}

std::string ScenarioUrls::Resource(std::string_view written, std::string* out) const {
  if (!written.empty() && written[0] == '/') {
    *out = Canonical(Url{document_origin_, std::string(written)});
    return "";
  }
  const std::string scheme = SchemeOf(written);
  if (scheme.empty()) {
    // As before there were origins: the message every path-only scenario has always had.
    return "expected a URL path starting with '/', got " + Quote(written);
  }
  if (std::string p = SchemeProblem(scheme); !p.empty()) return p;
  if (OriginKey::Parse(written)) {
    return "expected a URL path starting with '/' or an absolute URL with a path "
           "(scheme://host[:port]/path), got the origin " +
           Quote(written) + "; a <link rel=preconnect> is type = \"preconnect\"";
  }
  std::optional<Url> url = Url::Parse(written);
  if (!url) {
    return "expected a URL path starting with '/' or an absolute URL (scheme://host[:port]/path), "
           "got " +
           Quote(written);
  }
  if (!Find(url->origin)) return Undeclared(url->origin);
  *out = Canonical(*url);
  return "";
}

std::string ScenarioUrls::Origin(std::string_view written, std::string* out) const {
  const std::string scheme = SchemeOf(written);
  if (scheme.empty() || !OriginKey::Parse(written)) {
    std::string problem = "expected " + std::string(kOriginForm) + ", got " + Quote(written);
    if (!scheme.empty() && Url::Parse(written))
      problem += "; an origin has no path, not even \"/\"";
    return problem;
  }
  const OriginKey key = *OriginKey::Parse(written);
  if (!Find(key)) return Undeclared(key);
  *out = key.ToString();
  return "";
}

std::string ScenarioUrls::Reference(std::string_view written, std::string* out) const {
  *out = std::string(written);
  if (!written.empty() && written[0] == '/') {
    *out = Canonical(Url{document_origin_, std::string(written)});
    return "";
  }
  if (SchemeOf(written).empty()) return "";
  if (std::optional<OriginKey> key = OriginKey::Parse(written)) {
    if (!Find(*key)) return Undeclared(*key);
    *out = key->ToString();
    return "";
  }
  std::optional<Url> url = Url::Parse(written);
  if (!url) return "";
  if (!Find(url->origin)) return Undeclared(url->origin);
  *out = Canonical(*url);
  return "";
}

OriginKey ScenarioUrls::OriginOf(const std::string& canonical) const {
  if (!canonical.empty() && canonical[0] == '/') return document_origin_;
  if (std::optional<Url> url = Url::Parse(canonical)) return url->origin;
  return document_origin_;
}

}  // namespace waterfall
