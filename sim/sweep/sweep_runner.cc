#include "sim/sweep/sweep_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <stdexcept>

#include "models/http/mode.h"
#include "sim/io/atomic_file.h"
#include "sim/run/run.h"
#include "sim/sweep/progress_meter.h"
#include "sim/sweep/sweep_record.h"

namespace waterfall {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// ---- One run, inside a worker -----------------------------------------------------------------

RunRecord ExecuteRun(const SweepPlan& plan, const SweepRun& run) {
  Scenario scenario;
  try {
    scenario = LoadScenarioText(plan.base_text, plan.base_path, OverridesFor(plan, run));
  } catch (const ScenarioError& e) {
    return FailedRecord(run, e.what());
  }
  const ModeSpec* mode = FindMode(run.mode);
  if (mode == nullptr) return FailedRecord(run, "unknown mode " + run.mode);
  try {
    RunOptions options;
    options.seed = run.seed;
    return RecordOfResult(run, RunPageLoad(scenario, *mode, options));
  } catch (const std::exception& e) {
    return FailedRecord(run, std::string("simulation error: ") + e.what());
  }
}

bool WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// The worker's whole life: read run indices, one per line; for each, run it, write its record,
// answer "<index>\n" (or "<index> !<message>\n" when the record cannot be written).
[[noreturn]] void WorkerMain(const SweepPlan& plan, const std::vector<SweepRun>& runs,
                             const std::string& records_dir, int commands, int answers,
                             pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a SIGKILLed sweep takes its workers with it
  if (::getppid() != parent) ::_exit(0);
  std::signal(SIGINT, SIG_IGN);  // Ctrl-C is the parent's to handle
  std::signal(SIGTERM, SIG_DFL);
  std::string inbox;
  char buf[256];
  for (;;) {
    size_t eol;
    while ((eol = inbox.find('\n')) == std::string::npos) {
      ssize_t n = ::read(commands, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ::_exit(0);  // the parent is done (or gone)
      inbox.append(buf, static_cast<size_t>(n));
    }
    const size_t index = std::stoul(inbox.substr(0, eol));
    inbox.erase(0, eol + 1);
    const SweepRun& run = runs.at(index);
    std::string answer = std::to_string(index);
    try {
      WriteFileAtomically(RecordPath(records_dir, run.id),
                          RecordText(plan, run, ExecuteRun(plan, run)));
    } catch (const std::exception& e) {
      std::string message = e.what();
      for (char& c : message) {
        if (c == '\n') c = ' ';
      }
      answer += " !" + message;
    }
    if (!WriteAll(answers, answer + "\n")) ::_exit(0);
  }
}

// ---- The pool, in the parent --------------------------------------------------------------------

volatile std::sig_atomic_t g_interrupted = 0;
void OnInterrupt(int) { g_interrupted = 1; }

// Ctrl-C and SIGTERM set a flag for the duration of the sweep, then the old handlers return.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR at once
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old_pipe_);
  }
  ~InterruptGuard() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    ::sigaction(SIGPIPE, &old_pipe_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_pipe_ {};
};

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    return "worker process died of signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "worker process exited with status " + std::to_string(WEXITSTATUS(status));
}

