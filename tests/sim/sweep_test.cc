// Sweeps as a user runs them: the product of axes × modes × seeds in a fixed order, the same
// CSV whatever the number of workers, nothing lost when the sweep is killed, failing runs
// recorded with their reason, and shards that merge into the unsharded CSV.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/sweep_plan.h"
#include "tests/sim/shell.h"

namespace fs = std::filesystem;
using namespace waterfall;

namespace {

// A small page, so a run costs a few milliseconds.
const char* kBase = R"(
name = "sweep-base"
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
[[resource]]
url = "/app.js"
type = "script"
size = 20000
parent = "/style.css"
)";

using waterfall::testing::Outcome;
using waterfall::testing::Shell;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

size_t CountRecords(const fs::path& dir) {
  if (!fs::is_directory(dir / "records")) return 0;
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir / "records")) {
    if (e.path().extension() == ".json") ++n;
  }
  return n;
}

class Sweep : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("waterfall-sweep-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "base.toml") << kBase;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string WriteSweep(const std::string& body) {
    const fs::path p = dir_ / "sweep.toml";
    std::ofstream(p) << "base = \"base.toml\"\n" << body;
    return p.string();
  }
  Outcome Waterfall(const std::string& args) {
    return Shell(std::string(WATERFALL_BINARY) + " sweep " + args);
  }
  fs::path Out(const std::string& name) const { return dir_ / name; }

  fs::path dir_;
};

// ---- The plan --------------------------------------------------------------------------------

