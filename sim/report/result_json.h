// The result file of one run: the contract for scripts and plots (see README, "Results").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/page/scenario.h"
#include "sim/run/run.h"

namespace waterfall {

// What a result was run with, beyond the scenario's name, the mode and the seed: the result
// file's "run" object, so that tools can tell results of different runs apart.
struct RunProvenance {
  std::vector<std::string> overrides;  // the --set arguments, as given, in order
  std::string scenario_fnv1a;          // FNV-1a 64 of the scenario file's bytes, 16 hex digits
};
nlohmann::ordered_json ProvenanceToJson(const RunProvenance& provenance);

// With a provenance, the file has a "run" object after "seed"; without, it has none.
nlohmann::ordered_json ResultToJson(const Scenario& scenario, const RunResult& run,
                                    const RunProvenance* provenance = nullptr);
nlohmann::ordered_json NetworkToJson(const LinkProfile& link);
// The result file's "origins" (per origin: address, rtt_ms, connections, requests, bytes) and
// "preconnects" (what each preconnect cost) arrays.
nlohmann::ordered_json OriginsToJson(const RunResult& run);
nlohmann::ordered_json PreconnectsToJson(const RunResult& run);
// The page-level metrics of a run, as in the result file's "metrics" object.
nlohmann::ordered_json MetricsToJson(const RunResult& run);

}  // namespace waterfall
