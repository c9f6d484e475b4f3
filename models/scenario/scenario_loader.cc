#include "models/scenario/scenario_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "models/http/mode.h"
#include "models/page/page_graph.h"
#include "models/scenario/scenario_schema.h"
#include "models/server/site_content.h"

namespace waterfall {
namespace {

// ---- Reading one table ----------------------------------------------------------------------

struct IntRange {
  int64_t lo, hi;
  static IntRange Of(const KeySpec& k) {
    return {static_cast<int64_t>(k.lo), static_cast<int64_t>(k.hi)};
  }
  std::string Text() const { return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]"; }
};

struct NumberRange {
  double lo, hi;
  bool lo_open = false;
  static NumberRange Of(const KeySpec& k) { return {k.lo, k.hi, k.lo_open}; }
  bool Contains(double v) const { return (lo_open ? v > lo : v >= lo) && v <= hi; }
  std::string Text() const {
    return (lo_open ? "(" : "[") + FormatDouble(lo, false) + ", " + FormatDouble(hi, false) + "]";
  }
};

std::string JoinKeys(const KeySpan& keys) {
  std::string out;
  for (const KeySpec& k : keys) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

// Typed access to the keys of one TOML table; every failure names "<prefix><key>".
class TableReader {
 public:
  TableReader(const Reporter& rep, const toml::table& table, std::string prefix,
              std::optional<std::string> url = std::nullopt)
      : rep_(rep), table_(table), prefix_(std::move(prefix)), url_(std::move(url)) {}

  const toml::node* Get(std::string_view key) const { return table_.get(key); }

  [[noreturn]] void Fail(std::string_view key, const std::string& problem,
                         const toml::node* at) const {
    rep_.Fail(prefix_ + std::string(key), problem, at ? PosOf(at) : PosOf(table_.source()), url_);
  }
  [[noreturn]] void FailNoUrl(std::string_view key, const std::string& problem,
                              const toml::node* at) const {
    rep_.Fail(prefix_ + std::string(key), problem, at ? PosOf(at) : PosOf(table_.source()));
  }
  // A value of the wrong type for its key.
  [[noreturn]] void FailType(std::string_view key, const std::string& problem,
                             const toml::node* at) const {
    rep_.Fail(prefix_ + std::string(key), problem, at ? PosOf(at) : PosOf(table_.source()), url_,
              ScenarioErrorKind::kWrongType);
  }

  // Rejects the first unknown key in file order, suggesting the closest known one.
  void CheckKeys(const KeySpan& known) const {
    const toml::key* first = nullptr;
    for (auto&& [k, v] : table_) {
      (void)v;
      if (known.Contains(k.str())) continue;
      if (!first || Before(k.source(), first->source())) first = &k;
    }
    if (!first) return;
    std::string problem = "unknown key";
    std::string_view word = first->str();
    if (auto elsewhere = FindElsewhere(word, known)) {
      problem += "; " + *elsewhere;
    } else if (auto near = Closest(word, Names(known))) {
      problem += "; did you mean " + std::string(*near) + "?";
    } else {
      problem += "; known keys here: " + JoinKeys(known);
    }
    const bool bare = !word.empty() && std::all_of(word.begin(), word.end(), IsBareKeyChar);
    rep_.Fail(prefix_ + (bare ? std::string(word) : Quote(word)), problem, PosOf(first->source()),
              url_, ScenarioErrorKind::kUnknownKey);
  }

  std::optional<std::string> String(std::string_view key,
                                    std::string_view what = "a string") const {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    if (const auto* s = n->as_string()) return s->get();
    FailType(key, "expected " + std::string(what) + ", got " + Describe(*n), n);
  }

  std::optional<bool> Bool(std::string_view key) const {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    if (const auto* b = n->as_boolean()) return b->get();
    FailType(key, "expected true or false, got " + Describe(*n), n);
  }

  std::optional<int64_t> Int(std::string_view key, IntRange range) const {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    if (const auto* i = n->as_integer()) {
      const int64_t v = i->get();
      if (v >= range.lo && v <= range.hi) return v;
      Fail(key, "expected an integer in " + range.Text() + ", got " + std::to_string(v), n);
    }
    std::string problem = "expected an integer in " + range.Text() + ", got " + Describe(*n);
    if (const auto* f = n->as_floating_point()) {
      const double d = f->get();
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9e15) {
        problem += "; write it without a decimal point";
      }
    }
    FailType(key, problem, n);
  }

  std::optional<double> Number(std::string_view key, NumberRange range) const {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    if (const auto* i = n->as_integer()) {
      const double v = static_cast<double>(i->get());
      if (range.Contains(v)) return v;
      Fail(key, "expected a number in " + range.Text() + ", got " + std::to_string(i->get()), n);
    }
    if (const auto* f = n->as_floating_point()) {
      const double v = f->get();
      if (range.Contains(v)) return v;  // false for nan; inf is caught below
      Fail(
          key,
          std::string(std::isfinite(v) ? "expected a number in " : "expected a finite number in ") +
              range.Text() + ", got " + FormatDouble(v),
          n);
    }
    FailType(key, "expected a number in " + range.Text() + ", got " + Describe(*n), n);
  }

  std::optional<int64_t> Int(const KeySpec& k) const { return Int(k.name, IntRange::Of(k)); }
  std::optional<double> Number(const KeySpec& k) const {
    return Number(k.name, NumberRange::Of(k));
  }

  // An enum key: the index of its word in k.choices.
  std::optional<size_t> Choice(const KeySpec& k) const {
    const std::string_view key = k.name;
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    const auto* s = n->as_string();
    if (s) {
      for (size_t i = 0; i < k.choice_count; ++i) {
        if (s->get() == k.choices[i]) return i;
      }
    }
    std::vector<std::string_view> words;
    std::string problem = "expected one of ";
    for (size_t i = 0; i < k.choice_count; ++i) {
      const std::string_view word = k.choices[i];
      problem += (words.empty() ? "\"" : ", \"") + std::string(word) + "\"";
      words.push_back(word);
    }
    if (!s) FailType(key, problem + ", got " + Describe(*n), n);
    problem += ", got " + Quote(s->get());
    if (auto near = Closest(s->get(), words)) {
      problem += "; did you mean \"" + std::string(*near) + "\"?";
    }
    Fail(key, problem, n);
  }

  // Reads `k` by its type into *v; false when the key is absent.
  bool Read(const KeySpec& k, KeyValue* v, std::vector<Pos>* positions) const {
    switch (k.type) {
      case KeyType::kInt:
        if (auto x = Int(k)) return v->integer = *x, true;
        return false;
      case KeyType::kNumber:
        if (auto x = Number(k)) return v->number = *x, true;
        return false;
      case KeyType::kBool:
        if (auto x = Bool(k.name)) return v->boolean = *x, true;
        return false;
      case KeyType::kEnum:
        if (auto x = Choice(k)) return v->choice = *x, true;
        return false;
      case KeyType::kUrlList:
        if (auto x = UrlList(k.name, positions)) return v->urls = std::move(*x), true;
        return false;
      case KeyType::kString:
      case KeyType::kTable:
      case KeyType::kArrayOfTables:
        break;
    }
    throw std::logic_error("no generic reader for " + std::string(k.name));
  }

  // A list of URLs; also returns each element's position for later membership errors.
  std::optional<std::vector<std::string>> UrlList(std::string_view key,
                                                  std::vector<Pos>* positions) const {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    const auto* arr = n->as_array();
    if (!arr) FailType(key, "expected an array of URL strings, got " + Describe(*n), n);
    std::vector<std::string> urls;
    urls.reserve(arr->size());
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& e = *arr->get(i);
      const auto* s = e.as_string();
      std::string elem_key = std::string(key) + "[" + std::to_string(i) + "]";
      if (!s) FailType(elem_key, "expected a URL string, got " + Describe(e), &e);
      urls.push_back(s->get());
      positions->push_back(PosOf(&e));
    }
    return urls;
  }

