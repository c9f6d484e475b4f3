// `waterfall sweep SWEEP.toml`: runs a sweep's runs (or merges shards) and writes runs.csv. The
// options are filled in by main.cc's parser.
#pragma once

#include <string>
#include <vector>

namespace waterfall {

struct SweepCommand {
  std::string sweep_path;
  int jobs = 0;
  std::string out_dir;
  std::string shard;
  std::vector<std::string> merge_dirs;
  double run_wall_limit_s = 600;
  bool quiet = false;
};

// The exit status (sim/cli/exit_codes.h).
int Sweep(const SweepCommand& cmd);

}  // namespace waterfall