class WorkerPool {
 public:
  WorkerPool(const SweepPlan& plan, const std::vector<SweepRun>& runs, std::string records_dir,
             double run_wall_limit_s)
      : plan_(plan),
        runs_(runs),
        records_dir_(std::move(records_dir)),
        wall_limit_(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(run_wall_limit_s))) {}
  ~WorkerPool() { StopAll(); }

  // Runs every index in `pending`; `on_done(index)` after each record is on disk.
  template <typename OnDone>
  void RunAll(std::deque<size_t> pending, size_t jobs, OnDone on_done) {
    const size_t n = std::min(jobs, pending.size());
    for (size_t i = 0; i < n; ++i) Spawn();
    size_t busy = 0;
    auto dispatch = [&] {
      for (Worker& w : workers_) {
        if (w.busy || pending.empty() || w.pid <= 0) continue;
        w.busy = pending.front();
        pending.pop_front();
        w.started = Clock::now();
        // A worker that is gone cannot take it; its end of the answer pipe tells the loop below.
        (void)WriteAll(w.commands, std::to_string(*w.busy) + "\n");
        ++busy;
      }
    };
    dispatch();
    std::vector<pollfd> fds;
    while (busy > 0 && !g_interrupted) {
      fds.clear();
      for (const Worker& w : workers_) fds.push_back({w.answers, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 200) < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
      }
      for (size_t i = 0; i < workers_.size(); ++i) {
        Worker& w = workers_[i];
        if (w.busy && Clock::now() - w.started > wall_limit_ && !w.killed_for_time) {
          w.killed_for_time = true;
          ::kill(w.pid, SIGKILL);
        }
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[512];
        ssize_t got = ::read(w.answers, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got > 0) {
          w.inbox.append(buf, static_cast<size_t>(got));
          size_t eol;
          while ((eol = w.inbox.find('\n')) != std::string::npos) {
            std::string line = w.inbox.substr(0, eol);
            w.inbox.erase(0, eol + 1);
            const size_t bang = line.find(" !");
            if (bang != std::string::npos) {
              throw std::runtime_error("cannot record a run: " + line.substr(bang + 2));
            }
            const size_t index = std::stoul(line);
            w.busy.reset();
            --busy;
            on_done(index);
          }
          continue;
        }
        // End of file: the worker died. Its run is recorded as failed, and a new worker
        // takes its place.
        int status = 0;
        ::waitpid(w.pid, &status, 0);
        w.pid = -1;
        if (w.busy) {
          const SweepRun& run = runs_.at(*w.busy);
          std::string why = w.killed_for_time
                                ? "took longer than the " +
                                      std::to_string(static_cast<long long>(
                                          std::chrono::duration<double>(wall_limit_).count())) +
                                      " s wall-clock limit per run; worker killed"
                                : DescribeExit(status) + " during the run";
          WriteFileAtomically(RecordPath(records_dir_, run.id),
                              RecordText(plan_, run, FailedRecord(run, why, /*transient=*/true)));
          const size_t index = *w.busy;
          w.busy.reset();
          --busy;
          on_done(index);
        }
        Close(w);
        if (!pending.empty()) Respawn(i);
      }
      dispatch();
    }
  }

  void StopAll() {
    for (Worker& w : workers_) {
      if (w.pid > 0 && w.busy) ::kill(w.pid, SIGKILL);  // interrupted mid-run
      Close(w);
      if (w.pid > 0) ::waitpid(w.pid, nullptr, 0);  // idle workers exit at end of file
      w.pid = -1;
    }
    workers_.clear();
  }

 private:
  struct Worker {
    pid_t pid = -1;
    int commands = -1;  // parent writes run indices
    int answers = -1;   // parent reads "<index>\n"
    std::optional<size_t> busy;
    bool killed_for_time = false;
    Clock::time_point started;
    std::string inbox;
  };

  void Spawn() {
    workers_.emplace_back();
    Respawn(workers_.size() - 1);
  }

  void Respawn(size_t slot) {
    int to_worker[2];
    int from_worker[2];
    if (::pipe2(to_worker, O_CLOEXEC) != 0 || ::pipe2(from_worker, O_CLOEXEC) != 0) {
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      ::close(to_worker[1]);
      ::close(from_worker[0]);
      for (Worker& other : workers_) {  // siblings' pipes are not this worker's business
        if (other.commands >= 0) ::close(other.commands);
        if (other.answers >= 0) ::close(other.answers);
      }
      WorkerMain(plan_, runs_, records_dir_, to_worker[0], from_worker[1], parent);
    }
    ::close(to_worker[0]);
    ::close(from_worker[1]);
    Worker& w = workers_[slot];
    w = Worker{};
    w.pid = pid;
    w.commands = to_worker[1];
    w.answers = from_worker[0];
  }

  static void Close(Worker& w) {
    if (w.commands >= 0) ::close(w.commands);
    if (w.answers >= 0) ::close(w.answers);
    w.commands = w.answers = -1;
  }

  const SweepPlan& plan_;
  const std::vector<SweepRun>& runs_;
  std::string records_dir_;
  Clock::duration wall_limit_;
  std::vector<Worker> workers_;
};

// Counts the outcome of the runs in `mine` from the records, and lists the failures.
void Tally(const SweepPlan& plan, const std::vector<SweepRun>& runs,
           const std::vector<size_t>& mine, const std::map<std::string, RunRecord>& records,
           SweepOutcome& out) {
  out.runs = mine.size();
  for (size_t index : mine) {
    auto it = records.find(runs[index].id);
    if (it == records.end()) {
      ++out.missing;
    } else if (it->second.status == "ok") {
      ++out.ok;
    } else if (it->second.status == "timeout") {
      ++out.timed_out;
    } else if (it->second.status == "incomplete") {
      ++out.incomplete;
    } else {
      ++out.failed;
      out.failures.push_back(DescribeRun(plan, runs[index]) + ": " + it->second.error);
    }
  }
}

