// The two batch scripts of a sweep on Slurm: OUT/slurm/array.sbatch, one array task per shard
// (`waterfall sweep --shard K/N --out OUT`), and OUT/slurm/merge.sbatch (`--merge OUT`), which
// also leaves its exit status in OUT/slurm/merge-<job id>.status for `--wait` to read. Every
// path in them is absolute: a task starts on another node, in another directory.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace waterfall {

struct SlurmScriptInputs {
  std::string binary;      // this waterfall, absolute (/proc/self/exe)
  std::string sweep_path;  // the sweep file, absolute
  std::string out_dir;     // OUT, absolute; on a file system every node sees
  size_t shards = 1;       // N
  double run_wall_limit_s = 600;
  std::vector<std::string> array_sbatch;  // the sbatch command lines, for the scripts' comments
  std::vector<std::string> merge_sbatch;
};

// `text` in single quotes for bash: 'it'\''s'.
std::string ShellQuote(const std::string& text);

// A command line as a person would type it: each word quoted when it needs to be.
std::string ShellCommandLine(const std::vector<std::string>& argv);

std::string ArrayScript(const SlurmScriptInputs& in);
std::string MergeScript(const SlurmScriptInputs& in);

// OUT/slurm/merge-<job id>.status: the merge's exit status, written when it ends.
std::string MergeStatusPath(const std::string& out_dir, const std::string& job_id);

// "%" in a path for sbatch's --output, where %A, %a and %j are replaced: "%%" is a "%".
std::string SbatchFilenamePattern(const std::string& path);

}  // namespace waterfall
