// A sweep run as a Slurm job array: writes OUT/slurm/array.sbatch and merge.sbatch
// (sim/sweep/slurm_scripts.h), submits the shards that still have runs without a record and a
// merge that waits for them (afterany), and, for --wait, follows the merge with squeue until it
// has left the queue, then reads its exit status. squeue, not sacct: many clusters, and
// scripts/slurm-local, keep no accounting, where sacct knows nothing.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/sweep/sweep_plan.h"

namespace waterfall {

// Why nothing was submitted (or why waiting failed), in one line that names what failed.
class SlurmError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SlurmRequest {
  std::string binary;      // absolute
  std::string sweep_path;  // absolute
  std::string out_dir;     // absolute
  size_t shards = 1;
  std::vector<std::string> sbatch_args;  // given to both sbatch calls, before the script
  double run_wall_limit_s = 600;
  double command_timeout_s = 120;  // for each sbatch, squeue or scancel
};

struct SlurmSubmission {
  size_t runs = 0;
  size_t missing_runs = 0;     // runs with no record (or a retryable one) when submitted
  std::vector<size_t> shards;  // 1-based, the shards submitted (those with missing runs)
  std::string array_job;       // "" when no shard has missing runs
  std::string merge_job;
  std::string array_script;  // paths
  std::string merge_script;
};

// "1234" from sbatch --parsable's "1234" or "1234;cluster"; "" when it is not a job id.
std::string ParsableJobId(const std::string& sbatch_output);

// "1-4", "2,5-7": ascending numbers with runs of consecutive ones as ranges.
std::string RangeList(const std::vector<size_t>& numbers);

// Array indices (shard K is task K-1) as sbatch's --array wants them: "0-3", "1,5-7".
std::string ArrayIndices(const std::vector<size_t>& shards);

// Throws SlurmError before submitting anything when sbatch is not on PATH, the scripts cannot
// be written or sbatch refuses a job (an array already accepted is cancelled with scancel
// when the merge is refused). Throws SweepError when --shards does not fit the sweep.
SlurmSubmission SubmitSweepToSlurm(const SweepPlan& plan, const SlurmRequest& request);

struct SlurmWait {
  double limit_s = 86400;  // give up waiting (the jobs go on) after this long
  double progress_every_s = 5;
  bool quiet = false;  // no progress lines
};

struct MergeOutcome {
  bool finished = false;    // the merge job left the queue (false: the wait limit came first)
  bool has_status = false;  // it wrote its status file
  int exit_status = -1;     // the merge's exit status, as a local sweep's
  std::string state;        // the last state squeue showed for it (COMPLETED, CANCELLED, ...)
  std::string log;          // the merge's output (OUT/slurm/merge-<id>.out), when there is one
};

// Polls squeue (every 1 s at first, then less often, at most every 30 s) until the merge job
// has ended, printing progress on stderr; throws SlurmError when squeue keeps failing.
MergeOutcome WaitForMerge(const SweepPlan& plan, const SlurmSubmission& submission,
                          const SlurmRequest& request, const SlurmWait& wait);

}  // namespace waterfall
