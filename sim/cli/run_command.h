// `waterfall run SCENARIO.toml`: loads one page in each mode, writes DIR/<mode>.json and
// DIR/<mode>.csv (and DIR/<mode>.har with --har), prints the table. The options are filled in by
// main.cc's parser.
#pragma once

#include <string>
#include <vector>

namespace waterfall {

struct RunCommand {
  std::string scenario_path;
  std::vector<std::string> modes;
  std::string out_dir;
  std::vector<std::string> sets;
  std::string seed = "1";
  bool pcap = false;
  bool keylog = false;  // DIR/<mode>.keys: the TLS secrets, for tshark to decrypt the pcaps
  bool har = false;     // DIR/<mode>.har: HAR 1.2 of each run (sim/report/har_json.h)
  bool plot = false;
  bool quiet = false;
};

// The exit status (sim/cli/exit_codes.h).
int Run(const RunCommand& cmd);

}  // namespace waterfall
