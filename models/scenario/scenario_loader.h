// Reads a scenario TOML file, applies `--set KEY=VALUE` overrides and validates the result.
//
// Error contract: every function here throws ScenarioError on bad input; its what() names the
// file, the dotted key and the problem, e.g.
//   scenarios/x.toml: network.rtt_ms: expected a number >= 0, got -5
// and never returns a partially valid Scenario.
//
// The parts: scenario_schema.h (every key: type, range, default), toml_diagnostics.h (messages,
// ReadFile), scenario_overrides.h (the --set language), page_graph.h (the page's rules).
#pragma once

#include <string>
#include <vector>

#include "models/page/scenario.h"
#include "models/scenario/scenario_overrides.h"
#include "models/scenario/scenario_schema.h"
#include "models/scenario/toml_diagnostics.h"

namespace waterfall {

// Settings that load but doom the run, one line each (file, key, value, client.timeout_ms):
// server.think_ms or a resource's think_ms not less than client.timeout_ms, or the process_ms
// of a resource that references others. The CLI prints them on stderr before running.
std::vector<std::string> ScenarioWarnings(const Scenario& scenario);

Scenario LoadScenarioFile(const std::string& path, const std::vector<Override>& overrides = {});
// The same, from TOML text; `source_name` stands for the file in messages.
Scenario LoadScenarioText(const std::string& toml_text, const std::string& source_name,
                          const std::vector<Override>& overrides = {});

}  // namespace waterfall