 private:
  static bool Before(const toml::source_region& a, const toml::source_region& b) {
    // Positionless keys (written by --set) sort last.
    auto rank = [](const toml::source_region& r) {
      return std::make_tuple(r.begin.line == 0, r.begin.line, r.begin.column);
    };
    return rank(a) < rank(b);
  }

  // "did you mean network.rtt_ms? (it belongs in [network])" when a key of another table was
  // written here.
  static std::optional<std::string> FindElsewhere(std::string_view word, const KeySpan& here) {
    for (const Section& s : Sections()) {
      const KeySpan keys = KeysOf(s.table);
      if (keys.first == here.first) continue;
      if (!keys.Contains(word)) continue;
      if (s.prefix.empty()) return std::string(word) + std::string(s.hint);
      return "did you mean " + std::string(s.prefix) + std::string(word) + "? (" +
             std::string(s.hint) + ")";
    }
    return std::nullopt;
  }

  static std::vector<std::string_view> Names(const KeySpan& keys) {
    std::vector<std::string_view> names;
    for (const KeySpec& k : keys) names.push_back(k.name);
    return names;
  }

  const Reporter& rep_;
  const toml::table& table_;
  std::string prefix_;
  std::optional<std::string> url_;
};

// A table-valued key: absent is fine (all defaults), anything but a table is an error.
const toml::table* SubTable(const Reporter& rep, const toml::table& root, std::string_view key) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  if (const auto* t = n->as_table()) return t;
  rep.Fail(std::string(key), "expected a table ([" + std::string(key) + "]), got " + Describe(*n),
           PosOf(n), std::nullopt, ScenarioErrorKind::kWrongType);
}

