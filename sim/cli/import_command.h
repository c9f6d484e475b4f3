// `waterfall import PAGE.har [-o SCENARIO.toml] [--page N] [--until onload|all]`: one page of a
// HAR capture as a scenario (models/har/har_import.h does the work; docs/har-import.md has the
// rules). The options are filled in by main.cc's parser.
#pragma once

#include <cstddef>
#include <string>

namespace waterfall {

struct ImportCommand {
  std::string har_path;
  std::string out_path;  // empty: stdout
  size_t page = 1;       // 1-based
  std::string until = "onload";
};

// The exit status (sim/cli/exit_codes.h): 0, or 2 with a message on stderr and nothing written.
int Import(const ImportCommand& cmd);

}  // namespace waterfall
