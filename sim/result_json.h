// The result file of one run: the contract for scripts and plots (see README, "Results").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "models/scenario.h"
#include "sim/run.h"

namespace waterfall {

nlohmann::ordered_json ResultToJson(const Scenario& scenario, const RunResult& run);
nlohmann::ordered_json NetworkToJson(const LinkProfile& link);
// The page-level metrics of a run, as in the result file's "metrics" object.
nlohmann::ordered_json MetricsToJson(const RunResult& run);

// Writes text to path through a temporary file in the same directory and a rename, so a
// reader sees either the old file, no file, or the whole new one. The temporary file is
// ".<name>.tmp.<pid>", hidden, and may remain only if the process is killed (SIGKILL) before
// the rename. Throws std::runtime_error.
void WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace waterfall