// "" when `url` is a valid resource URL, else what is wrong with it.
std::string UrlProblem(const std::string& url) {
  if (url.empty()) return "expected a URL path starting with '/', got an empty string";
  if (url[0] != '/') return "expected a URL path starting with '/', got " + Quote(url);
  if (url.size() > kMaxUrlBytes) {
    return "URL is " + std::to_string(url.size()) + " bytes long (at most " +
           std::to_string(kMaxUrlBytes) + "): " + Quote(url);
  }
  for (size_t i = 0; i < url.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(url[i]);
    if (c == ' ') {
      return "URL contains a space at byte " + std::to_string(i) +
             " (spaces are not allowed; percent-encode it as %20): " + Quote(url);
    }
    if (c < 0x20 || c == 0x7f) {
      return "URL contains an ASCII control character at byte " + std::to_string(i) +
             " (not allowed): " + Quote(url);
    }
  }
  return "";
}

// Positions of URL-list elements by dotted key ("server.push"), kept to point at a bad entry
// after the resources are known.
using UrlListPositions = std::map<std::string, std::vector<Pos>>;

// [network], [server] or [client]: every key by its schema entry, in schema order.
void ReadTable(const Reporter& rep, const toml::table& root, std::string_view table, Scenario* s,
               UrlListPositions* pos) {
  const toml::table* t = SubTable(rep, root, table);
  if (!t) return;
  const std::string prefix = std::string(table) + ".";
  TableReader r(rep, *t, prefix);
  const KeySpan keys = KeysOf(table);
  r.CheckKeys(keys);
  for (const KeySpec& k : keys) {
    KeyValue v;
    if (r.Read(k, &v, &(*pos)[prefix + std::string(k.name)])) k.set(*s, v);
  }
}

// "; there is a name in resource[0]: ..." when `name` was written after a table header.
std::string MisplacedName(const toml::table& root) {
  std::vector<std::pair<std::string, const toml::table*>> tables;
  for (const char* key : {"network", "server", "client"}) {
    if (const toml::table* t = root[key].as_table()) tables.emplace_back(key, t);
  }
  if (const toml::array* arr = root["resource"].as_array()) {
    for (size_t i = 0; i < arr->size(); ++i) {
      if (const toml::table* t = arr->get(i)->as_table()) {
        tables.emplace_back("resource[" + std::to_string(i) + "]", t);
      }
    }
  }
  for (const auto& [where, table] : tables) {
    if (table->contains("name")) {
      return "; there is a name in " + where +
             ": top-level keys must come before the first [table] header";
    }
  }
  return "";
}

void ReadName(const Reporter& rep, const toml::table& root, std::string* name) {
  TableReader r(rep, root, "");
  std::optional<std::string> v = r.String("name");
  if (!v) {
    if (root.empty()) rep.Fail("name", "missing required key (the file is empty)");
    rep.Fail("name", "missing required key (the scenario's name)" + MisplacedName(root));
  }
  const toml::node* n = root.get("name");
  const std::string rule =
      "expected a non-empty name of letters, digits, '.', '_' and '-' (it becomes a directory "
      "name), got ";
  if (v->empty()) r.Fail("name", rule + "an empty string", n);
  for (char c : *v) {
    if (!IsBareKeyChar(c) && c != '.') r.Fail("name", rule + Quote(*v), n);
  }
  if (*v == "." || *v == "..") {
    r.Fail("name", rule + Quote(*v) + ", which is not a usable directory name", n);
  }
  if (v->size() > kMaxNameBytes) {
    r.Fail("name",
           "name is " + std::to_string(v->size()) + " bytes long (at most " +
               std::to_string(kMaxNameBytes) + ", it becomes a directory name)",
           n);
  }
  *name = std::move(*v);
}

