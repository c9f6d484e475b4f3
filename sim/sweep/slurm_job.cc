#include "sim/sweep/slurm_job.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "sim/io/atomic_file.h"
#include "sim/sweep/external_command.h"
#include "sim/sweep/slurm_scripts.h"
#include "sim/sweep/sweep_record.h"

namespace waterfall {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The first line of what a command said, for a one-line reason.
std::string FirstLine(const CommandResult& r) {
  std::string text = r.err.find_first_not_of(" \n\t") != std::string::npos ? r.err : r.out;
  const size_t start = text.find_first_not_of(" \n\t");
  if (start == std::string::npos) return "no message";
  text = text.substr(start);
  const size_t eol = text.find('\n');
  return eol == std::string::npos ? text : text.substr(0, eol);
}

std::string Because(const CommandResult& r) {
  if (r.timed_out) return "no answer (killed after the time limit)";
  return "exit " + std::to_string(r.exit_code) + ": " + FirstLine(r);
}

void AppendLog(const std::string& path, const std::string& line) {
  std::ofstream log(path, std::ios::app);
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", std::localtime(&now));
  log << stamp << " " << line << "\n";
}

}  // namespace

std::string ParsableJobId(const std::string& sbatch_output) {
  std::string text = sbatch_output;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  // The last line: sbatch may print a warning line before it.
  const size_t eol = text.rfind('\n');
  if (eol != std::string::npos) text = text.substr(eol + 1);
  const std::string id = text.substr(0, text.find(';'));
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) {
    return "";
  }
  return id;
}

std::string RangeList(const std::vector<size_t>& numbers) {
  std::string text;
  for (size_t i = 0; i < numbers.size();) {
    size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
    if (!text.empty()) text += ',';
    text += std::to_string(numbers[i]);
    if (j > i) text += "-" + std::to_string(numbers[j]);
    i = j + 1;
  }
  return text;
}

std::string ArrayIndices(const std::vector<size_t>& shards) {
  std::vector<size_t> tasks;
  for (size_t k : shards) tasks.push_back(k - 1);
  return RangeList(tasks);
}

