// Reads a scenario TOML file, applies `--set KEY=VALUE` overrides and validates the result.
//
// Error contract: every function here throws ScenarioError on bad input; its what() names the
// file, the dotted key and the problem, e.g.
//   scenarios/x.toml: network.rtt_ms: expected a number >= 0, got -5
// and never returns a partially valid Scenario.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario.h"

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

// A `--set` override: a dotted key ("network.rtt_ms") and a TOML value ("50", "[\"/a.css\"]",
// "\"warm\""). A bare word that is not valid TOML is taken as a string ("--set
// client.connection=warm").
struct Override {
  std::string key;
  std::string value;
};

// Parses "KEY=VALUE"; throws ScenarioError when there is no '=' or the key is empty.
Override ParseOverride(const std::string& key_equals_value);

// Settings that load but doom the run, one line each (file, key, value, client.timeout_ms):
// server.think_ms or a resource's think_ms not less than client.timeout_ms, or the process_ms
// of a resource that references others. The CLI prints them on stderr before running.
std::vector<std::string> ScenarioWarnings(const Scenario& scenario);

// The candidate closest to `word` (edit distance at most 2, else one that `word` begins with at
// least 3 characters), for "did you mean" hints; nullopt when none is close.
std::optional<std::string> ClosestWord(const std::string& word,
                                       const std::vector<std::string>& candidates);

// The known scenario key closest to a dotted key that is not one: "network.rtt_msx" and
// "rtt_ms" give "network.rtt_ms", "resource[/a.css].sise" gives "resource[/a.css].size"; nothing
// when no key is close.
std::optional<std::string> ClosestScenarioKey(const std::string& key);

Scenario LoadScenarioFile(const std::string& path, const std::vector<Override>& overrides = {});
// The same, from TOML text; `source_name` stands for the file in messages.
Scenario LoadScenarioText(const std::string& toml_text, const std::string& source_name,
                          const std::vector<Override>& overrides = {});

}  // namespace waterfall
