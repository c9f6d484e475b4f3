// The page graph's rules, on resources alone (no file, no positions), so that anything that
// builds a Scenario (the TOML loader, a HAR importer) checks the same things with the same
// words: URLs are unique; exactly one document, without a parent; every other resource has a
// parent that exists, is not a preconnect and whose size covers its discover_at; every parent
// chain reaches the document (no cycles); the URL lists (server.push, .hints, .preload,
// client.cache) name resources of the page that are not preconnects, once each, only
// client.cache may name the document, and server.push only names the document's origin.
//
// URLs are compared as strings: in the canonical form of Resource::url (models/page/scenario.h),
// which the builder (the loader's ScenarioUrls) writes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/page/scenario.h"

namespace waterfall {

// One broken rule.
struct GraphProblem {
  static constexpr size_t kPage = static_cast<size_t>(-1);
  // The resource (index in the order given) whose key is wrong, or kPage for the page as a
  // whole (the key is "resource") or a URL list.
  size_t resource = kPage;
  std::string key;        // resource: "url", "type", "parent", "discover_at"; else "resource" or
                          // the list element ("server.push[2]")
  size_t list_index = 0;  // a URL list's element
  std::string problem;
};

// Checks resources one at a time, in the order a reader meets them, then the page as a whole.
// A reader that also checks each key's own value (the loader) calls the per-resource steps
// between its own checks, so the first problem of a file is the one reported.
class PageGraphCheck {
 public:
  explicit PageGraphCheck(const std::vector<Resource>& resources);

  // Resource `i`'s url is unique so far.
  std::optional<GraphProblem> Url(size_t i);
  // Resource `i` is not a second document.
  std::optional<GraphProblem> Type(size_t i);
  // The document has no parent, every other resource has one (`has_parent`: the key is there).
  std::optional<GraphProblem> HasParent(size_t i, bool has_parent) const;
  // After every resource: there is a document, parents exist, discover_at lies within the
  // parent, every parent chain reaches the document.
  std::optional<GraphProblem> Page() const;

  size_t document() const { return doc_; }

 private:
  const std::vector<Resource>& res_;
  std::unordered_map<std::string_view, size_t> by_url_;
  size_t doc_;
};

// Each resource's index by URL.
using UrlIndex = std::unordered_map<std::string_view, size_t>;
UrlIndex IndexByUrl(const std::vector<Resource>& resources);

// What a URL list may name.
struct UrlListRule {
  bool allow_document = false;  // client.cache: the browser may hold the document too
  // server.push: a server pushes only for origins it is authoritative for (RFC 9113 section
  // 8.4), here the document's: paths, in the canonical form. This is that origin, for messages.
  std::optional<std::string> same_origin_as;
};

// Every URL of `urls` (the list `key`, "server.push") names a resource of the page (`by_url`
// into `resources`, the document at index 0) that is not a preconnect, once, as `rule` allows.
std::optional<GraphProblem> CheckUrlList(const std::vector<Resource>& resources,
                                         const UrlIndex& by_url, const std::string& key,
                                         const std::vector<std::string>& urls,
                                         const UrlListRule& rule);

// Every rule, on a Scenario whose resources[0] is the document (as the loader returns it and a
// HAR importer would build it): the first problem as "KEY (\"URL\"): PROBLEM" (resources named
// by their index in `scenario.resources`), or nullopt.
std::optional<std::string> PageGraphProblem(const Scenario& scenario);

}  // namespace waterfall
