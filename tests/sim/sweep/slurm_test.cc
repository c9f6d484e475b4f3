// `waterfall sweep --slurm`: the batch scripts, the errors that submit nothing (with stand-in
// sbatch and scancel scripts that log their calls), the resubmission that asks only for the
// shards with missing runs, and, on a real one-node Slurm started by scripts/slurm-local, a
// 200-run sweep whose runs.csv equals a local run's, a cancelled task, and its resubmission.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "sim/sweep/external_command.h"
#include "sim/sweep/slurm_job.h"
#include "sim/sweep/slurm_scripts.h"
#include "tests/support/shell.h"
#include "tests/support/text_file.h"

namespace fs = std::filesystem;
using namespace waterfall;
using waterfall::testing::Outcome;
using waterfall::testing::Shell;
using waterfall::testing::Slurp;

namespace {

// A small page, so a run costs a few milliseconds.
const char* kBase = R"(
name = "slurm-base"
[network]
rtt_ms = 40
bandwidth_mbps = 20
[[resource]]
url = "/index.html"
type = "document"
size = 8000
[[resource]]
url = "/style.css"
type = "style"
size = 12000
parent = "/index.html"
render_blocking = true
)";

size_t CountRecords(const fs::path& out) {
  size_t n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(out / "records", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") ++n;
  }
  return n;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SlurmSweep : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("waterfall-slurm-" + std::to_string(getpid()) + "-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bin");
    std::ofstream(dir_ / "base.toml") << kBase;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A sweep of `rtts` x 2 modes (h1, h2), seed 1.
  std::string WriteSweep(int rtts) {
    std::string axis;
    for (int i = 0; i < rtts; ++i) axis += (i ? ", " : "") + std::to_string(10 + 2 * i);
    const fs::path p = dir_ / "sweep.toml";
    std::ofstream(p) << "base = \"base.toml\"\nmodes = [\"h1\", \"h2\"]\n[axes]\n"
                     << "\"network.rtt_ms\" = [" << axis << "]\n";
    return p.string();
  }
  // A stand-in for a Slurm command in dir_/bin: logs its arguments to dir_/<name>.log, then
  // runs `body` (bash).
  void FakeCommand(const std::string& name, const std::string& body) {
    const fs::path p = dir_ / "bin" / name;
    std::ofstream(p) << "#!/bin/bash\nPATH=/usr/bin:/bin\necho \"$*\" >>"
                     << (dir_ / (name + ".log")).string() << "\n"
                     << body << "\n";
    fs::permissions(p, fs::perms::owner_all);
  }
  // waterfall sweep ARGS with PATH = dir_/bin only.
  Outcome SweepWithFakes(const std::string& args) {
    return Shell("PATH=" + (dir_ / "bin").string() + " " + WATERFALL_BINARY + " sweep " + args);
  }
  std::string Log(const std::string& name) { return Slurp(dir_ / (name + ".log")); }

  fs::path dir_;
};

// ---- The scripts and the small parts -------------------------------------------------------

TEST(SlurmScripts, ArrayTaskRunsItsShardIntoOutWithAbsolutePaths) {
  SlurmScriptInputs in;
  in.binary = "/opt/wf/waterfall";
  in.sweep_path = "/home/me/it's.toml";
  in.out_dir = "/shared/out";
  in.shards = 4;
  in.run_wall_limit_s = 600;
  in.array_sbatch = {"sbatch", "--parsable", "--array=0-3", "/shared/out/slurm/array.sbatch"};
  const std::string script = ArrayScript(in);
  EXPECT_EQ(script.rfind("#!/bin/bash\n", 0), 0u) << script;
  // Task T (0-based) runs shard T+1 of 4, into OUT itself, so the records land in OUT/records.
  EXPECT_TRUE(Contains(script,
                       "exec '/opt/wf/waterfall' sweep '/home/me/it'\\''s.toml' --shard "
                       "\"$((SLURM_ARRAY_TASK_ID + 1))/4\" --out '/shared/out' -j "
                       "\"$cpus\" --run-wall-limit 600\n"))
      << script;
  EXPECT_TRUE(Contains(script, "cpus=${SLURM_CPUS_PER_TASK:-"));
  EXPECT_TRUE(Contains(script, "then cpus=256; fi\n")) << "-j takes at most 256";
  EXPECT_TRUE(Contains(script,
                       "# Submitted as: sbatch --parsable --array=0-3 "
                       "/shared/out/slurm/array.sbatch\n"))
      << script;
}

