// TOML diagnostics shared by everything that reads a TOML file of ours (scenarios, sweeps): the
// error type, the "FILE[:LINE:COL]: KEY: PROBLEM" message shape, how a value is quoted and
// described in a message, "did you mean" hints, and reading a file with the size limit.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace waterfall {

// What an error is about, for a caller that treats them apart: a sweep refuses an axis whose key
// is unknown or whose value has the wrong type before anything runs, while a value of the right
// type that is out of range fails only its own run.
enum class ScenarioErrorKind {
  kValue,       // out of range, or at odds with the rest of the page (the default)
  kUnknownKey,  // no such key, no resource with that URL, or a malformed override key
  kWrongType,   // a value of the wrong type for its key (a string for a number, a float for an
                // integer, a number for a table)
};

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ScenarioError(const std::string& what, ScenarioErrorKind kind, std::string key,
                std::string problem)
      : std::runtime_error(what), kind_(kind), key_(std::move(key)), problem_(std::move(problem)) {}

  ScenarioErrorKind kind() const { return kind_; }
  // The dotted key and the problem, as they appear in what(); empty when not about one key.
  const std::string& key() const { return key_; }
  const std::string& problem() const { return problem_; }

 private:
  ScenarioErrorKind kind_ = ScenarioErrorKind::kValue;
  std::string key_;
  std::string problem_;
};

// A scenario file: 100000 resources take about 6 MB; toml++ needs ~16 bytes of memory per
// byte of input, so this keeps parsing under a gigabyte.
constexpr size_t kMaxFileBytes = size_t{64} << 20;

// The whole file, at most kMaxFileBytes (stops reading at once on /dev/zero or a huge file).
// Throws ScenarioError "PATH: cannot read WHAT: REASON" or "PATH: file is too large: ...".
std::string ReadFile(const std::string& path, const std::string& what = "file");

// Parses TOML text; throws ScenarioError "SOURCE[:LINE:COL]: TOML syntax error: DESCRIPTION".
toml::table ParseToml(const std::string& toml_text, const std::string& source_name);

// ---- Positions ------------------------------------------------------------------------------

struct Pos {
  uint32_t line = 0;
  uint32_t column = 0;
};

inline Pos PosOf(const toml::source_region& region) {
  return {region.begin.line, region.begin.column};
}
inline Pos PosOf(const toml::node* n) { return n ? PosOf(n->source()) : Pos{}; }

// "SOURCE:LINE:COL", or "SOURCE" when the position is unknown (line 0).
std::string Located(const std::string& source, Pos pos);

// ---- Values in messages ---------------------------------------------------------------------

// Shortest round-trip form, without exponent in the usual range; floats with no fractional part
// keep a ".0" so they read as floats (unless mark_float is false).
std::string FormatDouble(double v, bool mark_float = true);

// A string as it would appear in a message: quoted, control characters escaped, long strings cut.
std::string Quote(std::string_view s);

// "a string (\"ten\")", "an integer (5)", "a table", ...: what was found instead.
std::string Describe(const toml::node& n);

// "a string", "an integer", "a table", ...: the type alone.
const char* TypeName(const toml::node& n);

// A bare TOML key character: A-Z a-z 0-9 _ -.
bool IsBareKeyChar(char c);

// `s` without leading and trailing spaces and tabs.
std::string Trim(std::string_view s);

// ---- "Did you mean" -------------------------------------------------------------------------

// Optimal string alignment distance, the classic Levenshtein plus adjacent transpositions.
size_t EditDistance(std::string_view a, std::string_view b);

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

// The candidate closest to `word` (edit distance at most 2, else one that `word` begins with at
// least 3 characters), for "did you mean" hints; nullopt when none is close.
std::optional<std::string> ClosestWord(const std::string& word,
                                       const std::vector<std::string>& candidates);

// ---- The scenario reporter ------------------------------------------------------------------

// Builds every scenario message: "FILE[:LINE:COL]: KEY[ (\"URL\")]: PROBLEM[ (from --set K=V)]".
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
                         ScenarioErrorKind kind = ScenarioErrorKind::kValue) const;

  // An override that cannot be applied; `text` is the whole "--set KEY=VALUE".
  [[noreturn]] void FailOverride(const std::string& key, const std::string& problem,
                                 const std::string& text) const;

 private:
  // The override that wrote `key` or a table or array enclosing it.
  const std::string* OverrideOf(std::string key) const;

  std::string source_;
  std::map<std::string, std::string> overrides_;
};

}  // namespace waterfall