TEST_F(Sweep, RunsAreTheProductOfAxesModesAndSeedsFirstAxisOutermost) {
  SweepPlan plan = LoadSweepFile(WriteSweep(R"(
modes = ["h1", "h2"]
seeds = [1, 2, 3]
[axes]
"network.rtt_ms" = [20, 50, 100, 200, 400]
"network.loss_rate" = [0.0, 0.01]
)"));
  const std::vector<SweepRun> runs = ExpandRuns(plan);
  ASSERT_EQ(runs.size(), 5u * 2 * 2 * 3);
  EXPECT_EQ(runs[0].mode, "h1");
  EXPECT_EQ(runs[0].seed, 1u);
  EXPECT_EQ(runs[1].seed, 2u);             // seed turns fastest
  EXPECT_EQ(runs[3].mode, "h2");           // then mode
  EXPECT_EQ(runs[6].value_index[1], 1u);   // then the last axis
  EXPECT_EQ(runs[12].value_index[0], 1u);  // the first axis slowest
  std::set<std::string> ids;
  for (const SweepRun& r : runs) ids.insert(r.id);
  EXPECT_EQ(ids.size(), runs.size()) << "every run has its own record id";
  EXPECT_EQ(plan.axes[0].key, "network.rtt_ms") << "axes keep the file's order";
  EXPECT_EQ(plan.axes[1].labels[1], "0.01");
}

TEST_F(Sweep, NamedAxisValuesKeepFileOrderAndDefaultsAreAllModesOneSeed) {
  SweepPlan plan = LoadSweepFile(WriteSweep(R"(
[axes."client.cache"]
warm = ["/style.css", "/app.js"]
cold = []
)"));
  ASSERT_EQ(plan.axes.size(), 1u);
  EXPECT_EQ(plan.axes[0].labels, (std::vector<std::string>{"warm", "cold"}));
  EXPECT_EQ(plan.modes.size(), 4u);
  EXPECT_EQ(plan.seeds, std::vector<uint32_t>{1});
  EXPECT_EQ(ExpandRuns(plan).size(), 8u);
}

TEST_F(Sweep, BadSweepFilesNameFileKeyAndProblem) {
  struct Case {
    std::string body;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"colour = 1\n", "colour: unknown key"},
      {"modes = [\"h3\"]\n", "modes: unknown mode \"h3\""},
      {"seeds = [0]\n", "seeds: expected integers in [1, 4294967295], got 0"},
      {"[axes]\n\"network.rtt_ms\" = []\n", "axes.\"network.rtt_ms\": has no values"},
      {"[axes]\n\"network.rtt_ms\" = [10, 10]\n", "value 10 appears twice"},
      {"[axes]\n\"network.rtt_ms\" = 10\n", "expected a list of values"},
      {"[set]\n\"network.rtt_ms\" = 10\n[axes]\n\"network.rtt_ms\" = [5]\n", "also fixed in [set]"},
      {"[set]\n\"network.colour\" = 1\n", "set.\"network.colour\": unknown scenario key"},
      {"[set]\n\"network.rtt_ms\" = -5\n", "base with [set]"},
  };
  for (const Case& c : cases) {
    const std::string path = WriteSweep(c.body);
    try {
      LoadSweepFile(path);
      ADD_FAILURE() << "accepted: " << c.body;
    } catch (const SweepError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
    }
  }
  std::ofstream(dir_ / "nobase.toml") << "modes = [\"h2\"]\n";
  EXPECT_THROW(LoadSweepFile((dir_ / "nobase.toml").string()), SweepError);
  EXPECT_THROW(ParseShard("0/3"), SweepError);
  EXPECT_THROW(ParseShard("4/3"), SweepError);
  EXPECT_THROW(ParseShard("2"), SweepError);
  EXPECT_EQ(ParseShard("2/3").k, 2u);
}

TEST_F(Sweep, BadSweepFileOnTheCommandLineExitsTwoAndWritesNothing) {
  const Outcome o = Waterfall(WriteSweep("modes = [\"h3\"]\n") + " --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("unknown mode"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(Out("o")));
}

// ---- Running ---------------------------------------------------------------------------------

const char* kSmallSweep = R"(
modes = ["h1", "h2", "h2-push"]
seeds = [1, 2]
[set]
"network.loss_rate" = 0.02
[axes]
"network.rtt_ms" = [20, 80]
)";

TEST_F(Sweep, OneWorkerAndTwoWorkersWriteTheSameCsv) {
  const std::string sweep = WriteSweep(kSmallSweep);
  const Outcome one = Waterfall(sweep + " -j 1 -q --out " + Out("j1").string());
  const Outcome two = Waterfall(sweep + " -j 2 -q --out " + Out("j2").string());
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_EQ(one.output, "") << "--quiet prints nothing on success";
  const std::string csv = Slurp(Out("j1") / "runs.csv");
  EXPECT_EQ(csv, Slurp(Out("j2") / "runs.csv"));
  const std::vector<std::string> lines = Lines(csv);
  ASSERT_EQ(lines.size(), 1u + 2 * 3 * 2);
  EXPECT_EQ(lines[0].rfind("network.rtt_ms,mode,seed,status,ttfb_ms,", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("20,h1,1,ok,", 0), 0u) << lines[1];
  EXPECT_EQ(lines.back().rfind("80,h2-push,2,ok,", 0), 0u) << lines.back();
}

TEST_F(Sweep, PageLoadGrowsWithRttInEveryMode) {
  const std::string sweep = WriteSweep(R"(
modes = ["h1", "h2", "h2-push", "h2-hints"]
[axes]
"network.rtt_ms" = [10, 50, 100, 200]
)");
  ASSERT_EQ(Waterfall(sweep + " -q --out " + Out("o").string()).exit_code, 0);
  const std::vector<std::string> lines = Lines(Slurp(Out("o") / "runs.csv"));
  ASSERT_EQ(lines.size(), 17u);
  // page_load_ms is column 7 (rtt, mode, seed, status, ttfb, start_render, page_load).
  auto page_load = [&](size_t row) {
    std::stringstream s(lines[row]);
    std::string cell;
    for (int i = 0; i < 7; ++i) std::getline(s, cell, ',');
    return std::stod(cell);
  };
  const double rtts_ms[] = {10, 50, 100, 200};
  for (size_t mode = 0; mode < 4; ++mode) {
    for (size_t rtt = 1; rtt < 4; ++rtt) {
      const double faster = page_load(1 + (rtt - 1) * 4 + mode);
      const double slower = page_load(1 + rtt * 4 + mode);
      // Every mode pays at least the handshake and the HTML's round trip at the longer RTT.
      EXPECT_GE(slower - faster, 2 * (rtts_ms[rtt] - rtts_ms[rtt - 1]))
          << lines[1 + rtt * 4 + mode];
    }
  }
}

TEST_F(Sweep, AFailingRunIsRecordedWithItsReasonAndTheOthersStillRun) {
  const std::string sweep = WriteSweep(R"(
modes = ["h2"]
[axes]
"network.rtt_ms" = [50, -5, 100]
)");
  const Outcome o = Waterfall(sweep + " -j 2 --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 4) << o.output;
  EXPECT_NE(o.output.find("1 of 3 runs failed"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("network.rtt_ms=-5 mode=h2 seed=1"), std::string::npos) << o.output;
  const std::vector<std::string> lines = Lines(Slurp(Out("o") / "runs.csv"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1].rfind("50,h2,1,ok,", 0), 0u);
  EXPECT_EQ(lines[2].rfind("-5,h2,1,failed,,,,", 0), 0u) << lines[2];
  EXPECT_NE(lines[2].find("network.rtt_ms"), std::string::npos) << "the error names the key";
  EXPECT_EQ(lines[3].rfind("100,h2,1,ok,", 0), 0u);
  // A failed run is a result: running again does not retry it.
  const Outcome again = Waterfall(sweep + " --out " + Out("o").string());
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_NE(again.output.find("0 run now"), std::string::npos) << again.output;
}

TEST_F(Sweep, ARunPastTheWallClockLimitFailsAloneAndIsRetriedNextTime) {
  // 1 GiB at 10 Gbit/s is about 750,000 packets: seconds of wall clock, past a 1 s limit.
  const std::string sweep = WriteSweep(R"(
modes = ["h2"]
[set]
"network.bandwidth_mbps" = 10000
[axes]
"resource[/app.js].size" = [1000, 1073741824, 2000]
)");
  const std::string args = sweep + " -j 1 --run-wall-limit 1 --out " + Out("o").string();
  const Outcome first = Waterfall(args);
  EXPECT_EQ(first.exit_code, 4) << first.output;
  const std::vector<std::string> lines = Lines(Slurp(Out("o") / "runs.csv"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1].rfind("1000,h2,1,ok,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("1073741824,h2,1,failed,", 0), 0u) << lines[2];
  EXPECT_NE(lines[2].find("wall-clock limit"), std::string::npos) << lines[2];
  EXPECT_EQ(lines[3].rfind("2000,h2,1,ok,", 0), 0u) << "a new worker took over: " << lines[3];
  // Unlike a bad value, a killed run says more about the machine: the next invocation retries
  // it (and only it).
  const Outcome second = Waterfall(args);
  EXPECT_EQ(second.exit_code, 4) << second.output;
  EXPECT_NE(second.output.find("1 run now"), std::string::npos) << second.output;
}

// A sweep long enough to kill in the middle: 40 runs of a lossy page.
const char* kLongSweep = R"(
modes = ["h1", "h2"]
seeds = [1, 2, 3, 4, 5]
[set]
"network.loss_rate" = 0.03
[axes]
"network.rtt_ms" = [20, 60, 120, 250]
)";

pid_t Start(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Waits until the sweep in `dir` has at least `n` records; false if it finished first.
bool WaitForRecords(pid_t pid, const fs::path& dir, size_t n) {
  for (int i = 0; i < 20000; ++i) {
    if (CountRecords(dir) >= n) return true;
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return false;
}

TEST_F(Sweep, KilledSweepResumesAndEndsWithTheUninterruptedCsv) {
  const std::string sweep = WriteSweep(kLongSweep);
  ASSERT_EQ(Waterfall(sweep + " -j 2 -q --out " + Out("whole").string()).exit_code, 0);
  const std::string whole = Slurp(Out("whole") / "runs.csv");
  ASSERT_EQ(Lines(whole).size(), 41u);

  for (int signal : {SIGKILL, SIGINT}) {
    const fs::path out = Out(signal == SIGKILL ? "killed" : "interrupted");
    const pid_t pid = Start({WATERFALL_BINARY, "sweep", sweep, "-j", "2", "--out", out.string()});
    ASSERT_TRUE(WaitForRecords(pid, out, 3)) << "the sweep ended before it could be killed";
    kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    if (signal == SIGINT) {
      ASSERT_TRUE(WIFEXITED(status));
      EXPECT_EQ(WEXITSTATUS(status), 130);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // orphaned workers exit
    const size_t kept = CountRecords(out);
    EXPECT_GE(kept, 3u);
    EXPECT_LT(kept, 40u) << "killed too late to test anything";
    EXPECT_FALSE(fs::exists(out / "runs.csv")) << "no CSV until every run is recorded";

    const Outcome resumed = Waterfall(sweep + " -j 2 --out " + out.string());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find(std::to_string(40 - kept) + " run now"), std::string::npos)
        << "only the missing runs ran: " << resumed.output;
    EXPECT_EQ(Slurp(out / "runs.csv"), whole);
  }
}

TEST_F(Sweep, ShardsMergeIntoTheUnshardedCsv) {
  const std::string sweep = WriteSweep(kSmallSweep);
  ASSERT_EQ(Waterfall(sweep + " -q --out " + Out("whole").string()).exit_code, 0);
  std::string dirs;
  size_t records = 0;
  for (int k = 1; k <= 3; ++k) {
    const fs::path shard = Out("shard" + std::to_string(k));
    const Outcome o =
        Waterfall(sweep + " -q -j 1 --shard " + std::to_string(k) + "/3 --out " + shard.string());
    ASSERT_EQ(o.exit_code, 0) << o.output;
    EXPECT_FALSE(fs::exists(shard / "runs.csv"));
    records += CountRecords(shard);
    dirs += " " + shard.string();
    if (k == 2) {
      const Outcome partial = Waterfall(sweep + " --merge" + dirs + " --out " + Out("m").string());
      EXPECT_EQ(partial.exit_code, 4) << partial.output;
      EXPECT_NE(partial.output.find("have no record"), std::string::npos) << partial.output;
      EXPECT_FALSE(fs::exists(Out("m") / "runs.csv"));
    }
  }
  EXPECT_EQ(records, 12u) << "the shards split the runs without overlap";
  const Outcome merged = Waterfall(sweep + " -q --merge" + dirs + " --out " + Out("m").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  EXPECT_EQ(Slurp(Out("m") / "runs.csv"), Slurp(Out("whole") / "runs.csv"));
}

TEST_F(Sweep, TheSweepChartDrawsFromTheCsvTheSweepWrote) {
  const std::string sweep = WriteSweep(kSmallSweep);
  ASSERT_EQ(Waterfall(sweep + " -q --out " + Out("o").string()).exit_code, 0);
  ASSERT_TRUE(fs::exists(Out("o") / "sweep.json"));
  const Outcome plot =
      Shell("/usr/bin/python3 " + std::string(WATERFALL_SOURCE_DIR) + "/plots/sweep.py " +
            (Out("o") / "runs.csv").string() + " --x network.rtt_ms --y page_load_ms -o " +
            (Out("o") / "rtt.png").string());
  ASSERT_EQ(plot.exit_code, 0) << plot.output;
  EXPECT_GT(fs::file_size(Out("o") / "rtt.png"), 1000u);
}

TEST_F(Sweep, ShippedSweepsLoad) {
  for (const char* name : {"rtt", "push-vs-hints", "loss"}) {
    const SweepPlan plan =
        LoadSweepFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/sweeps/" + name + ".toml");
    EXPECT_FALSE(ExpandRuns(plan).empty()) << name;
    if (std::string(name) == "rtt") {
      EXPECT_EQ(ExpandRuns(plan).size(), 60u);
    }
  }
}

}  // namespace