std::string ResourceKey(size_t i, std::string_view key) {
  return "resource[" + std::to_string(i) + "]" + (key.empty() ? "" : ".") + std::string(key);
}

// Resources in file order, checked key by key and then as a page graph (page_graph.h); the
// result has the document first, the others in file order.
void ReadResources(const Reporter& rep, const toml::table& root, std::vector<Resource>* out) {
  const toml::node* node = root.get("resource");
  if (!node) {
    rep.Fail("resource", root.empty() ? "no resources (the file is empty); a page needs at least "
                                        "a [[resource]] of type \"document\""
                                      : "no resources; a page needs at least a [[resource]] of "
                                        "type \"document\"");
  }
  const toml::array* arr = node->as_array();
  if (!arr) {
    rep.Fail("resource", "expected an array of tables ([[resource]]), got " + Describe(*node),
             PosOf(node), std::nullopt, ScenarioErrorKind::kWrongType);
  }
  if (arr->empty()) {
    rep.Fail("resource", "no resources; a page needs at least a [[resource]] of type \"document\"",
             PosOf(node));
  }
  if (arr->size() > kMaxResources) {
    rep.Fail("resource", "too many resources: " + std::to_string(arr->size()) + " (at most " +
                             std::to_string(kMaxResources) + ")");
  }

  const size_t n = arr->size();
  std::vector<Resource> res(n);  // file order; never reallocated, so string_views stay valid
  std::vector<const toml::table*> tables(n);
  PageGraphCheck graph(res);
  uint64_t page_bytes = 0;  // at most 100000 x 1 GiB: no overflow
  const KeySpan keys = KeysOf("resource");
  const KeySpec& type_key = SchemaKey("resource", "type");
  const KeySpec& size_key = SchemaKey("resource", "size");
  const KeySpec& discover_at_key = SchemaKey("resource", "discover_at");
  const KeySpec& process_key = SchemaKey("resource", "process_ms");
  const KeySpec& think_key = SchemaKey("resource", "think_ms");
  const KeySpec& fault_key = SchemaKey("resource", "fault");
  const KeySpec& fault_after_key = SchemaKey("resource", "fault_after_bytes");

  for (size_t i = 0; i < n; ++i) {
    const toml::node& elem = *arr->get(i);
    const toml::table* t = elem.as_table();
    if (!t) {
      rep.Fail(ResourceKey(i, ""), "expected a table, got " + Describe(elem), PosOf(&elem),
               std::nullopt, ScenarioErrorKind::kWrongType);
    }
    tables[i] = t;
    std::optional<std::string> label;
    if (const auto* u = t->get_as<std::string>("url")) label = u->get();
    TableReader r(rep, *t, ResourceKey(i, "") + ".", label);
    r.CheckKeys(keys);
    Resource& x = res[i];
    // A page-graph rule broken by this resource, at the key it is about.
    auto check = [&](const std::optional<GraphProblem>& p) {
      if (p) r.Fail(p->key, p->problem, t->get(p->key));
    };

    // url
    const toml::node* url = t->get("url");
    if (!url) r.FailNoUrl("url", "missing required key", nullptr);
    x.url = *r.String("url", "a URL string");
    if (std::string p = UrlProblem(x.url); !p.empty()) r.FailNoUrl("url", p, url);
    check(graph.Url(i));

    // type
    std::optional<size_t> type = r.Choice(type_key);
    if (!type) r.Fail("type", "missing required key", nullptr);
    x.type = *ParseResourceType(std::string(type_key.choices[*type]));
    const bool is_doc = x.type == ResourceType::kDocument;
    check(graph.Type(i));

    // size
    std::optional<int64_t> size = r.Int(size_key);
    if (!size) r.Fail("size", "missing required key (bytes)", nullptr);
    x.size_bytes = static_cast<uint64_t>(*size);

    // parent
    const bool has_parent = t->get("parent") != nullptr;
    check(graph.HasParent(i, has_parent));
    if (has_parent) x.parent = *r.String("parent", "a URL string");

    // the rest
    if (auto v = r.Int(discover_at_key)) {
      x.discover_at_bytes = static_cast<uint64_t>(*v);
    }
    if (auto v = r.Number(process_key)) x.process_ms = *v;
    if (is_doc && t->get("think_ms")) {
      r.Fail("think_ms", "not allowed on the document; use server.think_ms", t->get("think_ms"));
    }
    if (auto v = r.Number(think_key)) x.think_ms = *v;
    std::optional<bool> blocking = r.Bool("render_blocking");
    if (is_doc && blocking == false) {
      r.Fail("render_blocking", "the document is always render blocking; remove this key",
             t->get("render_blocking"));
    }
    x.render_blocking = is_doc || blocking.value_or(false);

    // server fault
    if (auto v = r.Choice(fault_key)) {
      constexpr ServerFault kFaults[] = {ServerFault::kNone, ServerFault::kReset,
                                         ServerFault::kGoAway, ServerFault::kNoResponse};
      x.fault = kFaults[*v];
    }
    if (const toml::node* after = t->get("fault_after_bytes")) {
      if (x.fault != ServerFault::kReset && x.fault != ServerFault::kGoAway) {
        r.Fail("fault_after_bytes",
               "only allowed with fault = \"reset\" or fault = \"goaway\" (the fault it delays)",
               after);
      }
      // At most the resource's own size (the schema's "[0, `size`]").
      x.fault_after_bytes = static_cast<uint64_t>(
          *r.Int("fault_after_bytes",
                 {static_cast<int64_t>(fault_after_key.lo), static_cast<int64_t>(x.size_bytes)}));
    }
    page_bytes += x.size_bytes;
  }
  if (page_bytes > kMaxPageBytes) {
    rep.Fail("resource",
             "the page is too large: its resources add up to " + std::to_string(page_bytes) +
                 " bytes (at most " + std::to_string(kMaxPageBytes) +
                 ", 4 GiB, so that one run ends in minutes of wall time)",
             PosOf(node));
  }

  if (std::optional<GraphProblem> p = graph.Page()) {
    if (p->resource == GraphProblem::kPage) rep.Fail(p->key, p->problem, PosOf(node));
    rep.Fail(ResourceKey(p->resource, p->key), p->problem, PosOf(tables[p->resource]->get(p->key)),
             res[p->resource].url);
  }

  // The document first, the others in file order.
  const size_t doc = graph.document();
  out->clear();
  out->reserve(n);
  out->push_back(std::move(res[doc]));
  for (size_t i = 0; i < n; ++i) {
    if (i != doc) out->push_back(std::move(res[i]));
  }
}

