#include "models/page/page_graph.h"

#include <algorithm>
#include <cstdint>
#include <unordered_set>

#include "models/scenario/toml_diagnostics.h"

namespace waterfall {
namespace {

std::string Index(size_t i) { return "resource[" + std::to_string(i) + "]"; }

GraphProblem About(size_t i, std::string key, std::string problem) {
  GraphProblem p;
  p.resource = i;
  p.key = std::move(key);
  p.problem = std::move(problem);
  return p;
}

// The cycle (resource indexes, each followed by its parent) as "/a -> /b -> /a", starting at its
// earliest resource.
std::string DescribeCycle(const std::vector<Resource>& res, std::vector<size_t> cycle) {
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  constexpr size_t kShown = 20;
  std::string out;
  for (size_t k = 0; k < cycle.size() && k < kShown; ++k) out += Quote(res[cycle[k]].url) + " -> ";
  if (cycle.size() > kShown) out += "... (" + std::to_string(cycle.size() - kShown) + " more) -> ";
  out += Quote(res[cycle[0]].url);
  return out;
}

}  // namespace

PageGraphCheck::PageGraphCheck(const std::vector<Resource>& resources)
    : res_(resources), doc_(resources.size()) {
  by_url_.reserve(resources.size());
}

std::optional<GraphProblem> PageGraphCheck::Url(size_t i) {
  auto [it, inserted] = by_url_.emplace(res_[i].url, i);
  if (inserted) return std::nullopt;
  return About(i, "url", "duplicate url; " + Index(it->second) + " has the same url");
}

std::optional<GraphProblem> PageGraphCheck::Type(size_t i) {
  if (res_[i].type != ResourceType::kDocument) return std::nullopt;
  if (doc_ != res_.size()) {
    return About(i, "type",
                 "a second document; " + Index(doc_) + " (" + Quote(res_[doc_].url) +
                     ") is already the document and a page has exactly one");
  }
  doc_ = i;
  return std::nullopt;
}

std::optional<GraphProblem> PageGraphCheck::HasParent(size_t i, bool has_parent) const {
  const bool is_doc = res_[i].type == ResourceType::kDocument;
  if (is_doc && has_parent) {
    return About(i, "parent", "not allowed on the document (the document is the root of the page)");
  }
  if (!is_doc && !has_parent) {
    return About(i, "parent",
                 "missing required key; every resource but the document needs a parent (the "
                 "resource that references it)");
  }
  return std::nullopt;
}

std::optional<GraphProblem> PageGraphCheck::Page() const {
  const size_t n = res_.size();
  if (doc_ == n) {
    return About(GraphProblem::kPage, "resource",
                 "no document; exactly one [[resource]] must have type = \"document\"");
  }

  // Parents exist, and discover_at lies within the parent.
  std::vector<size_t> parent(n, n);
  for (size_t i = 0; i < n; ++i) {
    if (i == doc_) continue;
    auto it = by_url_.find(res_[i].parent);
    if (it == by_url_.end()) {
      return About(i, "parent", "no resource has url " + Quote(res_[i].parent));
    }
    parent[i] = it->second;
    const Resource& p = res_[parent[i]];
    if (p.type == ResourceType::kPreconnect) {
      return About(i, "parent",
                   Quote(p.url) +
                       " is a preconnect (a <link rel=preconnect> in its own parent), which "
                       "references nothing; name the resource that references this one");
    }
    if (res_[i].discover_at_bytes && *res_[i].discover_at_bytes > p.size_bytes) {
      return About(i, "discover_at",
                   std::to_string(*res_[i].discover_at_bytes) +
                       " is beyond the end of the parent " + Quote(p.url) +
                       "; expected an integer in [0, " + std::to_string(p.size_bytes) +
                       "] (the parent size)");
    }
  }

  // Every parent chain reaches the document. Iterative walk with memo: linear, no recursion.
  enum : uint8_t { kUnknown, kOnPath, kReaches };
  std::vector<uint8_t> state(n, kUnknown);
  state[doc_] = kReaches;
  std::vector<size_t> path;
  for (size_t i = 0; i < n; ++i) {
    path.clear();
    size_t j = i;
    while (state[j] == kUnknown) {
      state[j] = kOnPath;
      path.push_back(j);
      j = parent[j];
    }
    if (state[j] == kOnPath) {
      std::vector<size_t> cycle(std::find(path.begin(), path.end(), j), path.end());
      size_t first = *std::min_element(cycle.begin(), cycle.end());
      return About(first, "parent",
                   "dependency cycle, the parent chain never reaches the document: " +
                       DescribeCycle(res_, cycle) + " (each -> points to the parent)");
    }
    for (size_t k : path) state[k] = kReaches;
  }
  return std::nullopt;
}

UrlIndex IndexByUrl(const std::vector<Resource>& resources) {
  UrlIndex by_url;
  by_url.reserve(resources.size());
  for (size_t i = 0; i < resources.size(); ++i) by_url.emplace(resources[i].url, i);
  return by_url;
}

std::optional<GraphProblem> CheckUrlList(const std::vector<Resource>& resources,
                                         const UrlIndex& by_url, const std::string& key,
                                         const std::vector<std::string>& urls,
                                         const UrlListRule& rule) {
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < urls.size(); ++i) {
    GraphProblem p;
    p.key = key + "[" + std::to_string(i) + "]";
    p.list_index = i;
    auto it = by_url.find(urls[i]);
    if (it == by_url.end()) {
      p.problem = Quote(urls[i]) + " is not a resource of the page (no [[resource]] has this url)";
      return p;
    }
    if (it->second == 0 && !rule.allow_document) {
      p.problem = Quote(urls[i]) + " is the document itself; list only its subresources";
      return p;
    }
    if (resources[it->second].type == ResourceType::kPreconnect) {
      p.problem =
          Quote(urls[i]) + " is a preconnect, not a response; " +
          (rule.allow_document ? std::string("list a host already resolved in client.dns_cache")
                               : std::string("announce an origin in server.preconnect"));
      return p;
    }
    if (rule.same_origin_as && it->second != 0 && (urls[i].empty() || urls[i][0] != '/')) {
      p.problem = "HTTP/2 push is same-authority: " + urls[i] +
                  " is on another origin than the document (" + *rule.same_origin_as + ")";
      return p;
    }
    if (!seen.insert(urls[i]).second) {
      p.problem = Quote(urls[i]) + " is listed twice";
      return p;
    }
  }
  return std::nullopt;
}

