// A run as an HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/): the
// file `waterfall run --har` writes beside each result, DIR/<mode>.har, for Chrome DevTools'
// network panel and HAR viewers. The mapping from the result's phases to HAR timings is
// docs/har-export.md's.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "models/http/mode.h"
#include "models/page/scenario.h"
#include "sim/run/run.h"

namespace waterfall {

// Navigation start in every HAR waterfall writes: a fixed instant, so that the same run gives
// the same bytes (a real clock would make every file differ).
inline constexpr const char* kHarEpoch = "2026-01-01T00:00:00.000Z";

// epoch + ms as ISO 8601 in UTC with milliseconds ("2026-01-01T00:00:00.401Z"); the
// microseconds below the millisecond are dropped (an entry keeps them in _queued_ms).
std::string HarDateTime(int64_t ms_after_epoch);

// One HAR 1.2 log of one page: the run's resources as entries, in order of start. The run
// should have been made with RunOptions::record_headers, else the header lists are empty.
nlohmann::ordered_json RunToHar(const Scenario& scenario, const ModeSpec& mode,
                                const RunResult& run);

}  // namespace waterfall