// Every URL of a list names a resource of the page, once (page_graph.h), or an error at the
// list element.
void CheckUrlList(const Reporter& rep, const UrlIndex& by_url, const std::string& key,
                  const std::vector<std::string>& urls, const std::vector<Pos>& positions,
                  bool allow_document) {
  if (auto p = waterfall::CheckUrlList(by_url, key, urls, allow_document)) {
    rep.Fail(p->key, p->problem, positions[p->list_index]);
  }
}

// "<what> would be N bytes; the limit is M (why)" when the response with `headers` would be
// over nghttp2's header block limit (M: what its Link field may have, the other fields as they
// are); "" when it fits.
std::string LinkHeaderProblem(const HeaderList& headers, const std::string& what) {
  const size_t bound = H2ResponseHeaderBound(headers);
  if (bound <= kMaxH2HeaderBlockBytes) return "";
  size_t link_bytes = 0;
  for (const auto& [name, value] : headers) {
    if (name == "link") link_bytes += value.size();
  }
  const size_t limit = link_bytes - (bound - kMaxH2HeaderBlockBytes);
  return what + " would be " + std::to_string(link_bytes) + " bytes; the limit is " +
         std::to_string(limit) +
         " (nghttp2 sends at most 65536 bytes of header fields per response, "
         "NGHTTP2_MAX_HEADERSLEN, counted as nghttp2_hd_deflate_bound does)";
}

