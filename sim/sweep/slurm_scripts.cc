#include "sim/sweep/slurm_scripts.h"

#include <cstdio>
#include <filesystem>

namespace waterfall {

namespace fs = std::filesystem;

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string ShellCommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& word : argv) {
    if (!line.empty()) line += ' ';
    const bool plain = !word.empty() && word.find_first_not_of(
                                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789_-+=/.,:%@") == std::string::npos;
    line += plain ? word : ShellQuote(word);
  }
  return line;
}

namespace {

// Text for a "# ..." line: a newline in a path or an argument would end the comment.
std::string Comment(const std::string& text) {
  std::string line;
  for (char c : text) line += c == '\n' ? std::string("\\n") : std::string(1, c);
  return line;
}

std::string Limit(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  return text;
}

}  // namespace

std::string MergeStatusPath(const std::string& out_dir, const std::string& job_id) {
  return (fs::path(out_dir) / "slurm" / ("merge-" + job_id + ".status")).string();
}

std::string SbatchFilenamePattern(const std::string& path) {
  std::string pattern;
  for (char c : path) {
    pattern += c;
    if (c == '%') pattern += '%';
  }
  return pattern;
}

std::string ArrayScript(const SlurmScriptInputs& in) {
  const std::string n = std::to_string(in.shards);
  std::string s = "#!/bin/bash\n";
  s += "# Written by `waterfall sweep --slurm`: one array task per shard of " +
       Comment(in.sweep_path) + ",\n";
  s += "# task T runs shard T+1 of " + n + " into " + Comment(in.out_dir) +
       "/records (runs that already\n";
  s += "# have a record are skipped, so a resubmitted task does only what is missing).\n";
  s += "# Submitted as: " + Comment(ShellCommandLine(in.array_sbatch)) + "\n";
  s += "set -u\n";
  // SLURM_CPUS_PER_TASK is set only when the job asks for --cpus-per-task; otherwise the CPUs
  // Slurm gave the task on its node (a whole core may be two CPUs), else 1.
  s += "cpus=${SLURM_CPUS_PER_TASK:-${SLURM_JOB_CPUS_PER_NODE:-1}}\n";
  s += "cpus=${cpus%%(*}\n";
  // -j takes 1 to 256 (sim/cli/main.cc).
  s += "if [ \"$cpus\" -gt 256 ] 2>/dev/null; then cpus=256; fi\n";
  s += "exec " + ShellQuote(in.binary) + " sweep " + ShellQuote(in.sweep_path) +
       " --shard \"$((SLURM_ARRAY_TASK_ID + 1))/" + n + "\" --out " + ShellQuote(in.out_dir) +
       " -j \"$cpus\" --run-wall-limit " + Limit(in.run_wall_limit_s) + "\n";
  return s;
}

std::string MergeScript(const SlurmScriptInputs& in) {
  const std::string status_dir = (fs::path(in.out_dir) / "slurm").string();
  std::string s = "#!/bin/bash\n";
  s += "# Written by `waterfall sweep --slurm`: after every array task ended (afterany, so it\n";
  s += "# runs even when one failed or was cancelled), merges the records in " +
       Comment(in.out_dir) + "\n";
  s += "# into runs.csv, or says which runs have none (exit 4). Its exit status also goes to\n";
  s += "# merge-<job id>.status beside this script, for `waterfall sweep --slurm --wait`.\n";
  s += "# Submitted as: " + Comment(ShellCommandLine(in.merge_sbatch)) + "\n";
  s += "set -u\n";
  s += ShellQuote(in.binary) + " sweep " + ShellQuote(in.sweep_path) + " --merge " +
       ShellQuote(in.out_dir) + " --out " + ShellQuote(in.out_dir) + "\n";
  s += "status=$?\n";
  s += "status_file=" + ShellQuote(status_dir) + "/merge-\"$SLURM_JOB_ID\".status\n";
  s += "echo \"$status\" >\"$status_file.tmp\" && mv \"$status_file.tmp\" \"$status_file\"\n";
  s += "exit \"$status\"\n";
  return s;
}

}  // namespace waterfall
