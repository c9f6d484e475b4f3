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
  // --slurm: submit the shards as a Slurm job array and a merge (sim/sweep/slurm_job.h).
  bool slurm = false;
  size_t shards = 0;  // 0: the default, 10 (at most one per run)
  std::vector<std::string> sbatch_args;
  bool wait = false;
  double wait_limit_s = 86400;
};

// --shards' default: enough tasks to spread over a few nodes, few enough to read in squeue.
constexpr size_t kDefaultSlurmShards = 10;

// The exit status (sim/cli/exit_codes.h).
int Sweep(const SweepCommand& cmd);

}  // namespace waterfall
