#include "models/scenario/toml_diagnostics.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

namespace waterfall {

std::string ReadFile(const std::string& path, const std::string& what) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    throw ScenarioError(path + ": cannot read " + what + ": " +
                        std::error_code(errno, std::generic_category()).message());
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
    throw ScenarioError(path + ": cannot read " + what + ": " +
                        std::error_code(error, std::generic_category()).message());
  }
  return text;
}

toml::table ParseToml(const std::string& toml_text, const std::string& source_name) {
  try {
    return toml::parse(std::string_view(toml_text), std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(Located(source_name, PosOf(e.source())) +
                        ": TOML syntax error: " + std::string(e.description()));
  }
}

std::string Located(const std::string& source, Pos pos) {
  if (pos.line == 0) return source;
  return source + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

std::string FormatDouble(double v, bool mark_float) {
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

const char* TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

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

std::optional<std::string> ClosestWord(const std::string& word,
                                       const std::vector<std::string>& candidates) {
  if (auto near = Closest(word, candidates)) return std::string(*near);
  return std::nullopt;
}

void Reporter::Fail(const std::string& key, const std::string& problem, Pos pos,
                    const std::optional<std::string>& url, ScenarioErrorKind kind) const {
  // A value written by --set has no place in the file (toml++ gives it one in the --set text).
  const std::string* from = OverrideOf(key);
  std::string msg = from ? source_ : Located(source_, pos);
  msg += ": " + key;
  if (url) msg += " (" + Quote(*url) + ")";
  msg += ": " + problem;
  if (from) msg += " (from " + *from + ")";
  throw ScenarioError(msg, kind, key, problem);
}

void Reporter::FailOverride(const std::string& key, const std::string& problem,
                            const std::string& text) const {
  throw ScenarioError(source_ + ": " + (key.empty() ? "(empty key)" : key) + ": " + problem +
                          " (from " + text + ")",
                      ScenarioErrorKind::kUnknownKey, key, problem);
}

const std::string* Reporter::OverrideOf(std::string key) const {
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

}  // namespace waterfall