std::optional<std::string> PageGraphProblem(const Scenario& s) {
  auto message = [&](const GraphProblem& p) {
    if (p.resource == GraphProblem::kPage) return p.key + ": " + p.problem;
    return Index(p.resource) + "." + p.key + " (" + Quote(s.resources[p.resource].url) +
           "): " + p.problem;
  };
  if (s.resources.empty()) {
    return std::string(
        "resource: no resources; a page needs at least a resource of type "
        "\"document\"");
  }
  PageGraphCheck graph(s.resources);
  for (size_t i = 0; i < s.resources.size(); ++i) {
    if (auto p = graph.Url(i)) return message(*p);
    if (auto p = graph.Type(i)) return message(*p);
    if (auto p = graph.HasParent(i, !s.resources[i].parent.empty())) return message(*p);
  }
  if (auto p = graph.Page()) return message(*p);
  if (graph.document() != 0) {
    return message(About(graph.document(), "type", "the document must be resources[0]"));
  }
  const UrlIndex by_url = IndexByUrl(s.resources);
  const UrlListRule push{false, s.DocumentOrigin().ToString()};
  if (s.server.push) {
    if (auto p = CheckUrlList(s.resources, by_url, "server.push", *s.server.push, push)) {
      return message(*p);
    }
  }
  if (s.server.hints) {
    if (auto p = CheckUrlList(s.resources, by_url, "server.hints", *s.server.hints, {})) {
      return message(*p);
    }
  }
  if (auto p = CheckUrlList(s.resources, by_url, "server.preload", s.server.preload, {})) {
    return message(*p);
  }
  if (auto p = CheckUrlList(s.resources, by_url, "client.cache", s.client.cache, {true, {}})) {
    return message(*p);
  }
  return std::nullopt;
}

}  // namespace waterfall
