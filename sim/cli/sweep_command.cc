#include "sim/cli/sweep_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/scenario_loader.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/output_dir.h"
#include "sim/sweep/sweep_plan.h"
#include "sim/sweep/sweep_runner.h"

namespace waterfall {

namespace fs = std::filesystem;

namespace {

void PrintSweepProblems(const SweepOutcome& out) {
  if (out.failed > 0) {
    std::cerr << "waterfall: " << out.failed << " of " << out.runs << " runs failed:\n";
    constexpr size_t kShown = 10;
    for (size_t i = 0; i < out.failures.size() && i < kShown; ++i) {
      std::cerr << "  " << out.failures[i] << "\n";
    }
    if (out.failures.size() > kShown) {
      std::cerr << "  ... and " << out.failures.size() - kShown
                << " more (the error column of the CSV or records)\n";
    }
  }
  if (out.timed_out > 0) {
    std::cerr << "waterfall: " << out.timed_out << " of " << out.runs
              << " runs hit client.timeout_ms (status timeout)\n";
  }
  if (out.incomplete > 0) {
    std::cerr << "waterfall: " << out.incomplete << " of " << out.runs
              << " runs settled with a resource reset or blocked (status incomplete)\n";
  }
}

int ExitCodeOf(const SweepOutcome& out) {
  if (out.interrupted) return kExitInterrupted;
  if (out.failed > 0 || out.missing > 0) return kExitRunsFailed;
  if (out.timed_out > 0 || out.incomplete > 0) return kExitIncomplete;
  return kExitOk;
}

}  // namespace

int Sweep(const SweepCommand& cmd) {
  SweepPlan plan;
  std::optional<Shard> shard;
  try {
    plan = LoadSweepFile(cmd.sweep_path);
    if (!cmd.shard.empty()) shard = ParseShard(cmd.shard);
  } catch (const SweepError& e) {
    std::cerr << "waterfall: " << e.what() << "\n";
    return kExitBadInput;
  }
  if (cmd.merge_dirs.empty()) {
    // Once per sweep, for the base with its fixed overrides (LoadSweepFile has loaded it once
    // already, so it loads); the axes may change the verdict run by run.
    const Scenario base = LoadScenarioText(plan.base_text, plan.base_path, plan.fixed);
    for (const std::string& w : ScenarioWarnings(base)) {
      std::cerr << "waterfall: warning: " << w << " (the sweep's base, before its axes)\n";
    }
  }
  if (shard && !cmd.merge_dirs.empty()) {
    std::cerr << "waterfall: --shard and --merge do not go together: merge after all shards ran\n";
    return kExitBadInput;
  }
  const std::string out_dir =
      cmd.out_dir.empty() ? (fs::path("results") / "sweeps" / plan.name).string() : cmd.out_dir;
  if (const std::string problem = OutputDirProblem(out_dir); !problem.empty()) {
    std::cerr << "waterfall: "
              << (cmd.out_dir.empty() ? "output directory " + out_dir + " (--out default)"
                                      : "--out " + cmd.out_dir)
              << ": " << problem << "\n";
    return kExitBadInput;
  }
  const auto start = std::chrono::steady_clock::now();
  SweepOutcome out;
  try {
    if (!cmd.merge_dirs.empty()) {
      out = MergeSweep(plan, cmd.merge_dirs, out_dir);
    } else {
      SweepOptions options;
      options.out_dir = out_dir;
      options.jobs = cmd.jobs;
      options.shard = shard;
      options.quiet = cmd.quiet;
      options.run_wall_limit_s = cmd.run_wall_limit_s;
      out = RunSweep(plan, options);
    }
  } catch (const SweepError& e) {
    std::cerr << "waterfall: " << e.what() << "\n";
    return kExitBadInput;
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSweepProblems(out);
  if (out.interrupted) {
    std::cerr << "waterfall: interrupted: " << out.runs - out.missing << " of " << out.runs
              << " runs are recorded in " << out_dir
              << "/records; run the same command again to finish the rest\n";
  } else if (out.missing > 0) {
    std::cerr << "waterfall: --merge: " << out.missing << " of " << out.runs
              << " runs have no record in the given directories, e.g.\n";
    for (const std::string& m : out.missing_examples) std::cerr << "  " << m << "\n";
    std::cerr << "run the missing shards, then merge again; no runs.csv written\n";
  }
  if (!cmd.quiet && !out.interrupted && out.missing == 0) {
    const size_t ran = out.runs - out.resumed;
    std::printf(
        "sweep %s: %zu runs (%zu ok, %zu timeout, %zu incomplete, %zu failed), %zu run now in "
        "%.1f s",
        plan.name.c_str(), out.runs, out.ok, out.timed_out, out.incomplete, out.failed, ran,
        wall_s);
    if (ran > 0 && wall_s > 0) std::printf(" (%.1f runs/s)", ran / wall_s);
    std::printf("\n");
    if (HasRandomLoss(plan) && plan.seeds.size() < kStableMedianSeeds) {
      std::printf(
          "note: %zu seed%s with random loss: a median of fewer than %zu seeds can be far off "
          "(README, \"Shipped sweeps\")\n",
          plan.seeds.size(), plan.seeds.size() == 1 ? "" : "s", kStableMedianSeeds);
    }
    if (!out.csv_path.empty()) {
      std::printf("csv: %s\n", out.csv_path.c_str());
    } else {
      std::printf("records: %s/records (merge the shards with --merge)\n", out_dir.c_str());
    }
  }
  return ExitCodeOf(out);
}

}  // namespace waterfall