SlurmSubmission SubmitSweepToSlurm(const SweepPlan& plan, const SlurmRequest& request) {
  const std::vector<SweepRun> runs = ExpandRuns(plan);
  if (request.shards < 1 || request.shards > runs.size()) {
    throw SweepError("--shards " + std::to_string(request.shards) + ": must be 1 to the " +
                     std::to_string(runs.size()) + " runs of " + plan.source_path);
  }
  const std::string sbatch = FindOnPath("sbatch");
  if (sbatch.empty()) {
    throw SlurmError(
        "sbatch not found on PATH: run on a machine with Slurm's client commands (a cluster's "
        "login node), or start one with scripts/slurm-local; nothing submitted");
  }

  SlurmSubmission sub;
  sub.runs = runs.size();
  // What a local resume would run: no record, or a record of a failure that says more about
  // the machine than the run (sweep_runner.cc).
  const std::map<std::string, RunRecord> records =
      ReadRecords((fs::path(request.out_dir) / "records").string());
  std::vector<size_t> missing_per_shard(request.shards, 0);
  for (const SweepRun& run : runs) {
    auto it = records.find(run.id);
    if (it == records.end() || it->second.transient) {
      ++missing_per_shard[run.index % request.shards];
      ++sub.missing_runs;
    }
  }
  for (size_t k = 1; k <= request.shards; ++k) {
    if (missing_per_shard[k - 1] > 0) sub.shards.push_back(k);
  }

  const fs::path slurm_dir = fs::path(request.out_dir) / "slurm";
  sub.array_script = (slurm_dir / "array.sbatch").string();
  sub.merge_script = (slurm_dir / "merge.sbatch").string();
  const std::string job_name = "waterfall-" + plan.name;
  std::vector<std::string> array_cmd = {
      sbatch,
      "--parsable",
      "--job-name=" + job_name,
      "--array=" + ArrayIndices(sub.shards),
      "--chdir=" + request.out_dir,
      "--output=" + SbatchFilenamePattern(slurm_dir.string()) + "/array-%A_%a.out"};
  array_cmd.insert(array_cmd.end(), request.sbatch_args.begin(), request.sbatch_args.end());
  array_cmd.push_back(sub.array_script);
  // The dependency is filled in once the array's id is known.
  std::vector<std::string> merge_cmd = {
      sbatch, "--parsable", "--job-name=" + job_name + "-merge", "--chdir=" + request.out_dir,
      "--output=" + SbatchFilenamePattern(slurm_dir.string()) + "/merge-%j.out"};
  if (!sub.shards.empty()) merge_cmd.push_back("--dependency=afterany:ARRAY_JOB_ID");
  merge_cmd.insert(merge_cmd.end(), request.sbatch_args.begin(), request.sbatch_args.end());
  merge_cmd.push_back(sub.merge_script);

  SlurmScriptInputs inputs;
  inputs.binary = request.binary;
  inputs.sweep_path = request.sweep_path;
  inputs.out_dir = request.out_dir;
  inputs.shards = request.shards;
  inputs.run_wall_limit_s = request.run_wall_limit_s;
  inputs.array_sbatch = array_cmd;
  inputs.merge_sbatch = merge_cmd;
  try {
    fs::create_directories(slurm_dir);
    WriteFileAtomically(sub.array_script, ArrayScript(inputs));
    WriteFileAtomically(sub.merge_script, MergeScript(inputs));
  } catch (const std::exception& e) {
    throw SlurmError("cannot write the batch scripts in " + slurm_dir.string() + ": " + e.what() +
                     "; nothing submitted");
  }
  const std::string log = (slurm_dir / "submissions.log").string();

  if (!sub.shards.empty()) {
    const CommandResult r = RunExternalCommand(array_cmd, request.command_timeout_s);
    sub.array_job = r.exit_code == 0 ? ParsableJobId(r.out) : "";
    if (sub.array_job.empty()) {
      AppendLog(log, "sbatch refused the array job: " + Because(r));
      throw SlurmError("sbatch refused the array job (" + sub.array_script + "): " + Because(r) +
                       "; nothing submitted");
    }
    std::replace(merge_cmd.begin(), merge_cmd.end(),
                 std::string("--dependency=afterany:ARRAY_JOB_ID"),
                 "--dependency=afterany:" + sub.array_job);
  }
  const CommandResult r = RunExternalCommand(merge_cmd, request.command_timeout_s);
  sub.merge_job = r.exit_code == 0 ? ParsableJobId(r.out) : "";
  if (sub.merge_job.empty()) {
    std::string cancelled;
    if (!sub.array_job.empty()) {
      const std::string scancel = FindOnPath("scancel");
      const CommandResult c =
          scancel.empty() ? CommandResult{}
                          : RunExternalCommand({scancel, sub.array_job}, request.command_timeout_s);
      cancelled = c.exit_code == 0
                      ? "; the array job " + sub.array_job + " was cancelled: nothing submitted"
                      : "; and scancel " + sub.array_job + " failed (" +
                            (scancel.empty() ? std::string("not on PATH") : Because(c)) +
                            "): cancel it by hand";
    } else {
      cancelled = "; nothing submitted";
    }
    AppendLog(log, "sbatch refused the merge job: " + Because(r) + cancelled);
    throw SlurmError("sbatch refused the merge job (" + sub.merge_script + "): " + Because(r) +
                     cancelled);
  }
  AppendLog(log, "array job " + (sub.array_job.empty() ? "none" : sub.array_job) + " (shards " +
                     (sub.shards.empty() ? "none" : RangeList(sub.shards)) + ", " +
                     std::to_string(sub.missing_runs) + " runs missing), merge job " +
                     sub.merge_job);
  return sub;
}

