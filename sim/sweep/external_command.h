// Runs another program (sbatch, squeue, scancel) and captures what it says, within a time
// limit: a cluster's controller that does not answer must not hang `waterfall sweep --slurm`.
#pragma once

#include <string>
#include <vector>

namespace waterfall {

struct CommandResult {
  int exit_code = -1;      // -1: killed by a signal (or by the time limit), or not started
  bool timed_out = false;  // killed after `timeout_s`
  std::string out;         // its standard output
  std::string err;         // its standard error; why it did not start, when it did not
};

// Runs argv[0] (a path, or a name looked up on PATH) with argv, no shell, standard input
// /dev/null. Kills it (SIGKILL) after `timeout_s` seconds of wall clock.
CommandResult RunExternalCommand(const std::vector<std::string>& argv, double timeout_s);

// The first executable file `name` in the directories of $PATH, or "" when there is none.
std::string FindOnPath(const std::string& name);

}  // namespace waterfall