TEST(SlurmScripts, MergeReadsOutAndLeavesItsStatusForWait) {
  SlurmScriptInputs in;
  in.binary = "/opt/wf/waterfall";
  in.sweep_path = "/home/me/s.toml";
  in.out_dir = "/shared/out";
  in.merge_sbatch = {"sbatch", "--dependency=afterany:17", "x\ny"};
  const std::string script = MergeScript(in);
  EXPECT_TRUE(Contains(script,
                       "'/opt/wf/waterfall' sweep '/home/me/s.toml' --merge '/shared/out' "
                       "--out '/shared/out'\nstatus=$?\n"))
      << script;
  EXPECT_TRUE(Contains(script, "'/shared/out/slurm'/merge-\"$SLURM_JOB_ID\".status"));
  EXPECT_TRUE(Contains(script, "exit \"$status\"\n"));
  // A newline in an argument stays inside the comment line.
  EXPECT_TRUE(Contains(script, "--dependency=afterany:17 'x\\ny'\n")) << script;
  EXPECT_EQ(MergeStatusPath("/shared/out", "18"), "/shared/out/slurm/merge-18.status");
}

TEST(SlurmScripts, JobIdsAndArrayIndices) {
  EXPECT_EQ(ParsableJobId("1234\n"), "1234");
  EXPECT_EQ(ParsableJobId("1234;cluster-a\n"), "1234");
  EXPECT_EQ(ParsableJobId("sbatch: warning: something\n99\n"), "99");
  EXPECT_EQ(ParsableJobId("Submitted batch job 12\n"), "");
  EXPECT_EQ(ParsableJobId(""), "");
  // Shard K is array task K-1.
  EXPECT_EQ(ArrayIndices({1, 2, 3, 4}), "0-3");
  EXPECT_EQ(ArrayIndices({2}), "1");
  EXPECT_EQ(ArrayIndices({1, 3, 4, 6}), "0,2-3,5");
  EXPECT_EQ(RangeList({1, 3, 4, 6}), "1,3-4,6");
  EXPECT_EQ(SbatchFilenamePattern("/a%b/x-%A.out"), "/a%%b/x-%%A.out");
}

TEST(SlurmScripts, ExternalCommandsAreBoundedInTime) {
  const CommandResult ok = RunExternalCommand({"/bin/sh", "-c", "echo out; echo err >&2"}, 30);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.out, "out\n");
  EXPECT_EQ(ok.err, "err\n");
  const CommandResult slow = RunExternalCommand({"/bin/sleep", "30"}, 0.2);
  EXPECT_TRUE(slow.timed_out);
  EXPECT_EQ(slow.exit_code, -1);
  const CommandResult absent = RunExternalCommand({"/nonexistent/sbatch"}, 30);
  EXPECT_EQ(absent.exit_code, 127);
  EXPECT_TRUE(Contains(absent.err, "cannot run /nonexistent/sbatch")) << absent.err;
}

// ---- Errors: exit 2, a reason, nothing submitted -------------------------------------------