// Removes what WriteFileAtomically leaves behind when its process dies between creating the
// temporary file and renaming it (Ctrl-C or kill -9 of a sweep kills its workers mid-write):
// ".<name>.tmp.<pid>" whose pid is no live process. The temporary file of a live process, say
// another shard writing into the same directory, stays.
void RemoveStaleTemporaries(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const size_t tmp = name.rfind(".tmp.");
    if (name[0] != '.' || tmp == std::string::npos) continue;
    const std::string pid_text = name.substr(tmp + 5);
    if (pid_text.empty() || pid_text.size() > 9 ||
        pid_text.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to say
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

// DIR/sweep.json, then DIR/runs.csv (so a reader that sees the CSV sees its description).
std::string WriteSweepTables(const SweepPlan& plan, const std::vector<SweepRun>& runs,
                             const std::map<std::string, RunRecord>& records,
                             const std::string& dir) {
  WriteFileAtomically((fs::path(dir) / "sweep.json").string(), SweepDescription(plan, runs.size()));
  const std::string csv = (fs::path(dir) / "runs.csv").string();
  WriteFileAtomically(csv, RunsCsv(plan, runs, records));
  return csv;
}

}  // namespace

std::string DescribeRun(const SweepPlan& plan, const SweepRun& run) {
  std::string text;
  for (size_t i = 0; i < plan.axes.size(); ++i) {
    text += plan.axes[i].key + "=" + plan.axes[i].labels[run.value_index[i]] + " ";
  }
  return text + "mode=" + run.mode + " seed=" + std::to_string(run.seed);
}

SweepOutcome RunSweep(const SweepPlan& plan, const SweepOptions& options) {
  const std::vector<SweepRun> runs = ExpandRuns(plan);
  const std::string records_dir = (fs::path(options.out_dir) / "records").string();
  fs::create_directories(records_dir);
  RemoveStaleTemporaries(records_dir);
  RemoveStaleTemporaries(options.out_dir);

  std::vector<size_t> mine;
  for (const SweepRun& run : runs) {
    if (!options.shard || options.shard->Contains(run)) mine.push_back(run.index);
  }
  std::map<std::string, RunRecord> records = ReadRecords(records_dir);
  std::deque<size_t> pending;
  for (size_t index : mine) {
    auto it = records.find(runs[index].id);
    if (it == records.end() || it->second.transient) pending.push_back(index);
  }

  SweepOutcome out;
  out.resumed = mine.size() - pending.size();
  size_t jobs = options.jobs > 0
                    ? static_cast<size_t>(options.jobs)
                    : static_cast<size_t>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  std::string label = "sweep " + plan.name;
  if (options.shard) {
    label += " shard " + std::to_string(options.shard->k) + "/" + std::to_string(options.shard->n);
  }
  {
    InterruptGuard guard;
    std::optional<ProgressMeter> meter;
    if (!options.quiet) meter.emplace(label, mine.size(), out.resumed, stderr);
    WorkerPool pool(plan, runs, records_dir, options.run_wall_limit_s);
    pool.RunAll(pending, jobs, [&](size_t) {
      if (meter) meter->Advance();
    });
    pool.StopAll();
    RemoveStaleTemporaries(records_dir);  // of workers killed mid-write by Ctrl-C
    if (meter) meter->Finish();
    out.interrupted = g_interrupted != 0;
  }

  records = ReadRecords(records_dir);
  Tally(plan, runs, mine, records, out);
  if (!options.shard && out.missing == 0) {
    out.csv_path = WriteSweepTables(plan, runs, records, options.out_dir);
  }
  return out;
}

SweepOutcome MergeSweep(const SweepPlan& plan, const std::vector<std::string>& dirs,
                        const std::string& out_dir) {
  const std::vector<SweepRun> runs = ExpandRuns(plan);
  std::map<std::string, RunRecord> records;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw SweepError("--merge " + dir + ": not a directory");
    const fs::path nested = fs::path(dir) / "records";
    records.merge(ReadRecords(fs::is_directory(nested, ec) ? nested.string() : dir));
  }
  std::vector<size_t> all;
  for (const SweepRun& run : runs) all.push_back(run.index);
  SweepOutcome out;
  Tally(plan, runs, all, records, out);
  if (out.missing == 0) {
    fs::create_directories(out_dir);
    RemoveStaleTemporaries(out_dir);
    out.csv_path = WriteSweepTables(plan, runs, records, out_dir);
  } else {
    for (const SweepRun& run : runs) {
      if (!records.count(run.id)) {
        out.missing_examples.push_back(DescribeRun(plan, run));
        if (out.missing_examples.size() == 5) break;
      }
    }
  }
  return out;
}

}  // namespace waterfall
