// Loading scenario text in the format tests: the scenario, or the ScenarioError it raises.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/page/scenario.h"
#include "models/scenario/scenario_loader.h"
#include "models/scenario/scenario_overrides.h"

namespace waterfall::testing {

// The file name the messages carry.
constexpr const char* kScenarioFile = "test.toml";

inline Scenario Load(const std::string& text, const std::vector<Override>& overrides = {}) {
  return LoadScenarioText(text, kScenarioFile, overrides);
}

// The ScenarioError message of loading `text`, or "" (and a test failure) if it loads.
inline std::string ErrorOf(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    Load(text, overrides);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ScenarioError, but it loaded:\n" << text;
  return "";
}

}  // namespace waterfall::testing