TEST_F(SlurmSweep, NoSbatchOnPathExitsTwoAndWritesNothing) {
  const fs::path out = dir_ / "out";
  const Outcome o = SweepWithFakes(WriteSweep(5) + " --slurm --out " + out.string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_TRUE(Contains(o.output, "sbatch not found on PATH")) << o.output;
  EXPECT_TRUE(Contains(o.output, "nothing submitted")) << o.output;
  EXPECT_FALSE(fs::exists(out)) << "nothing written before sbatch is found";
}

TEST_F(SlurmSweep, SbatchRefusingExitsTwoWithItsReason) {
  FakeCommand("sbatch",
              "echo 'sbatch: error: Batch job submission failed: Invalid partition name "
              "specified' >&2; exit 1");
  FakeCommand("scancel", "exit 0");
  const fs::path out = dir_ / "out";
  const Outcome o = SweepWithFakes(WriteSweep(5) + " --slurm --shards 2 --out " + out.string() +
                                   " --sbatch-arg=--partition=nope");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_TRUE(Contains(o.output, "sbatch refused the array job")) << o.output;
  EXPECT_TRUE(Contains(o.output, "Invalid partition name specified")) << o.output;
  EXPECT_TRUE(Contains(o.output, "nothing submitted")) << o.output;
  // One call (the array), with the user's argument before the script; no merge, no scancel.
  const auto calls = waterfall::testing::Lines(Log("sbatch"));
  ASSERT_EQ(calls.size(), 1u) << Log("sbatch");
  EXPECT_TRUE(Contains(calls[0], "--array=0-1 ")) << calls[0];
  EXPECT_TRUE(Contains(calls[0], "--partition=nope " + (out / "slurm/array.sbatch").string()))
      << calls[0];
  EXPECT_EQ(Log("scancel"), "");
}

TEST_F(SlurmSweep, MergeRefusedCancelsTheAcceptedArray) {
  // The first call (the array) is accepted as job 41, the second (the merge) refused.
  FakeCommand("sbatch", "n=$(wc -l <" + (dir_ / "sbatch.log").string() +
                            ")\nif [ \"$n\" -eq 1 ]; then echo 41; exit 0; fi\n"
                            "echo 'sbatch: error: QOSMaxSubmitJobPerUserLimit' >&2; exit 1");
  FakeCommand("scancel", "exit 0");
  const Outcome o = SweepWithFakes(WriteSweep(5) + " --slurm --out " + (dir_ / "out").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_TRUE(Contains(o.output, "sbatch refused the merge job")) << o.output;
  EXPECT_TRUE(Contains(o.output, "QOSMaxSubmitJobPerUserLimit")) << o.output;
  EXPECT_TRUE(Contains(o.output, "the array job 41 was cancelled")) << o.output;
  EXPECT_EQ(Log("scancel"), "41\n");
  EXPECT_TRUE(Contains(Log("sbatch"), "--dependency=afterany:41 ")) << Log("sbatch");
}

TEST_F(SlurmSweep, UnwritableOutExitsTwoBeforeSbatch) {
  FakeCommand("sbatch", "echo 7");
  // A directory nobody can create files in, whoever runs the test: a file's "subdirectory".
  std::ofstream(dir_ / "a-file") << "x\n";
  const Outcome o =
      SweepWithFakes(WriteSweep(5) + " --slurm --out " + (dir_ / "a-file" / "out").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_TRUE(Contains(o.output, "--out ")) << o.output;
  EXPECT_EQ(Log("sbatch"), "") << "sbatch is never called";
}

TEST_F(SlurmSweep, SlurmOptionsWithoutSlurmOrWithItsOwnWorkAreRefused) {
  const std::string sweep = WriteSweep(5);
  const std::string out = " --out " + (dir_ / "out").string();
  for (const char* args : {" --wait", " --shards 3", " --sbatch-arg=--time=5",
                           " --slurm --shard 1/2", " --slurm -j 4"}) {
    const Outcome o = SweepWithFakes(sweep + out + args);
    EXPECT_EQ(o.exit_code, 2) << args << ": " << o.output;
  }
  const Outcome o = SweepWithFakes(sweep + out + " --slurm --shards 11");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  // 5 RTTs x 2 modes = 10 runs: 11 shards would leave one empty.
  EXPECT_TRUE(Contains(o.output, "--shards 11: must be 1 to the 10 runs")) << o.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(SlurmSweep, ResubmissionAsksOnlyForTheShardsWithMissingRuns) {
  const std::string sweep = WriteSweep(10);  // 20 runs, 5 per shard of 4
  const fs::path out = dir_ / "out";
  // Shards 1 and 3 ran (locally, as their array tasks would have).
  for (const char* shard : {"1/4", "3/4"}) {
    const Outcome o = Shell(std::string(WATERFALL_BINARY) + " sweep " + sweep + " -q -j 1 --out " +
                            out.string() + " --shard " + shard);
    ASSERT_EQ(o.exit_code, 0) << o.output;
  }
  ASSERT_EQ(CountRecords(out), 10u);
  FakeCommand("sbatch", "n=$(wc -l <" + (dir_ / "sbatch.log").string() + "); echo $((40 + n))");
  const Outcome o = SweepWithFakes(sweep + " --slurm --shards 4 --out " + out.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(Contains(o.output, "20 runs, 10 without a record")) << o.output;
  EXPECT_TRUE(Contains(o.output, "array job 41: 2 tasks (shards 2,4 of 4)")) << o.output;
  EXPECT_TRUE(Contains(o.output, "merge job 42")) << o.output;
  const auto calls = waterfall::testing::Lines(Log("sbatch"));
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(Contains(calls[0], "--array=1,3 ")) << calls[0];  // task ids of shards 2 and 4
  EXPECT_TRUE(Contains(calls[1], "--dependency=afterany:41 ")) << calls[1];
  const std::string script = Slurp(out / "slurm" / "array.sbatch");
  EXPECT_TRUE(Contains(script, "--shard \"$((SLURM_ARRAY_TASK_ID + 1))/4\" --out '" +
                                   fs::absolute(out).lexically_normal().string() + "'"))
      << script;
  EXPECT_TRUE(Contains(
      script, "exec '" + fs::canonical(WATERFALL_BINARY).string() + "' sweep '" + sweep + "'"))
      << script;
}

// ---- A real Slurm --------------------------------------------------------------------------

// Whether this machine can run scripts/slurm-local: root, and Debian's slurm-wlm and munge.
std::string WhyNoSlurm() {
  if (::geteuid() != 0) return "not root (scripts/slurm-local starts slurmd as root)";
  // The daemons are in /usr/sbin, which PATH may lack (scripts/slurm-local adds it).
  for (const char* daemon : {"slurmctld", "slurmd", "munged", "runuser"}) {
    if (FindOnPath(daemon).empty() &&
        ::access(("/usr/sbin/" + std::string(daemon)).c_str(), X_OK)) {
      return std::string(daemon) +
             " neither on PATH nor in /usr/sbin (scripts/setup-deps installs slurm-wlm and munge)";
    }
  }
  for (const char* client : {"sbatch", "squeue", "scancel", "scontrol"}) {
    if (FindOnPath(client).empty()) {
      return std::string(client) + " not on PATH (scripts/setup-deps installs slurm-wlm)";
    }
  }
  return "";
}

class RealSlurm : public SlurmSweep {
 protected:
  void SetUp() override {
    SlurmSweep::SetUp();
    if (const std::string why = WhyNoSlurm(); !why.empty()) {
      const char* required = std::getenv("WATERFALL_REQUIRE_SLURM");
      if (required != nullptr && std::string(required) == "1") {
        FAIL() << "WATERFALL_REQUIRE_SLURM=1 but " << why;
      }
      GTEST_SKIP() << why;
    }
    // Short: munged's socket lives in it, and a socket's path has at most 108 bytes.
    slurm_dir_ = fs::temp_directory_path() / ("wf-slurm-" + std::to_string(getpid()));
    const Outcome o = Shell(std::string(WATERFALL_SOURCE_DIR) + "/scripts/slurm-local start " +
                            slurm_dir_.string());
    ASSERT_EQ(o.exit_code, 0) << o.output;
    started_ = true;
    env_ = "SLURM_CONF=" + (slurm_dir_ / "slurm.conf").string() + " ";
  }
  void TearDown() override {
    if (started_) {
      const Outcome o = Shell(std::string(WATERFALL_SOURCE_DIR) + "/scripts/slurm-local stop " +
                              slurm_dir_.string());
      EXPECT_EQ(o.exit_code, 0) << o.output;
      EXPECT_FALSE(fs::exists(slurm_dir_)) << "stop removes its directory";
    }
    SlurmSweep::TearDown();
  }
  Outcome Slurm(const std::string& command) { return Shell(env_ + command); }
  Outcome Sweep(const std::string& args) {
    return Slurm(std::string(WATERFALL_BINARY) + " sweep " + args);
  }

  fs::path slurm_dir_;
  bool started_ = false;
  std::string env_;
};

// The value after `label` in `text` up to the next character not in [0-9], or "".
std::string NumberAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return "";
  const size_t start = at + label.size();
  const size_t end = text.find_first_not_of("0123456789", start);
  return text.substr(start, end - start);
}

double SecondsOf(const std::function<void()>& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST_F(RealSlurm, SweepEqualsLocalRunAndAResubmissionRunsOnlyTheCancelledShard) {
  // 50 RTTs x 2 modes, seeds 1 and 2: 200 runs, 50 per shard of 4.
  std::string axis;
  for (int i = 0; i < 50; ++i) axis += (i ? ", " : "") + std::to_string(10 + 4 * i);
  const std::string sweep = (dir_ / "sweep.toml").string();
  std::ofstream(sweep) << "base = \"base.toml\"\nmodes = [\"h1\", \"h2\"]\nseeds = [1, 2]\n"
                       << "[axes]\n\"network.rtt_ms\" = [" << axis << "]\n";

  Outcome local;
  const double local_s =
      SecondsOf([&] { local = Sweep(sweep + " -j 2 -q --out " + (dir_ / "local").string()); });
  ASSERT_EQ(local.exit_code, 0) << local.output;
  const std::string csv = Slurp(dir_ / "local" / "runs.csv");
  ASSERT_EQ(waterfall::testing::Lines(csv).size(), 201u);  // a header and 200 runs

  // 1. Through Slurm: the same CSV, byte for byte.
  Outcome slurm;
  const double slurm_s = SecondsOf([&] {
    slurm = Sweep(sweep + " --slurm --shards 4 --wait --out " + (dir_ / "slurm").string());
  });
  ASSERT_EQ(slurm.exit_code, 0) << slurm.output;
  EXPECT_TRUE(Contains(slurm.output, "4 tasks (shards 1-4 of 4)")) << slurm.output;
  EXPECT_EQ(Slurp(dir_ / "slurm" / "runs.csv"), csv);
  EXPECT_EQ(CountRecords(dir_ / "slurm"), 200u);
  std::printf("200 runs: local -j 2 %.1f s (%.0f runs/s), Slurm --shards 4 --wait %.1f s\n",
              local_s, 200 / local_s, slurm_s);
  RecordProperty("local_j2_seconds", std::to_string(local_s));
  RecordProperty("slurm_seconds", std::to_string(slurm_s));

  // 2. A second submission, held so that task 1 (shard 2) is cancelled before it starts: the
  // merge still runs (afterany) and reports the 50 runs of shard 2 as missing, exit 4.
  const fs::path out = dir_ / "second";
  const fs::path log = dir_ / "second.log";
  const fs::path rc = dir_ / "second.rc";
  Shell("(" + env_ + WATERFALL_BINARY + " sweep " + sweep + " --slurm --shards 4 --wait --out " +
        out.string() + " --sbatch-arg=--hold >" + log.string() + " 2>&1; echo $? >" + rc.string() +
        ") >/dev/null 2>&1 &");
  std::string array_job, merge_job;
  for (int i = 0; i < 600 && (array_job.empty() || merge_job.empty()); ++i) {  // at most 60 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string text = Slurp(log);
    array_job = NumberAfter(text, "array job ");
    merge_job = NumberAfter(text, "merge job ");
  }
  ASSERT_FALSE(array_job.empty()) << Slurp(log);
  ASSERT_FALSE(merge_job.empty()) << Slurp(log);
  const Outcome cancel = Slurm("scancel " + array_job + "_1");
  ASSERT_EQ(cancel.exit_code, 0) << cancel.output;
  const Outcome release = Slurm("scontrol release " + array_job + "," + merge_job);
  ASSERT_EQ(release.exit_code, 0) << release.output;
  for (int i = 0; i < 3000 && Slurp(rc).empty(); ++i) {  // at most 300 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string second = Slurp(log);
  ASSERT_EQ(Slurp(rc), "4\n") << second;
  EXPECT_TRUE(Contains(second, "50 of 200 runs have no record")) << second;
  EXPECT_TRUE(Contains(second, "the same command again submits only the shards")) << second;
  EXPECT_FALSE(fs::exists(out / "runs.csv"));
  ASSERT_EQ(CountRecords(out), 150u);
  std::map<std::string, fs::file_time_type> before;
  for (const auto& e : fs::directory_iterator(out / "records")) {
    before[e.path().filename().string()] = fs::last_write_time(e.path());
  }

  // 3. The same command again: one task, shard 2, runs the 50 missing runs and nothing else.
  const Outcome again = Sweep(sweep + " --slurm --shards 4 --wait --out " + out.string());
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(Contains(again.output, "200 runs, 50 without a record")) << again.output;
  EXPECT_TRUE(Contains(again.output, "1 task (shard 2 of 4)")) << again.output;
  const std::string task_log =
      Slurp(out / "slurm" / ("array-" + NumberAfter(again.output, "array job ") + "_1.out"));
  EXPECT_TRUE(Contains(task_log, "50 runs (50 ok, 0 timeout, 0 incomplete, 0 failed), 50 run now"))
      << task_log;
  EXPECT_EQ(CountRecords(out), 200u);
  for (const auto& [name, time] : before) {
    EXPECT_EQ(fs::last_write_time(out / "records" / name), time) << name << " was run again";
  }
  EXPECT_EQ(Slurp(out / "runs.csv"), csv);
}

}  // namespace
