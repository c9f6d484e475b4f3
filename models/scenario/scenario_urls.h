// How a scenario file's URLs become Resource::url's canonical form (models/page/scenario.h): a
// path ("/a.css") on the document's origin, an absolute URL ("http://cdn.example.net/a.js") on
// any other, an origin ("http://cdn.example.net", as OriginKey::ToString writes it) for a
// preconnect. The file may write a URL of the document's origin either way; both become the
// path, so they name the same resource. The one exception is the document itself on an origin
// other than origins[0]: its URL stays absolute, which is how Scenario::DocumentOrigin finds it.
//
// Every URL named here must be on a declared origin: [[origin]] in the file, or, without it,
// the one implicit origin (ScenarioOrigin(), or https://waterfall.test with `scheme = "https"`),
// on which every URL is a path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/page/scenario.h"
#include "models/page/url.h"

namespace waterfall {

// "" when `text` is an origin a scenario can declare (scheme://host[:port], http or https, no
// path), with the origin in *out; else the problem, for the [[origin]] url key.
std::string OriginUrlProblem(std::string_view text, OriginKey* out);

class ScenarioUrls {
 public:
  // `origins`: the page's, never empty; `declared`: whether the file has [[origin]] (for
  // messages). The document is on origins[0] until SetDocument says otherwise.
  ScenarioUrls(const std::vector<Origin>& origins, bool declared);

  // The document's URL as written: when absolute and on a declared origin, the document is on
  // that origin. Call before converting any other URL.
  void SetDocument(std::string_view written);
  const OriginKey& document_origin() const { return document_origin_; }

  // A resource's url as written -> its canonical form in *out; "" or the problem. Paths are
  // taken as they are (the loader checks their characters).
  std::string Resource(std::string_view written, std::string* out) const;
  // A preconnect's url, or a server.preconnect entry: an origin -> OriginKey::ToString.
  std::string Origin(std::string_view written, std::string* out) const;
  // A reference to a resource (parent, server.push/hints/preload, client.cache): the canonical
  // form of a URL, the OriginKey::ToString of an origin (a preconnect), or the text as written
  // when it is neither (it then names no resource, which the page-graph rules report). ""
  // or the problem: an absolute URL on an undeclared origin.
  std::string Reference(std::string_view written, std::string* out) const;

  // The origin of a canonical URL (not a preconnect's).
  OriginKey OriginOf(const std::string& canonical) const;
  // The declared origin `key`, or nullptr.
  const waterfall::Origin* Find(const OriginKey& key) const;

 private:
  std::string Canonical(const Url& url) const;
  std::string Undeclared(const OriginKey& key) const;

  const std::vector<waterfall::Origin>& origins_;
  bool declared_;
  OriginKey document_origin_;
  Url document_url_;                // valid when document_absolute_
  bool document_absolute_ = false;  // the document is on an origin other than origins[0]
};

}  // namespace waterfall