// The Link headers the server will send fit in one HTTP/2 header block (docs/limits.md).
void CheckLinkHeaders(const Reporter& rep, const toml::table& root, const Scenario& s) {
  const toml::node* server = root.get("server");
  auto pos_of = [&](std::string_view key) {
    const toml::table* t = server ? server->as_table() : nullptr;
    return t ? PosOf(t->get(key)) : Pos{};
  };
  // The document's 200 carries the preload links in every mode; the 103 (h2-hints) the hints.
  const SiteContent content(s, *FindMode("h2-hints"));
  if (!s.server.preload.empty()) {
    const std::string problem = LinkHeaderProblem(content.ResponseHeaders(s.resources.front()),
                                                  "the document's Link header");
    if (!problem.empty()) {
      rep.Fail("server.preload", problem + "; preload fewer URLs", pos_of("preload"));
    }
  }
  if (!content.HintUrls().empty()) {
    std::string problem = LinkHeaderProblem(content.EarlyHintHeaders(), "the 103's Link header");
    if (!problem.empty()) {
      if (!s.server.hints) {
        problem += "; server.hints is not set, so it hints the push set (" +
                   std::string(s.server.push ? "server.push" : "every child of the document") +
                   "): set server.hints to fewer URLs, or to [] for no 103";
      } else {
        problem += "; hint fewer URLs";
      }
      rep.Fail("server.hints", problem, pos_of("hints"));
    }
  }
}

Scenario Build(const toml::table& root, const Reporter& rep) {
  Scenario s;
  s.source_path = rep.source();
  TableReader top(rep, root, "");
  top.CheckKeys(KeysOf(""));
  ReadName(rep, root, &s.name);
  UrlListPositions pos;
  for (const char* table : {"network", "server", "client"}) ReadTable(rep, root, table, &s, &pos);
  ReadResources(rep, root, &s.resources);
  const UrlIndex by_url = IndexByUrl(s.resources);
  if (s.server.push) {
    CheckUrlList(rep, by_url, "server.push", *s.server.push, pos["server.push"], false);
  }
  if (s.server.hints) {
    CheckUrlList(rep, by_url, "server.hints", *s.server.hints, pos["server.hints"], false);
  }
  CheckUrlList(rep, by_url, "server.preload", s.server.preload, pos["server.preload"], false);
  CheckUrlList(rep, by_url, "client.cache", s.client.cache, pos["client.cache"], true);
  CheckLinkHeaders(rep, root, s);
  return s;
}

}  // namespace

std::vector<std::string> ScenarioWarnings(const Scenario& s) {
  std::vector<std::string> warnings;
  const double timeout = s.client.timeout_ms;
  auto warn = [&](const std::string& key, double ms, const std::string& consequence) {
    warnings.push_back(s.source_path + ": " + key + " = " + FormatDouble(ms, false) +
                       " is not less than client.timeout_ms = " + FormatDouble(timeout, false) +
                       ": " + consequence + ", so the run will time out");
  };
  if (s.server.think_ms >= timeout) {
    warn("server.think_ms", s.server.think_ms, "the document cannot arrive in time");
  }
  std::unordered_set<std::string_view> parents;
  for (const Resource& r : s.resources) parents.insert(r.parent);
  for (size_t i = 1; i < s.resources.size(); ++i) {
    const Resource& r = s.resources[i];
    if (r.think_ms >= timeout) {
      warn("resource[" + r.url + "].think_ms", r.think_ms, "it cannot arrive in time");
    }
  }
  for (const Resource& r : s.resources) {
    // process_ms delays only what the resource references.
    if (r.process_ms >= timeout && parents.count(r.url)) {
      warn("resource[" + r.url + "].process_ms", r.process_ms,
           "what it references cannot be discovered in time");
    }
  }
  return warnings;
}
Scenario LoadScenarioFile(const std::string& path, const std::vector<Override>& overrides) {
  return LoadScenarioText(ReadFile(path), path, overrides);
}

Scenario LoadScenarioText(const std::string& toml_text, const std::string& source_name,
                          const std::vector<Override>& overrides) {
  Reporter rep(source_name);
  toml::table root = ParseToml(toml_text, source_name);
  for (const Override& o : overrides) ApplyOverride(root, o, rep);
  return Build(root, rep);
}

}  // namespace waterfall
