#include "models/scenario_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "models/mode.h"
#include "models/site_content.h"

namespace waterfall {
namespace {

// ---- Limits (docs/scenario-format.md lists them; keep the two in step) ----------------------

constexpr size_t kMaxResources = 100000;
constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxNameBytes = 255;  // a directory name (NAME_MAX on Linux)
constexpr int64_t kMaxSizeBytes = int64_t{1} << 30;
constexpr double kMaxRttMs = 10000;
constexpr double kMaxRateMbps = 100000;
constexpr double kMaxLossRate = 0.5;
constexpr double kMaxServerMs = 600000;  // think_ms, process_ms
constexpr double kMaxTimeoutMs = 3600000;
// The sum of all resource sizes. Wall time grows with the packets simulated (25-30 s per GiB
// and mode on the CI machine, docs/limits.md), so this bounds one mode to about two minutes.
constexpr uint64_t kMaxPageBytes = uint64_t{4} << 30;
// A scenario file: 100000 resources take about 6 MB; toml++ needs ~16 bytes of memory per
// byte of input, so this keeps parsing under a gigabyte.
constexpr size_t kMaxFileBytes = size_t{64} << 20;
// server.send_buffer_bytes: Linux's smallest TCP send buffer (net.ipv4.tcp_wmem min, 4096) up
// to 1 GiB.
constexpr int64_t kMinSendBufferBytes = 4096;
constexpr int64_t kMaxSendBufferBytes = int64_t{1} << 30;
// server.max_concurrent_streams: any SETTINGS_MAX_CONCURRENT_STREAMS but 0 (which refuses every
// request); 2^31 - 1 is the most stream ids a connection has.
constexpr int64_t kMaxConcurrentStreams = 2147483647;

// ---- Known keys of each table ---------------------------------------------------------------

// Everything here is constexpr, so the loader works even when called during static
// initialization of another translation unit.
struct KeyList {
  const std::string_view* first;
  size_t count;
  const std::string_view* begin() const { return first; }
  const std::string_view* end() const { return first + count; }
};

constexpr std::string_view kTopKeyNames[] = {"name", "network", "server", "client", "resource"};
constexpr std::string_view kNetworkKeyNames[] = {
    "rtt_ms", "bandwidth_mbps", "uplink_mbps", "queue_packets",   "queue",    "loss_rate",
    "tcp",    "initial_cwnd",   "mss",         "outage_start_ms", "outage_ms"};
constexpr std::string_view kServerKeyNames[] = {"think_ms",
                                                "push",
                                                "push_order",
                                                "hints",
                                                "preload",
                                                "notsent_lowat_bytes",
                                                "max_frame_bytes",
                                                "send_buffer_bytes",
                                                "max_concurrent_streams"};
constexpr std::string_view kClientKeyNames[] = {"connection",
                                                "cache",
                                                "h1_connections",
                                                "h1_early_hints",
                                                "h2_stream_window_bytes",
                                                "h2_connection_window_bytes",
                                                "timeout_ms"};
constexpr std::string_view kResourceKeyNames[] = {"url",         "type",
                                                  "size",        "parent",
                                                  "discover_at", "process_ms",
                                                  "think_ms",    "render_blocking",
                                                  "fault",       "fault_after_bytes"};

constexpr KeyList kTopKeys = {kTopKeyNames, std::size(kTopKeyNames)};
constexpr KeyList kNetworkKeys = {kNetworkKeyNames, std::size(kNetworkKeyNames)};
constexpr KeyList kServerKeys = {kServerKeyNames, std::size(kServerKeyNames)};
constexpr KeyList kClientKeys = {kClientKeyNames, std::size(kClientKeyNames)};
constexpr KeyList kResourceKeys = {kResourceKeyNames, std::size(kResourceKeyNames)};

// Where each table's keys live, for "this key belongs in another table" hints.
struct Section {
  const KeyList* keys;
  std::string_view prefix;  // non-empty: suggest "did you mean <prefix><key>? (<hint>)"
  std::string_view hint;    // prefix empty: say "<key><hint>"
};
constexpr Section kSections[] = {
    {&kTopKeys, "",
     " is a top-level key; top-level keys must come before the first [table] header"},
    {&kNetworkKeys, "network.", "it belongs in [network]"},
    {&kServerKeys, "server.", "it belongs in [server]"},
    {&kClientKeys, "client.", "it belongs in [client]"},
    {&kResourceKeys, "", " belongs in a [[resource]]"}};

// ---- Formatting helpers ---------------------------------------------------------------------

// Shortest round-trip form, without exponent in the usual range; floats with no fractional part
// keep a ".0" so they read as floats.
std::string FormatDouble(double v, bool mark_float = true) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[400];
  const double mag = std::fabs(v);
  const auto format = mag == 0 || (mag >= 1e-6 && mag < 1e16) ? std::chars_format::fixed
                                                              : std::chars_format::general;
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, format);
  std::string s = ec == std::errc() ? std::string(buf, end) : std::to_string(v);
  if (mark_float && s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

// A string as it would appear in a message: quoted, control characters escaped, long strings cut.
std::string Quote(std::string_view s) {
  constexpr size_t kShown = 64;
  size_t shown = s.size();
  if (shown > kShown + 16) {
    shown = kShown;
    while (shown > 0 && (static_cast<unsigned char>(s[shown]) & 0xC0) == 0x80) --shown;
  }
  std::string out = "\"";
  for (size_t i = 0; i < shown; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (shown < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

// "a string (\"ten\")", "an integer (5)", "a table", ...: what was found instead.
std::string Describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string (" + Quote(n.as_string()->get()) + ")";
    case toml::node_type::integer:
      return "an integer (" + std::to_string(n.as_integer()->get()) + ")";
    case toml::node_type::floating_point:
      return "a float (" + FormatDouble(n.as_floating_point()->get()) + ")";
    case toml::node_type::boolean:
      return n.as_boolean()->get() ? "a boolean (true)" : "a boolean (false)";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Optimal string alignment distance, the classic Levenshtein plus adjacent transpositions.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The closest candidate within edit distance 2 (ties: the first in the list); failing that, a
// candidate that the word begins (at least 3 characters: "rtt" -> "rtt_ms").
template <typename Candidates>
std::optional<std::string_view> Closest(std::string_view word, const Candidates& candidates) {
  std::optional<std::string_view> best;
  size_t best_distance = 3;
  for (std::string_view c : candidates) {
    size_t len_diff = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (len_diff >= best_distance) continue;
    size_t dist = EditDistance(word, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  if (best || word.size() < 3) return best;
  for (std::string_view c : candidates) {
    if (c.substr(0, word.size()) == word) return c;
  }
  return std::nullopt;
}

std::string JoinKeys(const KeyList& keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

struct Pos {
  uint32_t line = 0;
  uint32_t column = 0;
};

Pos PosOf(const toml::source_region& region) { return {region.begin.line, region.begin.column}; }
Pos PosOf(const toml::node* n) { return n ? PosOf(n->source()) : Pos{}; }

bool IsBareKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// ---- Errors ---------------------------------------------------------------------------------

// Builds every message: "FILE[:LINE:COL]: KEY[ (\"URL\")]: PROBLEM[ (from --set K=V)]".
class Reporter {
 public:
  explicit Reporter(std::string source) : source_(std::move(source)) {}

  const std::string& source() const { return source_; }

  // Remembers that `key_path` (dotted, resources by index) was written by an override.
  void NoteOverride(const std::string& key_path, const std::string& text) {
    overrides_[key_path] = text;
  }

  [[noreturn]] void Fail(const std::string& key, const std::string& problem, Pos pos = {},
                         const std::optional<std::string>& url = std::nullopt,
                         ScenarioErrorKind kind = ScenarioErrorKind::kValue) const {
    // A value written by --set has no place in the file (toml++ gives it one in the --set text).
    const std::string* from = OverrideOf(key);
    std::string msg = source_;
    if (pos.line > 0 && !from) {
      msg += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
    }
    msg += ": " + key;
    if (url) msg += " (" + Quote(*url) + ")";
    msg += ": " + problem;
    if (from) msg += " (from " + *from + ")";
    throw ScenarioError(msg, kind, key, problem);
  }

  // An override that cannot be applied; `text` is the whole "--set KEY=VALUE".
  [[noreturn]] void FailOverride(const std::string& key, const std::string& problem,
                                 const std::string& text) const {
    throw ScenarioError(source_ + ": " + (key.empty() ? "(empty key)" : key) + ": " + problem +
                            " (from " + text + ")",
                        ScenarioErrorKind::kUnknownKey, key, problem);
  }

 private:
  // The override that wrote `key` or a table or array enclosing it.
  const std::string* OverrideOf(std::string key) const {
    if (overrides_.empty()) return nullptr;
    while (!key.empty()) {
      auto it = overrides_.find(key);
      if (it != overrides_.end()) return &it->second;
      size_t cut = key.find_last_of(".[");
      if (cut == std::string::npos) break;
      key.resize(cut);
    }
    return nullptr;
  }

  std::string source_;
  std::map<std::string, std::string> overrides_;
};

// ---- Reading one table ----------------------------------------------------------------------

struct IntRange {
  int64_t lo, hi;
  std::string Text() const { return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]"; }
};

struct NumberRange {
  double lo, hi;
  bool lo_open = false;
  bool Contains(double v) const { return (lo_open ? v > lo : v >= lo) && v <= hi; }
  std::string Text() const {
    return (lo_open ? "(" : "[") + FormatDouble(lo, false) + ", " + FormatDouble(hi, false) + "]";
  }
};

template <typename E>
using EnumName = std::pair<std::string_view, E>;

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
  void CheckKeys(const KeyList& known) const {
    const toml::key* first = nullptr;
    for (auto&& [k, v] : table_) {
      (void)v;
      if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
      if (!first || Before(k.source(), first->source())) first = &k;
    }
    if (!first) return;
    std::string problem = "unknown key";
    std::string_view word = first->str();
    if (auto elsewhere = FindElsewhere(word, known)) {
      problem += "; " + *elsewhere;
    } else if (auto near = Closest(word, known)) {
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

  template <typename E, size_t N>
  std::optional<E> Enum(std::string_view key, const EnumName<E> (&names)[N]) const {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    const auto* s = n->as_string();
    if (s) {
      for (const auto& [word, value] : names) {
        if (s->get() == word) return value;
      }
    }
    std::vector<std::string_view> words;
    std::string problem = "expected one of ";
    for (const auto& [word, value] : names) {
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
  static std::optional<std::string> FindElsewhere(std::string_view word, const KeyList& here) {
    for (const Section& s : kSections) {
      if (s.keys == &here) continue;
      if (std::find(s.keys->begin(), s.keys->end(), word) == s.keys->end()) continue;
      if (s.prefix.empty()) return std::string(word) + std::string(s.hint);
      return "did you mean " + std::string(s.prefix) + std::string(word) + "? (" +
             std::string(s.hint) + ")";
    }
    return std::nullopt;
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

constexpr EnumName<QueueDiscipline> kQueueNames[] = {{"droptail", QueueDiscipline::kDropTail},
                                                     {"fq_codel", QueueDiscipline::kFqCoDel}};
constexpr EnumName<TcpVariant> kTcpNames[] = {
    {"cubic", TcpVariant::kCubic}, {"newreno", TcpVariant::kNewReno}, {"bbr", TcpVariant::kBbr}};
constexpr EnumName<PushOrder> kPushOrderNames[] = {{"before", PushOrder::kBefore},
                                                   {"after", PushOrder::kAfter}};
constexpr EnumName<ConnectionStart> kConnectionNames[] = {{"cold", ConnectionStart::kCold},
                                                          {"warm", ConnectionStart::kWarm}};
constexpr EnumName<ServerFault> kFaultNames[] = {{"none", ServerFault::kNone},
                                                 {"reset", ServerFault::kReset},
                                                 {"goaway", ServerFault::kGoAway},
                                                 {"no_response", ServerFault::kNoResponse}};
constexpr EnumName<ResourceType> kTypeNames[] = {
    {"document", ResourceType::kDocument}, {"style", ResourceType::kStyle},
    {"script", ResourceType::kScript},     {"image", ResourceType::kImage},
    {"font", ResourceType::kFont},         {"other", ResourceType::kOther}};

// ---- Overrides ------------------------------------------------------------------------------

// A syntactically valid override key: either dotted bare keys or resource[URL].KEY.
struct OverrideKey {
  std::vector<std::string> parts;           // dotted form
  std::optional<std::string> resource_url;  // resource[URL].KEY form; parts = {KEY}
};

constexpr std::string_view kResourcePrefix = "resource[";

// Parses `key`; on failure returns nullopt and sets *problem.
std::optional<OverrideKey> ParseOverrideKey(const std::string& key, std::string* problem) {
  OverrideKey out;
  if (key.empty()) {
    *problem = "the key is empty";
    return std::nullopt;
  }
  std::string_view rest = key;
  if (rest.substr(0, kResourcePrefix.size()) == kResourcePrefix) {
    size_t close = rest.rfind("].");
    if (close == std::string_view::npos || close <= kResourcePrefix.size()) {
      *problem =
          "malformed key; a resource field is set as resource[URL].KEY, e.g. "
          "resource[/style.css].size";
      return std::nullopt;
    }
    out.resource_url =
        std::string(rest.substr(kResourcePrefix.size(), close - kResourcePrefix.size()));
    rest = rest.substr(close + 2);
    if (rest.find('.') != std::string_view::npos) {
      *problem =
          "malformed key; a resource field is a single key after resource[URL]., e.g. "
          "resource[/style.css].size";
      return std::nullopt;
    }
  }
  size_t start = 0;
  while (true) {
    size_t dot = rest.find('.', start);
    std::string_view part =
        rest.substr(start, dot == std::string_view::npos ? rest.npos : dot - start);
    if (part.empty() || !std::all_of(part.begin(), part.end(), IsBareKeyChar)) {
      *problem =
          "malformed key; expected dotted bare keys of A-Z a-z 0-9 _ - (e.g. network.rtt_ms) "
          "or resource[URL].KEY";
      return std::nullopt;
    }
    out.parts.emplace_back(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!out.resource_url && out.parts.size() > 1 && out.parts[0] == "resource") {
    *problem =
        "malformed key; resources are an array, so set a resource field as "
        "resource[URL].KEY, e.g. resource[/style.css].size";
    return std::nullopt;
  }
  return out;
}

// Inserts `raw` into `table` under `key`: parsed as a TOML value when it is one, else as a string.
void AssignValue(toml::table& table, const std::string& key, const std::string& raw) {
  try {
    toml::table parsed = toml::parse("v = " + raw);
    if (parsed.size() == 1) {
      if (toml::node* v = parsed.get("v")) {
        table.insert_or_assign(key, std::move(*v));
        return;
      }
    }
  } catch (const toml::parse_error&) {
    // Not TOML: a bare word such as `warm` or `/style.css`.
  }
  table.insert_or_assign(key, raw);
}

void ApplyOverride(toml::table& root, const Override& o, Reporter& rep) {
  const std::string text = "--set " + o.key + "=" + o.value;
  std::string problem;
  std::optional<OverrideKey> key = ParseOverrideKey(o.key, &problem);
  if (!key) rep.FailOverride(o.key, problem, text);

  if (key->resource_url) {
    const std::string& url = *key->resource_url;
    if (auto* arr = root["resource"].as_array()) {
      for (size_t i = 0; i < arr->size(); ++i) {
        auto* t = arr->get(i)->as_table();
        if (!t) continue;
        const auto* u = t->get_as<std::string>("url");
        if (!u || u->get() != url) continue;
        AssignValue(*t, key->parts[0], o.value);
        rep.NoteOverride("resource[" + std::to_string(i) + "]." + key->parts[0], text);
        return;
      }
    }
    rep.FailOverride(o.key, "no resource has url " + Quote(url), text);
  }

  toml::table* table = &root;
  std::string path;
  for (size_t i = 0; i + 1 < key->parts.size(); ++i) {
    const std::string& part = key->parts[i];
    path += (i ? "." : "") + part;
    toml::node* n = table->get(part);
    if (!n) {
      table->insert(part, toml::table{});
      table = table->get(part)->as_table();
      rep.NoteOverride(path, text);
      continue;
    }
    table = n->as_table();
    if (!table) {
      rep.FailOverride(o.key, "cannot set it: " + path + " is " + Describe(*n) + ", not a table",
                       text);
    }
  }
  AssignValue(*table, key->parts.back(), o.value);
  rep.NoteOverride(o.key, text);
}

// ---- Validation and mapping -----------------------------------------------------------------

void ReadNetwork(const Reporter& rep, const toml::table* t, LinkProfile* net) {
  if (!t) return;
  TableReader r(rep, *t, "network.");
  r.CheckKeys(kNetworkKeys);
  if (auto v = r.Number("rtt_ms", {0, kMaxRttMs})) net->rtt_ms = *v;
  if (auto v = r.Number("bandwidth_mbps", {0, kMaxRateMbps, true})) net->bandwidth_mbps = *v;
  if (auto v = r.Number("uplink_mbps", {0, kMaxRateMbps, true})) net->uplink_mbps = *v;
  if (auto v = r.Int("queue_packets", {1, 100000})) net->queue_packets = static_cast<uint32_t>(*v);
  if (auto v = r.Enum("queue", kQueueNames)) net->queue = *v;
  if (auto v = r.Number("loss_rate", {0, kMaxLossRate})) net->loss_rate = *v;
  if (auto v = r.Enum("tcp", kTcpNames)) net->tcp = *v;
  if (auto v = r.Int("initial_cwnd", {1, 1000})) net->initial_cwnd = static_cast<uint32_t>(*v);
  if (auto v = r.Int("mss", {536, 9000})) net->mss_bytes = static_cast<uint32_t>(*v);
  if (auto v = r.Number("outage_start_ms", {0, kMaxTimeoutMs})) net->outage_start_ms = *v;
  if (auto v = r.Number("outage_ms", {0, kMaxTimeoutMs})) net->outage_ms = *v;
}

// Positions of URL-list elements, kept to point at a bad entry after the resources are known.
struct UrlListPositions {
  std::vector<Pos> push, hints, preload, cache;
};

void ReadServer(const Reporter& rep, const toml::table* t, ServerConfig* server,
                UrlListPositions* pos) {
  if (!t) return;
  TableReader r(rep, *t, "server.");
  r.CheckKeys(kServerKeys);
  if (auto v = r.Number("think_ms", {0, kMaxServerMs})) server->think_ms = *v;
  server->push = r.UrlList("push", &pos->push);
  if (auto v = r.Enum("push_order", kPushOrderNames)) server->push_order = *v;
  server->hints = r.UrlList("hints", &pos->hints);
  if (auto v = r.UrlList("preload", &pos->preload)) server->preload = std::move(*v);
  if (auto v = r.Int("notsent_lowat_bytes", {0, int64_t{1} << 30})) {
    server->notsent_lowat_bytes = static_cast<uint32_t>(*v);
  }
  if (auto v = r.Int("max_frame_bytes", {16384, 16777215})) {
    server->max_frame_bytes = static_cast<uint32_t>(*v);
  }
  if (auto v = r.Int("send_buffer_bytes", {kMinSendBufferBytes, kMaxSendBufferBytes})) {
    server->send_buffer_bytes = static_cast<uint32_t>(*v);
  }
  if (auto v = r.Int("max_concurrent_streams", {1, kMaxConcurrentStreams})) {
    server->max_concurrent_streams = static_cast<uint32_t>(*v);
  }
}

void ReadClient(const Reporter& rep, const toml::table* t, ClientConfig* client,
                UrlListPositions* pos) {
  if (!t) return;
  TableReader r(rep, *t, "client.");
  r.CheckKeys(kClientKeys);
  if (auto v = r.Enum("connection", kConnectionNames)) client->connection = *v;
  if (auto v = r.UrlList("cache", &pos->cache)) client->cache = std::move(*v);
  if (auto v = r.Int("h1_connections", {1, 256})) {
    client->h1_connections = static_cast<uint32_t>(*v);
  }
  if (auto v = r.Bool("h1_early_hints")) client->h1_early_hints = *v;
  constexpr IntRange kWindow = {65535, 2147483647};
  if (auto v = r.Int("h2_stream_window_bytes", kWindow)) {
    client->h2_stream_window_bytes = static_cast<uint32_t>(*v);
  }
  if (auto v = r.Int("h2_connection_window_bytes", kWindow)) {
    client->h2_connection_window_bytes = static_cast<uint32_t>(*v);
  }
  if (auto v = r.Number("timeout_ms", {0, kMaxTimeoutMs, true})) client->timeout_ms = *v;
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

// Nodes kept per resource to point errors found after the first pass at the right line.
struct ResourceNodes {
  const toml::node* url = nullptr;
  const toml::node* parent = nullptr;
  const toml::node* discover_at = nullptr;
};

std::string ResourceKey(size_t i, std::string_view key) {
  return "resource[" + std::to_string(i) + "]" + (key.empty() ? "" : ".") + std::string(key);
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

void ReadResources(const Reporter& rep, const toml::table& root, std::vector<Resource>* out,
                   std::unordered_map<std::string_view, size_t>* by_url_out) {
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
  std::vector<ResourceNodes> nodes(n);
  std::unordered_map<std::string_view, size_t> by_url;
  by_url.reserve(n);
  size_t doc = n;
  uint64_t page_bytes = 0;  // at most 100000 x 1 GiB: no overflow

  for (size_t i = 0; i < n; ++i) {
    const toml::node& elem = *arr->get(i);
    const toml::table* t = elem.as_table();
    if (!t) {
      rep.Fail(ResourceKey(i, ""), "expected a table, got " + Describe(elem), PosOf(&elem),
               std::nullopt, ScenarioErrorKind::kWrongType);
    }
    std::optional<std::string> label;
    if (const auto* u = t->get_as<std::string>("url")) label = u->get();
    TableReader r(rep, *t, ResourceKey(i, "") + ".", label);
    r.CheckKeys(kResourceKeys);
    Resource& x = res[i];
    ResourceNodes& xn = nodes[i];

    // url
    xn.url = t->get("url");
    if (!xn.url) r.FailNoUrl("url", "missing required key", nullptr);
    x.url = *r.String("url", "a URL string");
    if (std::string p = UrlProblem(x.url); !p.empty()) r.FailNoUrl("url", p, xn.url);
    auto [it, inserted] = by_url.emplace(x.url, i);
    if (!inserted) {
      r.Fail("url", "duplicate url; " + ResourceKey(it->second, "") + " has the same url", xn.url);
    }

    // type
    std::optional<ResourceType> type = r.Enum("type", kTypeNames);
    if (!type) r.Fail("type", "missing required key", nullptr);
    x.type = *type;
    const bool is_doc = x.type == ResourceType::kDocument;
    if (is_doc && doc != n) {
      r.Fail("type",
             "a second document; " + ResourceKey(doc, "") + " (" + Quote(res[doc].url) +
                 ") is already the document and a page has exactly one",
             t->get("type"));
    }
    if (is_doc) doc = i;

    // size
    std::optional<int64_t> size = r.Int("size", {0, kMaxSizeBytes});
    if (!size) r.Fail("size", "missing required key (bytes)", nullptr);
    x.size_bytes = static_cast<uint64_t>(*size);

    // parent
    xn.parent = t->get("parent");
    if (is_doc && xn.parent) {
      r.Fail("parent", "not allowed on the document (the document is the root of the page)",
             xn.parent);
    }
    if (!is_doc && !xn.parent) {
      r.Fail("parent",
             "missing required key; every resource but the document needs a parent (the resource "
             "that references it)",
             nullptr);
    }
    if (xn.parent) x.parent = *r.String("parent", "a URL string");

    // the rest
    xn.discover_at = t->get("discover_at");
    if (auto v = r.Int("discover_at", {0, kMaxSizeBytes})) {
      x.discover_at_bytes = static_cast<uint64_t>(*v);
    }
    if (auto v = r.Number("process_ms", {0, kMaxServerMs})) x.process_ms = *v;
    if (is_doc && t->get("think_ms")) {
      r.Fail("think_ms", "not allowed on the document; use server.think_ms", t->get("think_ms"));
    }
    if (auto v = r.Number("think_ms", {0, kMaxServerMs})) x.think_ms = *v;
    std::optional<bool> blocking = r.Bool("render_blocking");
    if (is_doc && blocking == false) {
      r.Fail("render_blocking", "the document is always render blocking; remove this key",
             t->get("render_blocking"));
    }
    x.render_blocking = is_doc || blocking.value_or(false);

    // server fault
    if (auto v = r.Enum("fault", kFaultNames)) x.fault = *v;
    if (const toml::node* after = t->get("fault_after_bytes")) {
      if (x.fault != ServerFault::kReset && x.fault != ServerFault::kGoAway) {
        r.Fail("fault_after_bytes",
               "only allowed with fault = \"reset\" or fault = \"goaway\" (the fault it delays)",
               after);
      }
      x.fault_after_bytes = static_cast<uint64_t>(
          *r.Int("fault_after_bytes", {0, static_cast<int64_t>(x.size_bytes)}));
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

  if (doc == n) {
    rep.Fail("resource", "no document; exactly one [[resource]] must have type = \"document\"",
             PosOf(node));
  }

  // Parents exist, and discover_at lies within the parent.
  std::vector<size_t> parent(n, n);
  for (size_t i = 0; i < n; ++i) {
    if (i == doc) continue;
    auto it = by_url.find(res[i].parent);
    if (it == by_url.end()) {
      rep.Fail(ResourceKey(i, "parent"), "no resource has url " + Quote(res[i].parent),
               PosOf(nodes[i].parent), res[i].url);
    }
    parent[i] = it->second;
    const Resource& p = res[parent[i]];
    if (res[i].discover_at_bytes && *res[i].discover_at_bytes > p.size_bytes) {
      rep.Fail(ResourceKey(i, "discover_at"),
               std::to_string(*res[i].discover_at_bytes) + " is beyond the end of the parent " +
                   Quote(p.url) + "; expected an integer in [0, " + std::to_string(p.size_bytes) +
                   "] (the parent size)",
               PosOf(nodes[i].discover_at), res[i].url);
    }
  }

  // Every parent chain reaches the document. Iterative walk with memo: linear, no recursion.
  enum : uint8_t { kUnknown, kOnPath, kReaches };
  std::vector<uint8_t> state(n, kUnknown);
  state[doc] = kReaches;
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
      rep.Fail(ResourceKey(first, "parent"),
               "dependency cycle, the parent chain never reaches the document: " +
                   DescribeCycle(res, cycle) + " (each -> points to the parent)",
               PosOf(nodes[first].parent), res[first].url);
    }
    for (size_t k : path) state[k] = kReaches;
  }

  // The document first, the others in file order.
  out->clear();
  out->reserve(n);
  out->push_back(std::move(res[doc]));
  for (size_t i = 0; i < n; ++i) {
    if (i != doc) out->push_back(std::move(res[i]));
  }
  by_url_out->clear();
  by_url_out->reserve(n);
  for (size_t i = 0; i < n; ++i) by_url_out->emplace((*out)[i].url, i);
}

// Every URL of a list names a resource of the page, once.
void CheckUrlList(const Reporter& rep, const std::string& key, const std::vector<std::string>& urls,
                  const std::vector<Pos>& positions,
                  const std::unordered_map<std::string_view, size_t>& by_url, bool allow_document) {
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < urls.size(); ++i) {
    std::string elem = key + "[" + std::to_string(i) + "]";
    auto it = by_url.find(urls[i]);
    if (it == by_url.end()) {
      rep.Fail(elem,
               Quote(urls[i]) + " is not a resource of the page (no [[resource]] has this url)",
               positions[i]);
    }
    if (it->second == 0 && !allow_document) {
      rep.Fail(elem, Quote(urls[i]) + " is the document itself; list only its subresources",
               positions[i]);
    }
    if (!seen.insert(urls[i]).second) {
      rep.Fail(elem, Quote(urls[i]) + " is listed twice", positions[i]);
    }
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
  top.CheckKeys(kTopKeys);
  ReadName(rep, root, &s.name);
  UrlListPositions pos;
  ReadNetwork(rep, SubTable(rep, root, "network"), &s.network);
  ReadServer(rep, SubTable(rep, root, "server"), &s.server, &pos);
  ReadClient(rep, SubTable(rep, root, "client"), &s.client, &pos);
  std::unordered_map<std::string_view, size_t> by_url;
  ReadResources(rep, root, &s.resources, &by_url);
  s.resources.front().think_ms = s.server.think_ms;
  if (s.server.push) CheckUrlList(rep, "server.push", *s.server.push, pos.push, by_url, false);
  if (s.server.hints) CheckUrlList(rep, "server.hints", *s.server.hints, pos.hints, by_url, false);
  CheckUrlList(rep, "server.preload", s.server.preload, pos.preload, by_url, false);
  CheckUrlList(rep, "client.cache", s.client.cache, pos.cache, by_url, true);
  CheckLinkHeaders(rep, root, s);
  return s;
}

}  // namespace

std::optional<std::string> ClosestWord(const std::string& word,
                                       const std::vector<std::string>& candidates) {
  if (auto near = Closest(word, candidates)) return std::string(*near);
  return std::nullopt;
}

Override ParseOverride(const std::string& key_equals_value) {
  const std::string shown = "--set " + key_equals_value;
  // A resource URL may itself contain '=', so look for it only after "resource[...]".
  size_t from = 0;
  if (key_equals_value.compare(0, kResourcePrefix.size(), kResourcePrefix) == 0) {
    size_t close = key_equals_value.find(']');
    if (close != std::string::npos) from = close;
  }
  size_t eq = key_equals_value.find('=', from);
  if (eq == std::string::npos) {
    throw ScenarioError(shown + ": expected KEY=VALUE, e.g. network.rtt_ms=50");
  }
  Override o{Trim(std::string_view(key_equals_value).substr(0, eq)),
             Trim(std::string_view(key_equals_value).substr(eq + 1))};
  if (o.key.empty()) {
    throw ScenarioError(shown + ": expected KEY=VALUE, e.g. network.rtt_ms=50; the key is empty");
  }
  std::string problem;
  if (!ParseOverrideKey(o.key, &problem)) {
    throw ScenarioError(shown + ": " + o.key + ": " + problem);
  }
  return o;
}

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

std::optional<std::string> ClosestScenarioKey(const std::string& key) {
  if (key.compare(0, kResourcePrefix.size(), kResourcePrefix) == 0) {
    const size_t close = key.rfind("].");
    if (close == std::string::npos) return std::nullopt;
    const auto near = Closest(std::string_view(key).substr(close + 2), kResourceKeys);
    if (!near) return std::nullopt;
    return key.substr(0, close + 2) + std::string(*near);
  }
  std::vector<std::string> dotted;
  for (const Section& s : kSections) {
    if (s.keys == &kResourceKeys) continue;
    for (std::string_view k : *s.keys) dotted.push_back(std::string(s.prefix) + std::string(k));
  }
  if (const auto near = Closest(key, dotted)) return std::string(*near);
  // The right key under the wrong table, or without its table: "client.rtt_ms", "rtt_ms".
  const std::string last = key.substr(key.rfind('.') + 1);
  for (const std::string& d : dotted) {
    if (d.size() > last.size() && d.compare(d.size() - last.size(), last.size(), last) == 0 &&
        d[d.size() - last.size() - 1] == '.') {
      return d;
    }
  }
  return std::nullopt;
}

Scenario LoadScenarioFile(const std::string& path, const std::vector<Override>& overrides) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    throw ScenarioError(
        path + ": cannot read file: " + std::error_code(errno, std::generic_category()).message());
  }
  std::string text;
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) {
    text.append(buf, got);
    if (text.size() > kMaxFileBytes) {  // stops at once on /dev/zero or a huge file
      std::fclose(f);
      throw ScenarioError(path + ": file is too large: more than " + std::to_string(kMaxFileBytes) +
                          " bytes (at most 64 MiB)");
    }
  }
  const int error = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (error != 0) {
    throw ScenarioError(
        path + ": cannot read file: " + std::error_code(error, std::generic_category()).message());
  }
  return LoadScenarioText(text, path, overrides);
}

Scenario LoadScenarioText(const std::string& toml_text, const std::string& source_name,
                          const std::vector<Override>& overrides) {
  Reporter rep(source_name);
  toml::table root;
  try {
    root = toml::parse(std::string_view(toml_text), std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    const toml::source_position& p = e.source().begin;
    std::string msg = source_name;
    if (p.line > 0) msg += ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
    throw ScenarioError(msg + ": TOML syntax error: " + std::string(e.description()));
  }
  for (const Override& o : overrides) ApplyOverride(root, o, rep);
  return Build(root, rep);
}

}  // namespace waterfall
