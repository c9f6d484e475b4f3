// Runs a sweep's missing runs in long-lived worker processes (forked once each, so a run costs
// a page load, not a process start), records each as it finishes, and writes runs.csv once
// every run has a record. Killing it loses only the runs in flight: the same command again
// finishes the rest, and the CSV equals an uninterrupted sweep's.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/sweep_plan.h"

namespace waterfall {

struct SweepOptions {
  std::string out_dir;            // DIR: DIR/records/<id>.json and DIR/runs.csv
  int jobs = 0;                   // worker processes; 0: one per online core
  std::optional<Shard> shard;     // run only this shard's runs; no CSV
  bool quiet = false;             // no progress, no summary (failures still go to stderr)
  double run_wall_limit_s = 600;  // a run taking longer (wall clock) is killed and failed
};

struct SweepOutcome {
  size_t runs = 0;     // in this sweep (or shard)
  size_t resumed = 0;  // already recorded before this invocation
  size_t ok = 0;
  size_t timed_out = 0;
  size_t incomplete = 0;  // settled with a resource reset or blocked
  size_t failed = 0;
  size_t missing = 0;  // no record (interrupted, or a merge without every shard)
  bool interrupted = false;
  std::string csv_path;                       // empty: no CSV written
  std::vector<std::string> failures;          // "axis=value mode=.. seed=..: message", in run order
  std::vector<std::string> missing_examples;  // the first few runs with no record
};

// Throws std::runtime_error when records cannot be written.
SweepOutcome RunSweep(const SweepPlan& plan, const SweepOptions& options);

// Reads the records under each of `dirs` (a sweep output directory or its records/) and writes
// out_dir/runs.csv when together they cover every run.
SweepOutcome MergeSweep(const SweepPlan& plan, const std::vector<std::string>& dirs,
                        const std::string& out_dir);

// "network.rtt_ms=50 mode=h2 seed=3": a run as a person names it.
std::string DescribeRun(const SweepPlan& plan, const SweepRun& run);

}  // namespace waterfall
