#include "models/scenario/scenario_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
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
#include "models/scenario/scenario_urls.h"
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
      case KeyType::kStringList:
        if (auto x = StringList(k.name, "a string", positions)) {
          return v->strings = std::move(*x), true;
        }
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
    return StringList(key, "a URL string", positions);
  }

  // A list of strings, each `what` ("a URL string"); also returns each element's position.
  std::optional<std::vector<std::string>> StringList(std::string_view key, std::string_view what,
                                                     std::vector<Pos>* positions) const {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    const auto* arr = n->as_array();
    // "an array of URL strings", "an array of strings"
    const std::string of =
        what.substr(0, 2) == "a " ? std::string(what.substr(2)) + "s" : std::string(what);
    if (!arr) FailType(key, "expected an array of " + of + ", got " + Describe(*n), n);
    std::vector<std::string> strings;
    strings.reserve(arr->size());
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& e = *arr->get(i);
      const auto* s = e.as_string();
      std::string elem_key = std::string(key) + "[" + std::to_string(i) + "]";
      if (!s) FailType(elem_key, "expected " + std::string(what) + ", got " + Describe(e), &e);
      strings.push_back(s->get());
      if (positions) positions->push_back(PosOf(&e));
    }
    return strings;
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

// "" when `url` has the characters of a resource URL (a path, or an absolute URL, which
// ScenarioUrls reads), else what is wrong with it.
std::string UrlProblem(const std::string& url) {
  if (url.empty()) return "expected a URL path starting with '/', got an empty string";
  if (url[0] != '/' && url.find("://") == std::string::npos) {
    return "expected a URL path starting with '/', got " + Quote(url);
  }
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
  for (const char* key : {"network", "dns", "server", "client"}) {
    if (const toml::table* t = root[key].as_table()) tables.emplace_back(key, t);
  }
  for (const char* key : {"origin", "resource"}) {
    if (const toml::array* arr = root[key].as_array()) {
      for (size_t i = 0; i < arr->size(); ++i) {
        if (const toml::table* t = arr->get(i)->as_table()) {
          tables.emplace_back(std::string(key) + "[" + std::to_string(i) + "]", t);
        }
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

// [dns]: its keys, and its presence turns lookups on (an empty [dns] with the defaults).
void ReadDns(const Reporter& rep, const toml::table& root, Scenario* s, UrlListPositions* pos) {
  ReadTable(rep, root, "dns", s, pos);
  s->dns.enabled = SubTable(rep, root, "dns") != nullptr;
}

std::string OriginKeyName(size_t i, std::string_view key) {
  return "origin[" + std::to_string(i) + "]" + (key.empty() ? "" : ".") + std::string(key);
}

// "" when `text` is a dotted IPv4 address (four decimal numbers 0-255, without leading zeros,
// which some parsers read as octal), else the problem.
std::string AddressProblem(const std::string& text) {
  const std::string problem =
      "expected a dotted IPv4 address (e.g. \"192.0.2.10\"), got " + Quote(text);
  size_t start = 0;
  for (int part = 0; part < 4; ++part) {
    size_t end = text.find('.', start);
    if (part == 3) end = text.size();
    if (end == std::string::npos || end == start || end - start > 3) return problem;
    int value = 0;
    for (size_t i = start; i < end; ++i) {
      if (text[i] < '0' || text[i] > '9') return problem;
      value = value * 10 + (text[i] - '0');
    }
    if (value > 255 || (text[start] == '0' && end - start > 1)) return problem;
    start = end + 1;
  }
  return "";
}

// `protocols`: a non-empty list of "h2" and "http/1.1", each once.
void ReadProtocols(const TableReader& r, const toml::table& t, Origin* o) {
  const toml::node* n = t.get("protocols");
  std::optional<std::vector<std::string>> list = r.StringList("protocols", "a string", nullptr);
  if (!list) return;
  const std::vector<std::string_view> words = {"h2", "http/1.1"};
  if (list->empty()) {
    r.Fail("protocols", "expected at least one of \"h2\", \"http/1.1\" (what this server speaks)",
           n);
  }
  o->speaks_h2 = o->speaks_http11 = false;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string& p = (*list)[i];
    const std::string key = "protocols[" + std::to_string(i) + "]";
    const toml::node* at = n->as_array()->get(i);
    bool* speaks = p == "h2" ? &o->speaks_h2 : p == "http/1.1" ? &o->speaks_http11 : nullptr;
    if (!speaks) {
      std::string problem = "expected \"h2\" or \"http/1.1\", got " + Quote(p);
      if (auto near = Closest(p, words))
        problem += "; did you mean \"" + std::string(*near) + "\"?";
      r.Fail(key, problem, at);
    }
    if (*speaks) r.Fail(key, Quote(p) + " is listed twice", at);
    *speaks = true;
  }
}

// "[\"h2\", \"http/1.1\"]": an origin's protocols as the file writes them.
std::string ProtocolsText(const Origin& o) {
  std::string out = "[";
  if (o.speaks_h2) out += "\"h2\"";
  if (o.speaks_http11) out += std::string(o.speaks_h2 ? ", " : "") + "\"http/1.1\"";
  return out + "]";
}

// The value of each [tls] key in `tls`, in schema order, as the file writes it.
std::vector<std::pair<std::string_view, std::string>> TlsSettings(const TlsConfig& tls) {
  auto quoted = [](const char* word) { return "\"" + std::string(word) + "\""; };
  auto boolean = [](bool b) { return std::string(b ? "true" : "false"); };
  return {{"version", quoted(ToString(tls.version))},
          {"certificate", quoted(ToString(tls.certificate))},
          {"chain_depth", std::to_string(tls.chain_depth)},
          {"certificate_error", quoted(ToString(tls.certificate_error))},
          {"record_bytes", std::to_string(tls.record_bytes)},
          {"dynamic_records", boolean(tls.dynamic_records)},
          {"session_tickets", std::to_string(tls.session_tickets)},
          {"early_data", boolean(tls.early_data)}};
}

// 0-RTT is TLS 1.3's (RFC 8446 section 4.2.10): early_data with version = "1.2" is an error at
// whichever of the two keys `t` (a [tls] or an origin's tls table) has, early_data first.
void CheckEarlyDataVersion(const TableReader& r, const toml::table& t, const TlsConfig& tls) {
  if (!tls.early_data || tls.version != TlsVersion::k12) return;
  const char* at = t.get("early_data") ? "early_data" : "version";
  r.Fail(at,
         "early_data = true with version = \"1.2\": 0-RTT early data is TLS 1.3 only (RFC 8446 "
         "section 4.2.10)",
         t.get(at));
}

// [tls]: read by the schema rows into s->tls (the origins take it from there).
void ReadTls(const Reporter& rep, const toml::table& root, Scenario* s, UrlListPositions* pos) {
  ReadTable(rep, root, "tls", s, pos);
  if (const toml::table* t = SubTable(rep, root, "tls")) {
    CheckEarlyDataVersion(TableReader(rep, *t, "tls."), *t, s->tls);
  }
}

// An origin's `tls` table over the scenario's [tls], into o->tls; o->tls is [tls] without one.
void ReadOriginTls(const Reporter& rep, const TableReader& r, const toml::table& t, size_t i,
                   const std::optional<std::string>& label, const TlsConfig& scenario_tls,
                   Origin* o) {
  o->tls = scenario_tls;
  const toml::node* n = t.get("tls");
  if (!n) return;
  if (!o->UsesTls()) {
    r.Fail("tls",
           "a tls table on an http origin; TLS applies to https origins (url = \"https://" +
               o->key.host + "\")",
           n);
  }
  const toml::table* tt = n->as_table();
  if (!tt) r.FailType("tls", "expected a table (tls = { ... }), got " + Describe(*n), n);
  TableReader tr(rep, *tt, OriginKeyName(i, "tls") + ".", label);
  const KeySpan keys = KeysOf("tls");
  tr.CheckKeys(keys);
  // The schema rows set Scenario::tls: read into a scenario that holds only this origin's.
  Scenario scratch;
  scratch.tls = scenario_tls;
  for (const KeySpec& k : keys) {
    KeyValue v;
    if (tr.Read(k, &v, nullptr)) k.set(scratch, v);
  }
  o->tls = scratch.tls;
  CheckEarlyDataVersion(tr, *tt, o->tls);
}

// Origins at one address are one server node: the same scheme and port, and for https one
// certificate and one TLS server (the same effective tls). Fails at origin i's key that differs.
void CheckSameServer(const TableReader& r, const toml::table& t, size_t first, const Origin& other,
                     const Origin& o) {
  const std::string same = OriginKeyName(first, "") + " (" + Quote(other.key.ToString()) +
                           "), which has the same address " + o.address;
  const toml::node* url = t.get("url");
  if (other.key.scheme != o.key.scheme) {
    r.Fail("url",
           Quote(o.key.ToString()) + " is " + o.key.scheme + " and " + same + ", is " +
               other.key.scheme +
               ": origins at one address are one server node, which speaks one scheme; give them "
               "the same scheme",
           url);
  }
  if (other.key.port != o.key.port) {
    r.Fail("url",
           "port " + std::to_string(o.key.port) + " differs from " + same + " and port " +
               std::to_string(other.key.port) +
               ": origins at one address are one server node, listening on one port; give them "
               "the same port",
           url);
  }
  if (!o.UsesTls()) return;
  const auto mine = TlsSettings(o.tls);
  const auto theirs = TlsSettings(other.tls);
  for (size_t k = 0; k < mine.size(); ++k) {
    if (mine[k].second == theirs[k].second) continue;
    const std::string name = "tls." + std::string(mine[k].first);
    const toml::table* tt = t.get("tls") ? t.get("tls")->as_table() : nullptr;
    const toml::node* at = tt ? tt->get(mine[k].first) : nullptr;
    const std::string key = at ? name : tt ? "tls" : "address";
    r.Fail(key,
           name + " = " + mine[k].second + " differs from " + same + " and " + name + " = " +
               theirs[k].second +
               ": origins at one address are one server node, with one certificate and one TLS "
               "server; give them the same tls settings",
           at ? at : t.get(key));
  }
}

// [[origin]] in file order, or the one implicit origin at network.rtt_ms (https://waterfall.test
// with scheme = "https"). Returns whether the file declares origins.
bool ReadOrigins(const Reporter& rep, const toml::table& root, Scenario* s) {
  const toml::node* node = root.get("origin");
  const KeySpec& scheme_key = SchemaKey("", "scheme");
  TableReader top(rep, root, "");
  const std::optional<size_t> scheme = top.Choice(scheme_key);
  if (!node) {
    Origin o;
    o.key = ScenarioOrigin();
    if (scheme && scheme_key.choices[*scheme] == "https") o.key = {"https", o.key.host, 443};
    o.rtt_ms = s->network.rtt_ms;
    o.tls = s->tls;
    s->origins = {o};
    return false;
  }
  if (scheme) {
    top.Fail("scheme",
             "not allowed with [[origin]]: each origin's url says its scheme (url = "
             "\"https://www.example.com\"); scheme is for the one implicit origin of a "
             "scenario without [[origin]]",
             root.get("scheme"));
  }
  const toml::array* arr = node->as_array();
  if (!arr) {
    rep.Fail("origin", "expected an array of tables ([[origin]]), got " + Describe(*node),
             PosOf(node), std::nullopt, ScenarioErrorKind::kWrongType);
  }
  if (arr->empty()) {
    rep.Fail("origin",
             "no origins; declare at least one [[origin]], or remove the key for the one "
             "implicit origin (" +
                 ScenarioOrigin().ToString() + ")",
             PosOf(node));
  }
  if (arr->size() > kMaxOrigins) {
    rep.Fail("origin",
             "too many origins: " + std::to_string(arr->size()) + " (at most " +
                 std::to_string(kMaxOrigins) + ")",
             PosOf(node));
  }
  const KeySpan keys = KeysOf("origin");
  const KeySpec& rtt_key = SchemaKey("origin", "rtt_ms");
  const KeySpec& dns_key = SchemaKey("origin", "dns_ms");
  const KeySpec& think_key = SchemaKey("origin", "think_ms");
  std::vector<const toml::table*> tables;
  std::map<OriginKey, size_t> seen;
  std::map<std::string, size_t> by_address;  // the first origin at each address
  s->origins.clear();
  s->origins.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& elem = *arr->get(i);
    const toml::table* t = elem.as_table();
    if (!t) {
      rep.Fail(OriginKeyName(i, ""), "expected a table, got " + Describe(elem), PosOf(&elem),
               std::nullopt, ScenarioErrorKind::kWrongType);
    }
    tables.push_back(t);
    std::optional<std::string> label;
    if (const auto* u = t->get_as<std::string>("url")) label = u->get();
    TableReader r(rep, *t, OriginKeyName(i, "") + ".", label);
    r.CheckKeys(keys);
    Origin o;

    const toml::node* url = t->get("url");
    if (!url) r.FailNoUrl("url", "missing required key (scheme://host[:port])", nullptr);
    const std::string text = *r.String("url", "an origin string");
    if (text.size() > kMaxUrlBytes) {
      r.FailNoUrl("url",
                  "URL is " + std::to_string(text.size()) + " bytes long (at most " +
                      std::to_string(kMaxUrlBytes) + "): " + Quote(text),
                  url);
    }
    if (std::string p = OriginUrlProblem(text, &o.key); !p.empty()) r.FailNoUrl("url", p, url);
    if (auto [it, inserted] = seen.emplace(o.key, i); !inserted) {
      r.Fail("url", "duplicate origin; " + OriginKeyName(it->second, "") + " has the same url",
             url);
    }

    o.rtt_ms = r.Number(rtt_key).value_or(s->network.rtt_ms);
    o.dns_ms = r.Number(dns_key).value_or(0);
    o.think_ms = r.Number(think_key).value_or(0);
    ReadProtocols(r, *t, &o);
    ReadOriginTls(rep, r, *t, i, label, s->tls, &o);
    if (std::optional<std::string> address = r.String("address", "a dotted IPv4 address")) {
      if (std::string p = AddressProblem(*address); !p.empty())
        r.Fail("address", p, t->get("address"));
      o.address = *address;
      auto [it, first] = by_address.emplace(o.address, i);
      const Origin& other = s->origins[it->second];
      if (!first) CheckSameServer(r, *t, it->second, other, o);
      if (!first && (other.speaks_h2 != o.speaks_h2 || other.speaks_http11 != o.speaks_http11)) {
        const char* at = t->get("protocols") ? "protocols" : "address";
        r.Fail(at,
               ProtocolsText(o) + " differs from " + OriginKeyName(it->second, "") + " (" +
                   Quote(other.key.ToString()) + "), which has the same address " + o.address +
                   " and protocols = " + ProtocolsText(other) +
                   (o.UsesTls() ? ": origins at one address are one server node, which offers "
                                  "one ALPN list; give them the same protocols"
                                : ": origins at one address are one server node, and over "
                                  "cleartext (no TLS, so no ALPN) that node cannot tell which "
                                  "protocol a connection speaks; give them the same protocols"),
               t->get(at));
      }
      if (!first && other.rtt_ms != o.rtt_ms) {
        const char* at = t->get("rtt_ms") ? "rtt_ms" : "address";
        r.Fail(at,
               "rtt_ms = " + FormatDouble(o.rtt_ms, false) + " differs from " +
                   OriginKeyName(it->second, "") + " (" + Quote(other.key.ToString()) +
                   "), which has the same address " + o.address +
                   " and rtt_ms = " + FormatDouble(other.rtt_ms, false) +
                   ": origins at one address are one server node, at one distance; give them "
                   "the same rtt_ms",
               t->get(at));
      }
    }
    s->origins.push_back(std::move(o));
  }
  return true;
}

std::string ResourceKey(size_t i, std::string_view key) {
  return "resource[" + std::to_string(i) + "]" + (key.empty() ? "" : ".") + std::string(key);
}

// How the HTML parser treats resource i (docs/scenario-format.md "Parsing"): its priority, the
// script keys (blocking, defer, async: a script's, at most one of them true), lcp (at most one
// resource of the page; *lcp_resource is the one so far) and head_bytes (the document's, at
// most its size). x (res[i]) has its url, type and size already.
void ReadParsing(const TableReader& r, const toml::table& t, size_t i,
                 const std::vector<Resource>& res, std::optional<size_t>* lcp_resource,
                 Resource* x) {
  if (std::optional<size_t> v = r.Choice(SchemaKey("resource", "priority"))) {
    x->priority = static_cast<LoadPriority>(*v);  // kPriorityWords is in LoadPriority's order
  }
  const char* on = nullptr;  // the script key already true
  for (const char* key : {"blocking", "defer", "async"}) {
    const toml::node* at = t.get(key);
    if (!at) continue;
    if (x->type != ResourceType::kScript) {
      r.Fail(key,
             "only allowed on type = \"script\" (it says when the HTML parser runs the script)",
             at);
    }
    if (!*r.Bool(key)) continue;
    if (on) {
      r.Fail(key,
             std::string(on) + " = true and " + key +
                 " = true: a script is blocking, defer or async, at most one of them",
             at);
    }
    on = key;
  }
  x->blocking = on && std::string_view(on) == "blocking";
  x->defer = on && std::string_view(on) == "defer";
  x->async = on && std::string_view(on) == "async";
  if (r.Bool("lcp").value_or(false)) {
    if (*lcp_resource) {
      r.Fail("lcp",
             "a second lcp resource; " + ResourceKey(**lcp_resource, "") + " (" +
                 Quote(res[**lcp_resource].url) +
                 ") is already the largest contentful paint element and a page has at most one",
             t.get("lcp"));
    }
    *lcp_resource = i;
    x->lcp = true;
  }
  if (const toml::node* at = t.get("head_bytes")) {
    if (x->type != ResourceType::kDocument) {
      r.Fail("head_bytes", "only allowed on the document (the bytes of the HTML before <body>)",
             at);
    }
    // At most the document's own size (the schema's "[0, `size`]").
    const KeySpec& k = SchemaKey("resource", "head_bytes");
    x->head_bytes = static_cast<uint64_t>(
        *r.Int("head_bytes", {static_cast<int64_t>(k.lo), static_cast<int64_t>(x->size_bytes)}));
  }
}

// Resources in file order, checked key by key and then as a page graph (page_graph.h); the
// result has the document first, the others in file order.
void ReadResources(const Reporter& rep, const toml::table& root, ScenarioUrls* urls,
                   std::vector<Resource>* out) {
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
  // The document's origin first: every other URL's canonical form depends on it.
  for (size_t i = 0; i < n; ++i) {
    const toml::table* t = arr->get(i)->as_table();
    const auto* type = t ? t->get_as<std::string>("type") : nullptr;
    const auto* url = t ? t->get_as<std::string>("url") : nullptr;
    if (type && url && type->get() == "document") {
      urls->SetDocument(url->get());
      break;
    }
  }
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
  std::optional<size_t> lcp_resource;  // the resource that says lcp = true

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

    // url: a preconnect's is an origin
    const toml::node* url = t->get("url");
    if (!url) r.FailNoUrl("url", "missing required key", nullptr);
    const std::string written = *r.String("url", "a URL string");
    if (std::string p = UrlProblem(written); !p.empty()) r.FailNoUrl("url", p, url);
    const auto* type_word = t->get_as<std::string>("type");
    const bool is_preconnect = type_word && type_word->get() == "preconnect";
    if (std::string p =
            is_preconnect ? urls->Origin(written, &x.url) : urls->Resource(written, &x.url);
        !p.empty()) {
      r.FailNoUrl("url", p, url);
    }
    if (std::optional<GraphProblem> p = graph.Url(i)) {
      // "/a.js" and "http://www.example.com/a.js" on the document's origin are one URL.
      if (written != x.url) p->problem += " (" + Quote(written) + " is " + Quote(x.url) + ")";
      check(p);
    }

    // type
    std::optional<size_t> type = r.Choice(type_key);
    if (!type) r.Fail("type", "missing required key", nullptr);
    x.type = *ParseResourceType(std::string(type_key.choices[*type]));
    const bool is_doc = x.type == ResourceType::kDocument;
    check(graph.Type(i));

    // size
    if (is_preconnect) {
      if (const toml::node* at = t->get("size")) {
        r.Fail("size", "not allowed on a preconnect (it fetches nothing)", at);
      }
    } else {
      std::optional<int64_t> size = r.Int(size_key);
      if (!size) r.Fail("size", "missing required key (bytes)", nullptr);
      x.size_bytes = static_cast<uint64_t>(*size);
    }

    // parent
    const bool has_parent = t->get("parent") != nullptr;
    check(graph.HasParent(i, has_parent));
    if (has_parent) {
      const std::string parent = *r.String("parent", "a URL string");
      if (std::string p = urls->Reference(parent, &x.parent); !p.empty()) {
        r.Fail("parent", p, t->get("parent"));
      }
    }
    if (is_preconnect) {
      for (const char* key : {"process_ms", "think_ms", "render_blocking", "fault",
                              "fault_after_bytes", "priority", "lcp"}) {
        if (const toml::node* at = t->get(key)) {
          r.Fail(key,
                 "not allowed on a preconnect (it fetches nothing: a connection to its origin, "
                 "made when the parent's bytes up to discover_at have arrived)",
                 at);
        }
      }
    }

    // the rest
    if (auto v = r.Int(discover_at_key)) {
      x.discover_at_bytes = static_cast<uint64_t>(*v);
    }
    if (auto v = r.Number(process_key)) x.process_ms = *v;
    if (is_doc && t->get("think_ms")) {
      r.Fail("think_ms", "not allowed on the document; use server.think_ms", t->get("think_ms"));
    }
    if (auto v = r.Number(think_key)) {
      x.think_ms = *v;
    } else if (!is_doc && !is_preconnect) {
      x.think_ms = urls->Find(urls->OriginOf(x.url))->think_ms;
    }
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
    ReadParsing(r, *t, i, res, &lcp_resource, &x);
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

// Every URL of a list in the canonical form, then naming a resource of the page as `rule`
// allows (page_graph.h), or an error at the list element.
void CheckUrlList(const Reporter& rep, const ScenarioUrls& urls,
                  const std::vector<Resource>& resources, const UrlIndex& by_url,
                  const std::string& key, std::vector<std::string>* list,
                  const std::vector<Pos>& positions, const UrlListRule& rule) {
  for (size_t i = 0; i < list->size(); ++i) {
    std::string canonical;
    if (std::string p = urls.Reference((*list)[i], &canonical); !p.empty()) {
      rep.Fail(key + "[" + std::to_string(i) + "]", p, positions[i]);
    }
    (*list)[i] = std::move(canonical);
  }
  if (auto p = waterfall::CheckUrlList(resources, by_url, key, *list, rule)) {
    rep.Fail(p->key, p->problem, positions[p->list_index]);
  }
}

// server.preconnect: declared origins, each once, as OriginKey::ToString writes them.
void CheckPreconnectList(const Reporter& rep, const ScenarioUrls& urls,
                         std::vector<std::string>* list, const std::vector<Pos>& positions) {
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string key = "server.preconnect[" + std::to_string(i) + "]";
    std::string origin;
    if (std::string p = urls.Origin((*list)[i], &origin); !p.empty()) {
      rep.Fail(key, p, positions[i]);
    }
    if (!seen.insert(origin).second)
      rep.Fail(key, Quote(origin) + " is listed twice", positions[i]);
    (*list)[i] = std::move(origin);
  }
}

// client.dns_cache: hosts of declared origins, each once, in lower case.
void CheckDnsCache(const Reporter& rep, const std::vector<Origin>& origins,
                   std::vector<std::string>* hosts, const std::vector<Pos>& positions) {
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < hosts->size(); ++i) {
    const std::string key = "client.dns_cache[" + std::to_string(i) + "]";
    std::string host = (*hosts)[i];
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool known = std::any_of(origins.begin(), origins.end(),
                                   [&](const Origin& o) { return o.key.host == host; });
    if (!known) {
      std::string names;
      std::unordered_set<std::string_view> listed;
      for (const Origin& o : origins) {
        if (!listed.insert(o.key.host).second) continue;
        if (listed.size() > 10) {
          names += ", ...";
          break;
        }
        names += (names.empty() ? "" : ", ") + o.key.host;
      }
      rep.Fail(key,
               Quote((*hosts)[i]) +
                   " is not the host of any origin of the page (a host name, without scheme or "
                   "port; the page's hosts: " +
                   names + ")",
               positions[i]);
    }
    if (!seen.insert(host).second) rep.Fail(key, Quote(host) + " is listed twice", positions[i]);
    (*hosts)[i] = std::move(host);
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
  // The document's 200 carries the preload and preconnect links in every mode; the 103
  // (h2-hints) the hints and the preconnect links (SiteContent::LinkHeader: preconnect links
  // after the others, in the same field).
  const SiteContent content(s, *FindMode("h2-hints"));
  const std::vector<std::string>& preconnect = s.server.preconnect;
  if (!s.server.preload.empty() || !preconnect.empty()) {
    const std::string problem = LinkHeaderProblem(content.ResponseHeaders(s.resources.front()),
                                                  "the document's Link header");
    if (!problem.empty()) {
      if (s.server.preload.empty()) {
        rep.Fail("server.preconnect", problem + "; announce fewer origins", pos_of("preconnect"));
      }
      rep.Fail("server.preload",
               problem + (preconnect.empty() ? "; preload fewer URLs"
                                             : "; preload fewer URLs or announce fewer origins "
                                               "(server.preconnect)"),
               pos_of("preload"));
    }
  }
  if (!content.HintUrls().empty() || !preconnect.empty()) {
    // SiteContent writes the preconnect links after the hinted ones, in the same field.
    std::string problem = LinkHeaderProblem(content.EarlyHintHeaders(), "the 103's Link header");
    if (!problem.empty() && content.HintUrls().empty()) {
      rep.Fail("server.preconnect", problem + "; announce fewer origins", pos_of("preconnect"));
    }
    if (!problem.empty()) {
      if (!preconnect.empty()) problem += " (including server.preconnect's links)";
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

// [tls], client.connection = "resumed" and client.early_data need an https origin; 0-RTT needs
// a ticket, so client.early_data needs a resumed connection.
void CheckTlsUse(const Reporter& rep, const toml::table& root, const Scenario& s) {
  const bool https =
      std::any_of(s.origins.begin(), s.origins.end(), [](const Origin& o) { return o.UsesTls(); });
  if (!https) {
    if (const toml::node* tls = root.get("tls")) {
      rep.Fail("tls", "[tls] applies to https origins; this scenario has none", PosOf(tls));
    }
  }
  const toml::table* client = root["client"].as_table();
  auto pos_of = [&](std::string_view key) { return client ? PosOf(client->get(key)) : Pos{}; };
  if (!https && s.client.connection == ConnectionStart::kResumed) {
    rep.Fail("client.connection",
             "\"resumed\" resumes TLS sessions, which need an https origin; this scenario has "
             "none",
             pos_of("connection"));
  }
  if (!s.client.early_data) return;
  if (!https) {
    rep.Fail("client.early_data",
             "0-RTT early data is sent over TLS, which needs an https origin; this scenario has "
             "none",
             pos_of("early_data"));
  }
  if (s.client.connection != ConnectionStart::kResumed) {
    rep.Fail("client.early_data",
             "0-RTT early data needs a session ticket from an earlier visit: set "
             "client.connection = \"resumed\"",
             pos_of("early_data"));
  }
}

Scenario Build(const toml::table& root, const Reporter& rep) {
  Scenario s;
  s.source_path = rep.source();
  TableReader top(rep, root, "");
  top.CheckKeys(KeysOf(""));
  ReadName(rep, root, &s.name);
  UrlListPositions pos;
  ReadTable(rep, root, "network", &s, &pos);
  ReadDns(rep, root, &s, &pos);
  ReadTls(rep, root, &s, &pos);
  const bool declared = ReadOrigins(rep, root, &s);
  for (const char* table : {"server", "client"}) ReadTable(rep, root, table, &s, &pos);
  CheckTlsUse(rep, root, s);
  ScenarioUrls urls(s.origins, declared);
  ReadResources(rep, root, &urls, &s.resources);
  const UrlIndex by_url = IndexByUrl(s.resources);
  const auto check_list = [&](const std::string& key, std::vector<std::string>* list,
                              const UrlListRule& rule) {
    CheckUrlList(rep, urls, s.resources, by_url, key, list, pos[key], rule);
  };
  if (s.server.push) {
    check_list("server.push", &*s.server.push, {false, urls.document_origin().ToString()});
  }
  if (s.server.hints) check_list("server.hints", &*s.server.hints, {});
  check_list("server.preload", &s.server.preload, {});
  check_list("client.cache", &s.client.cache, {true, {}});
  CheckPreconnectList(rep, urls, &s.server.preconnect, pos["server.preconnect"]);
  CheckDnsCache(rep, s.origins, &s.client.dns_cache, pos["client.dns_cache"]);
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
