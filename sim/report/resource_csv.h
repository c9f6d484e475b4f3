// DIR/<mode>.csv: the result file's per-resource timeline as a table (README, "Results").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace waterfall {

// RFC 4180 (with "\n" line ends, as runs.csv), UTF-8: a header row naming the fields of a
// result file's "resources" entries, in their JSON order (a field only some entries have comes
// after the field before it; `priority` is a column after `initiator` even when no entry has
// it), then one row per resource with the same values: numbers and booleans as the JSON writes
// them, text quoted when it holds a comma, a quote or a line break, and an empty cell for null
// or a field the entry does not have. `resources` is the "resources"
// array of ResultToJson; a page always has its document, so the array is never empty (an
// empty one gives an empty text).
std::string ResourcesToCsv(const nlohmann::ordered_json& resources);

}  // namespace waterfall
