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
#include "sim/sweep/slurm_job.h"
#include "sim/sweep/slurm_scripts.h"
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

// The Slurm-only options without --slurm, or --slurm with what it does itself: "" when fine.
std::string SlurmOptionProblem(const SweepCommand& cmd) {
  if (!cmd.slurm) {
    if (cmd.shards > 0 || !cmd.sbatch_args.empty() || cmd.wait) {
      return "--shards, --sbatch-arg and --wait go with --slurm";
    }
    return "";
  }
  if (!cmd.shard.empty() || !cmd.merge_dirs.empty()) {
    return "--slurm runs the shards and the merge itself: no --shard or --merge with it";
  }
  if (cmd.jobs > 0) {
    return "--slurm: each task runs -j <its CPUs>; ask for them with "
           "--sbatch-arg=--cpus-per-task=N instead of -j";
  }
  return "";
}

std::string ThisProgram() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "" : self.string();
}

int SweepOnSlurm(const SweepCommand& cmd, const SweepPlan& plan, const std::string& out_dir) {
  SlurmRequest request;
  request.binary = ThisProgram();
  if (request.binary.empty()) {
    std::cerr << "waterfall: --slurm: cannot tell this program's path from /proc/self/exe\n";
    return kExitInternal;
  }
  request.sweep_path = fs::absolute(cmd.sweep_path).lexically_normal().string();
  request.out_dir = fs::absolute(out_dir).lexically_normal().string();
  request.shards =
      cmd.shards > 0 ? cmd.shards : std::min(kDefaultSlurmShards, ExpandRuns(plan).size());
  request.sbatch_args = cmd.sbatch_args;
  request.run_wall_limit_s = cmd.run_wall_limit_s;
  SlurmSubmission sub;
  try {
    sub = SubmitSweepToSlurm(plan, request);
  } catch (const SweepError& e) {
    std::cerr << "waterfall: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const SlurmError& e) {
    std::cerr << "waterfall: --slurm: " << e.what() << "\n";
    return kExitBadInput;
  }
  const std::string slurm_dir = request.out_dir + "/slurm";
  const std::string jobs =
      sub.array_job.empty() ? sub.merge_job : sub.array_job + "," + sub.merge_job;
  if (!cmd.quiet) {
    std::printf("sweep %s: %zu runs, %zu without a record\n", plan.name.c_str(), sub.runs,
                sub.missing_runs);
    if (!sub.array_job.empty()) {
      std::printf("array job %s: %zu task%s (shard%s %s of %zu), %s\n", sub.array_job.c_str(),
                  sub.shards.size(), sub.shards.size() == 1 ? "" : "s",
                  sub.shards.size() == 1 ? "" : "s", RangeList(sub.shards).c_str(), request.shards,
                  sub.array_script.c_str());
      std::printf("merge job %s: after the array job ends, whatever its tasks' states, %s\n",
                  sub.merge_job.c_str(), sub.merge_script.c_str());
    } else {
      std::printf("every run has a record: no array job; merge job %s, %s\n", sub.merge_job.c_str(),
                  sub.merge_script.c_str());
    }
    std::printf("follow: squeue -j %s   (sacct -j %s where Slurm keeps accounting)\n", jobs.c_str(),
                jobs.c_str());
    std::printf("logs: %s/array-%s_<task>.out, %s/merge-%s.out\n", slurm_dir.c_str(),
                sub.array_job.empty() ? "<job>" : sub.array_job.c_str(), slurm_dir.c_str(),
                sub.merge_job.c_str());
    std::printf("csv: %s/runs.csv once merge job %s ends with status 0 (%s)\n",
                request.out_dir.c_str(), sub.merge_job.c_str(),
                MergeStatusPath(request.out_dir, sub.merge_job).c_str());
    std::fflush(stdout);
  }
  if (!cmd.wait) return kExitOk;

  SlurmWait wait;
  wait.limit_s = cmd.wait_limit_s;
  wait.quiet = cmd.quiet;
  if (!cmd.quiet) {
    std::fprintf(stderr,
                 "waiting for merge job %s to end (at most %.0f s, --wait-limit; Ctrl-C stops "
                 "the waiting, not the jobs)\n",
                 sub.merge_job.c_str(), wait.limit_s);
  }
  MergeOutcome merged;
  try {
    merged = WaitForMerge(plan, sub, request, wait);
  } catch (const SlurmError& e) {
    std::cerr << "waterfall: --wait: " << e.what() << "\n";
    return kExitInternal;
  }
  if (!merged.finished) {
    std::cerr << "waterfall: --wait: merge job " << sub.merge_job << " is still "
              << (merged.state.empty() ? "queued" : merged.state) << " after " << wait.limit_s
              << " s (--wait-limit); the jobs go on (squeue -j " << jobs << "); once they end, "
              << slurm_dir << "/merge-" << sub.merge_job << ".out says how the merge went\n";
    return kExitRunsFailed;
  }
  if (!merged.has_status) {
    std::cerr << "waterfall: --wait: merge job " << sub.merge_job << " ended"
              << (merged.state.empty() ? "" : " (" + merged.state + ")") << " without writing "
              << MergeStatusPath(request.out_dir, sub.merge_job)
              << ": cancelled, or it could not start; see " << slurm_dir << "/merge-"
              << sub.merge_job << ".out\n";
    return kExitInternal;
  }
  if (!cmd.quiet || merged.exit_status != kExitOk) {
    std::FILE* to = merged.exit_status == kExitOk ? stdout : stderr;
    std::fprintf(to, "merge job %s ended with status %d; its output (%s/merge-%s.out):\n%s",
                 sub.merge_job.c_str(), merged.exit_status, slurm_dir.c_str(),
                 sub.merge_job.c_str(), merged.log.c_str());
    if (merged.exit_status == kExitRunsFailed && !sub.array_job.empty()) {
      std::fprintf(to,
                   "runs without a record: the same command again submits only the shards "
                   "that have some\n");
    }
  }
  return merged.exit_status;
}

}  // namespace

int Sweep(const SweepCommand& cmd) {
  if (const std::string problem = SlurmOptionProblem(cmd); !problem.empty()) {
    std::cerr << "waterfall: " << problem << "\n";
    return kExitBadInput;
  }
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
  if (cmd.slurm) return SweepOnSlurm(cmd, plan, out_dir);
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
    // A merge runs nothing: its records were made elsewhere.
    const size_t ran = cmd.merge_dirs.empty() ? out.runs - out.resumed : 0;
    std::printf("sweep %s: %zu runs (%zu ok, %zu timeout, %zu incomplete, %zu failed), ",
                plan.name.c_str(), out.runs, out.ok, out.timed_out, out.incomplete, out.failed);
    if (cmd.merge_dirs.empty()) {
      std::printf("%zu run now in %.1f s", ran, wall_s);
    } else {
      std::printf("merged in %.1f s", wall_s);
    }
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