namespace {

bool Ended(const std::string& state) {
  static const char* kEnded[] = {"COMPLETED",     "FAILED",       "CANCELLED", "TIMEOUT",
                                 "NODE_FAIL",     "PREEMPTED",    "BOOT_FAIL", "DEADLINE",
                                 "OUT_OF_MEMORY", "SPECIAL_EXIT", "REVOKED"};
  for (const char* s : kEnded) {
    if (state.rfind(s, 0) == 0) return true;
  }
  return false;
}

// "<id>|<state>" lines of `squeue -h -t all -o %i|%T`, by id.
std::map<std::string, std::string> JobStates(const std::string& squeue_out) {
  std::map<std::string, std::string> states;
  std::istringstream lines(squeue_out);
  for (std::string line; std::getline(lines, line);) {
    const size_t bar = line.find('|');
    if (bar != std::string::npos) states[line.substr(0, bar)] = line.substr(bar + 1);
  }
  return states;
}

size_t CountRecorded(const std::string& records_dir, const std::unordered_set<std::string>& ids) {
  size_t n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(records_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0 &&
        ids.count(name.substr(0, name.size() - 5))) {
      ++n;
    }
  }
  return n;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

MergeOutcome WaitForMerge(const SweepPlan& plan, const SlurmSubmission& sub,
                          const SlurmRequest& request, const SlurmWait& wait) {
  const std::string squeue = FindOnPath("squeue");
  if (squeue.empty()) throw SlurmError("squeue not found on PATH: cannot follow the jobs");
  // This sweep's record ids, to count its records among whatever else is there.
  std::unordered_set<std::string> ids;
  for (const SweepRun& run : ExpandRuns(plan)) ids.insert(run.id);
  const std::string records_dir = (fs::path(request.out_dir) / "records").string();

  MergeOutcome outcome;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(wait.limit_s));
  auto next_progress = start;
  int squeue_failures = 0;
  constexpr int kMaxSqueueFailures = 10;
  for (;;) {
    const CommandResult m = RunExternalCommand(
        {squeue, "-h", "-t", "all", "-j", sub.merge_job, "-o", "%i|%T"}, request.command_timeout_s);
    bool gone = false;
    if (m.exit_code == 0) {
      squeue_failures = 0;
      const auto states = JobStates(m.out);
      auto it = states.find(sub.merge_job);
      if (it == states.end()) {
        gone = true;
      } else {
        outcome.state = it->second;
        gone = Ended(it->second);
      }
    } else if ((m.out + m.err).find("Invalid job id") != std::string::npos) {
      gone = true;  // purged from the controller's memory (MinJobAge) after it ended
    } else if (++squeue_failures >= kMaxSqueueFailures) {
      throw SlurmError("squeue failed " + std::to_string(kMaxSqueueFailures) + " times in a row (" +
                       Because(m) + "); the jobs go on: squeue -j " + sub.merge_job);
    }
    if (gone) {
      outcome.finished = true;
      break;
    }
    const auto now = Clock::now();
    const double waited = std::chrono::duration<double>(now - start).count();
    if (!wait.quiet && now >= next_progress) {
      std::string array_part;
      if (!sub.array_job.empty()) {
        const CommandResult a = RunExternalCommand(
            {squeue, "-h", "-r", "-t", "all", "-j", sub.array_job, "-o", "%i|%T"},
            request.command_timeout_s);
        size_t pending = 0, running = 0, ended = 0;
        for (const auto& [id, state] : JobStates(a.out)) {
          if (state == "PENDING") {
            ++pending;
          } else if (state == "RUNNING" || state == "COMPLETING") {
            ++running;
          } else {
            ++ended;
          }
        }
        array_part = ", array job " + sub.array_job + ": " + std::to_string(running) +
                     " running, " + std::to_string(pending) + " pending, " + std::to_string(ended) +
                     " ended of " + std::to_string(sub.shards.size());
      }
      std::fprintf(stderr, "waiting for merge job %s (%s)%s; %zu of %zu runs recorded; %.0f s\n",
                   sub.merge_job.c_str(), outcome.state.empty() ? "?" : outcome.state.c_str(),
                   array_part.c_str(), CountRecorded(records_dir, ids), sub.runs, waited);
      next_progress = now + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(wait.progress_every_s));
    }
    if (now >= deadline) return outcome;
    // Often at first (a small sweep ends in seconds), then easier on the controller.
    const double interval = waited < 10 ? 1 : waited < 600 ? 5 : 30;
    const auto wake = std::min(deadline, now + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(interval)));
    std::this_thread::sleep_until(wake);
  }

  // The status file is written by the merge on a shared file system: allow a client's cache a
  // few seconds to see it (at most 10 s).
  const std::string status_path = MergeStatusPath(request.out_dir, sub.merge_job);
  for (int i = 0; i < 20 && !fs::exists(status_path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  const std::string status = Slurp(status_path);
  if (!status.empty() && status.find_first_not_of("0123456789\n") == std::string::npos &&
      status.find_first_of("0123456789") == 0) {
    outcome.has_status = true;
    outcome.exit_status = std::stoi(status);
  }
  outcome.log =
      Slurp((fs::path(request.out_dir) / "slurm" / ("merge-" + sub.merge_job + ".out")).string());
  return outcome;
}

}  // namespace waterfall
