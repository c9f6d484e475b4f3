// The override language of `--set KEY=VALUE` and of sweeps: KEY is dotted bare keys
// (`network.rtt_ms`, `client.cache`) or TABLE[ID].KEY for a table of which a scenario has
// several, found by ID (`resource[/style.css].size`, `origin[http://cdn.example.net].rtt_ms`).
// Which tables are indexed, and by what, is one row each in kIndexedTables (scenario_overrides.cc).
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/toml_diagnostics.h"

namespace waterfall {

// A `--set` override: a dotted key ("network.rtt_ms") and a TOML value ("50", "[\"/a.css\"]",
// "\"warm\""). A bare word that is not valid TOML is taken as a string ("--set
// client.connection=warm").
struct Override {
  std::string key;
  std::string value;
};

// Parses "KEY=VALUE"; throws ScenarioError when there is no '=' or the key is empty.
Override ParseOverride(const std::string& key_equals_value);

// A table of which a scenario has several, addressed as TABLE[ID].KEY.
struct IndexedTable {
  std::string_view name;         // "resource": the array of tables ([[resource]])
  std::string_view id_key;       // "url": the key whose value is the ID
  std::string_view id_word;      // "URL": what the ID is, in messages
  std::string_view example_id;   // "/style.css"
  std::string_view example_key;  // "size"
  // The IDs are origins: compared as OriginKey ("http://CDN.example.net:80" finds
  // "http://cdn.example.net"), and a missing one is answered with the known ones (a page has
  // few origins, but may have 100000 resources).
  bool origin_ids = false;
};
const std::vector<IndexedTable>& IndexedTables();

// A syntactically valid override key: dotted bare keys, or TABLE[ID].KEY.
struct OverrideKey {
  std::vector<std::string> parts;       // dotted form; TABLE[ID].KEY form: {KEY}
  const IndexedTable* table = nullptr;  // TABLE[ID].KEY form
  std::string id;                       // TABLE[ID].KEY form
};

// Parses `key`; on failure returns nullopt and sets *problem.
std::optional<OverrideKey> ParseOverrideKey(const std::string& key, std::string* problem);

// Writes the override into the parsed scenario file, remembering it in `rep` so that a later
// error about the value names the override. Throws ScenarioError (kUnknownKey) when it cannot be
// applied: a malformed key, no TABLE entry with that ID, or a path through a non-table.
void ApplyOverride(toml::table& root, const Override& o, Reporter& rep);

// The known scenario key closest to a dotted key that is not one: "network.rtt_msx" and
// "rtt_ms" give "network.rtt_ms", "resource[/a.css].sise" gives "resource[/a.css].size"; nothing
// when no key is close.
std::optional<std::string> ClosestScenarioKey(const std::string& key);

}  // namespace waterfall
