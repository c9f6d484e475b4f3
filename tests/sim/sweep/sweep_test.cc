// Sweeps as a user runs them: the product of axes × modes × seeds in a fixed order, the same
// CSV whatever the number of workers, nothing lost when the sweep is killed, failing runs
// recorded with their reason, and shards that merge into the unsharded CSV.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/report/result_json.h"
#include "sim/run/run.h"
#include "sim/sweep/sweep_plan.h"
#include "sim/sweep/sweep_record.h"
#include "tests/support/shell.h"
#include "tests/support/text_file.h"

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

using waterfall::testing::Lines;
using waterfall::testing::Slurp;

std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream s(line);
  for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

std::vector<std::string> Keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
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
    // The pid too: another checkout's tests may run the same test at the same time.
    dir_ = fs::temp_directory_path() /
           ("waterfall-sweep-" + std::to_string(getpid()) + "-" +
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
  // page_load_ms's column, by the header (rtt, mode, seed, status, then the metrics in
  // sim/report/metrics.cc's order).
  const auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) out.push_back(cell);
    return out;
  };
  const std::vector<std::string> header = cells(lines[0]);
  const size_t column = std::find(header.begin(), header.end(), "page_load_ms") - header.begin();
  ASSERT_LT(column, header.size()) << lines[0];
  auto page_load = [&](size_t row) { return std::stod(cells(lines[row]).at(column)); };
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
  size_t files = 0;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/sweeps")) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    const std::string name = entry.path().stem().string();
    const SweepPlan plan = LoadSweepFile(entry.path().string());
    EXPECT_FALSE(ExpandRuns(plan).empty()) << name;
    if (name == "rtt") {
      EXPECT_EQ(ExpandRuns(plan).size(), 60u);
    }
    if (name == "priorities") {
      // 4 schedulers x 2 socket-buffer settings x 1 header setting x 2 modes.
      EXPECT_EQ(ExpandRuns(plan).size(), 16u);
    }
  }
  EXPECT_GE(files, 5u);  // rtt, push-vs-hints, loss, imported-cnet-rtt, priorities
}

// ---- One list of metrics, and the statuses `waterfall run` gives
// ---------------------------------

TEST_F(Sweep, TheCsvTheRecordsTheResultFileAndReadmeListTheSameMetricsInTheSameOrder) {
  const Scenario scenario = LoadScenarioText(kBase, "base.toml");
  const RunResult result = RunPageLoad(scenario, *FindMode("h2"), RunOptions{});
  const SweepPlan plan = LoadSweepFile(WriteSweep("modes = [\"h2\"]\n"));
  const std::vector<SweepRun> runs = ExpandRuns(plan);
  const RunRecord record = RecordOfResult(runs[0], result);
  const std::vector<std::string> record_metrics = Keys(record.metrics);

  // runs.csv (no axes): mode, seed, status, <metrics...>, error.
  const std::vector<std::string> header =
      Cells(Lines(RunsCsv(plan, runs, {{record.id, record}}))[0]);
  ASSERT_GE(header.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(header.begin() + 3, header.end() - 1), record_metrics);
  EXPECT_EQ(MetricColumns(), record_metrics);
  // The result file's metrics are the first of them, in the same order.
  const std::vector<std::string> file_metrics = Keys(MetricsToJson(result));
  ASSERT_LT(file_metrics.size(), record_metrics.size());
  EXPECT_EQ(file_metrics, std::vector<std::string>(record_metrics.begin(),
                                                   record_metrics.begin() + file_metrics.size()));

  // README's table of runs.csv names every column, and nothing that is not one.
  const std::string readme = Slurp(fs::path(WATERFALL_SOURCE_DIR) / "README.md");
  const size_t from = readme.find("`runs.csv` (RFC 4180");
  ASSERT_NE(from, std::string::npos);
  const std::string table =
      readme.substr(from, readme.find("\n\n", readme.find("| column |", from)) - from);
  for (const std::string& column : header) {
    EXPECT_NE(table.find("`" + column + "`"), std::string::npos) << "README lacks " << column;
  }
  for (const std::string& line : Lines(table)) {
    if (line.rfind("| `", 0) != 0) continue;  // the axis row and the header say no names
    const std::string cell = line.substr(0, line.find(" |", 2));
    for (size_t at = cell.find('`'); at != std::string::npos; at = cell.find('`', at + 1)) {
      const size_t end = cell.find('`', at + 1);
      const std::string name = cell.substr(at + 1, end - at - 1);
      EXPECT_NE(std::find(header.begin(), header.end(), name), header.end())
          << "README documents a column runs.csv does not have: " << name;
      at = end;
    }
  }
}

struct StatusCase {
  const char* name;
  std::string axes;                   // the [axes] table's body
  std::vector<std::string> statuses;  // each run's, in product order
  int exit_code;
};

void PrintTo(const StatusCase& c, std::ostream* os) { *os << c.name; }

class SweepStatus : public Sweep, public ::testing::WithParamInterface<StatusCase> {};

TEST_P(SweepStatus, EachRunHasTheStatusRunWouldGiveAndTheSweepTheExitCode) {
  const StatusCase& c = GetParam();
  const Outcome o = Waterfall(WriteSweep("modes = [\"h2\"]\n[axes]\n" + c.axes) + " -j 1 --out " +
                              Out("o").string());
  EXPECT_EQ(o.exit_code, c.exit_code) << o.output;
  const std::vector<std::string> lines = Lines(Slurp(Out("o") / "runs.csv"));
  ASSERT_EQ(lines.size(), 1 + c.statuses.size()) << o.output;
  const std::vector<std::string> header = Cells(lines[0]);
  const size_t status = std::find(header.begin(), header.end(), "status") - header.begin();
  for (size_t i = 0; i < c.statuses.size(); ++i) {
    EXPECT_EQ(Cells(lines[1 + i]).at(status), c.statuses[i]) << lines[1 + i];
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SweepStatus,
    ::testing::Values(
        StatusCase{
            "EveryPageWholeIsOkExitZero", "\"network.rtt_ms\" = [20, 40]\n", {"ok", "ok"}, 0},
        StatusCase{"AResetResourceIsIncompleteExitThree",
                   "\"resource[/style.css].fault\" = [\"none\", \"reset\"]\n",
                   {"ok", "incomplete"},
                   3},
        StatusCase{"ANoResponseResourceIsTimeoutExitThree",
                   "\"resource[/app.js].fault\" = [\"none\", \"no_response\"]\n"
                   "\"client.timeout_ms\" = [5000]\n",
                   {"ok", "timeout"},
                   3},
        StatusCase{"FailedOutranksIncompleteExitFour",
                   "\"resource[/style.css].fault\" = [\"reset\"]\n\"network.rtt_ms\" = [20, -5]\n",
                   {"incomplete", "failed"},
                   4}),
    [](const ::testing::TestParamInfo<StatusCase>& info) { return std::string(info.param.name); });

TEST_F(Sweep, RunAndSweepBothExitThreeForAPageWithAResetResource) {
  const Outcome run =
      Shell(std::string(WATERFALL_BINARY) + " run " + (dir_ / "base.toml").string() +
            " --mode h2 -q --set resource[/style.css].fault=reset --out " + Out("run").string());
  const Outcome sweep = Waterfall(
      WriteSweep("modes = [\"h2\"]\n[set]\n\"resource[/style.css].fault\" = \"reset\"\n") +
      " -q --out " + Out("sweep").string());
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_EQ(sweep.exit_code, run.exit_code) << sweep.output;
}

TEST_F(Sweep, ARecordThatSaysOkWithAResourceIncompleteIsReadAsIncompleteWithoutARerun) {
  // What an earlier release wrote for a page that settled with a resource reset: "ok".
  const std::string sweep = WriteSweep(
      "modes = [\"h2\"]\n[axes]\n\"resource[/style.css].fault\" = [\"none\", \"reset\"]\n");
  ASSERT_EQ(Waterfall(sweep + " -q --out " + Out("o").string()).exit_code, 3);
  size_t rewritten = 0;
  for (const auto& e : fs::directory_iterator(Out("o") / "records")) {
    std::string text = Slurp(e.path());
    const size_t at = text.find("\"status\":\"incomplete\"");
    if (at == std::string::npos) continue;
    text.replace(at, std::string("\"status\":\"incomplete\"").size(), "\"status\":\"ok\"");
    std::ofstream(e.path(), std::ios::trunc) << text;
    ++rewritten;
  }
  ASSERT_EQ(rewritten, 1u);
  fs::remove(Out("o") / "runs.csv");
  const Outcome again = Waterfall(sweep + " --out " + Out("o").string());
  EXPECT_EQ(again.exit_code, 3) << again.output;
  EXPECT_NE(again.output.find("0 run now"), std::string::npos) << again.output;
  EXPECT_EQ(Cells(Lines(Slurp(Out("o") / "runs.csv"))[2]).at(3), "incomplete");
}

// ---- Axis keys and value types are checked before anything runs -------------------------------

struct RefusedSweep {
  const char* name;
  std::string body;                   // after base = "base.toml"
  std::vector<std::string> expected;  // in the one-line message, besides the sweep file's name
};

void PrintTo(const RefusedSweep& c, std::ostream* os) { *os << c.name; }

class RefusedUpFront : public Sweep, public ::testing::WithParamInterface<RefusedSweep> {};

TEST_P(RefusedUpFront, ExitsTwoNamingTheSweepFileTheKeyAndTheProblemAndRunsNothing) {
  const std::string sweep = WriteSweep("modes = [\"h1\", \"h2\"]\n" + GetParam().body);
  const Outcome o = Waterfall(sweep + " -j 1 --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_EQ(Lines(o.output).size(), 1u) << o.output;
  EXPECT_NE(o.output.find(sweep + ":"), std::string::npos) << o.output;
  for (const std::string& s : GetParam().expected) {
    EXPECT_NE(o.output.find(s), std::string::npos) << "missing '" << s << "' in: " << o.output;
  }
  EXPECT_FALSE(fs::exists(Out("o"))) << "nothing written";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RefusedUpFront,
    ::testing::Values(
        RefusedSweep{"TypoInAnAxisKey",
                     "[axes]\n\"network.rtt_msx\" = [10, 20, 30, 40]\n",
                     {"sweep.toml:4:", "axes.\"network.rtt_msx\": unknown scenario key",
                      "did you mean network.rtt_ms?"}},
        RefusedSweep{"AxisKeyWithoutItsTable",
                     "[axes]\n\"rtt_ms\" = [10]\n",
                     {"axes.\"rtt_ms\"", "did you mean network.rtt_ms?"}},
        RefusedSweep{"AxisKeyInTheWrongTable",
                     "[axes]\n\"client.rtt_ms\" = [10]\n",
                     {"did you mean network.rtt_ms?"}},
        RefusedSweep{"TypoInAResourceField",
                     "[axes]\n\"resource[/app.js].sise\" = [1]\n",
                     {"did you mean resource[/app.js].size?"}},
        RefusedSweep{"NoResourceWithThatUrl",
                     "[axes]\n\"resource[/nope.js].size\" = [1]\n",
                     {"no resource has url \"/nope.js\""}},
        RefusedSweep{"AStringForANumber",
                     "[axes]\n\"network.rtt_ms\" = [10, \"fast\"]\n",
                     {"sweep.toml:4:25:", "value 'fast'", "expected a number"}},
        RefusedSweep{"AFloatForAnInteger",
                     "[axes]\n\"network.queue_packets\" = [10, 20.0]\n",
                     {"expected an integer", "got a float (20.0)"}},
        RefusedSweep{"ANumberInAUrlList",
                     "[axes.\"client.cache\"]\ncold = []\nodd = [1]\n",
                     {"axes.\"client.cache\"", "client.cache[0]: expected a URL string"}},
        RefusedSweep{
            "TypoInASetKey",
            "[set]\n\"client.conection\" = \"warm\"\n",
            {"set.\"client.conection\": unknown scenario key", "did you mean client.connection?"}}),
    [](const ::testing::TestParamInfo<RefusedSweep>& info) {
      return std::string(info.param.name);
    });

TEST_F(Sweep, ABrokenBaseIsBlamedOnTheBaseNotOnTheSetEntries) {
  std::ofstream(dir_ / "broken.toml") << std::string(kBase) << "[client]\ncahce = []\n";
  const fs::path sweep = dir_ / "broken-base.toml";
  std::ofstream(sweep) << "base = \"broken.toml\"\n[set]\n\"network.rtt_ms\" = 10\n";
  try {
    LoadSweepFile(sweep.string());
    ADD_FAILURE() << "accepted a broken base";
  } catch (const SweepError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(sweep.string() + ":1:8: base: "), std::string::npos) << what;
    EXPECT_NE(what.find("client.cahce: unknown key"), std::string::npos) << what;
    EXPECT_EQ(what.find("set."), std::string::npos) << what;
  }
}

TEST_F(Sweep, ABaseLargerThan64MiBIsRefusedWithTheLoadersMessage) {
  // The base as the loader would refuse it: a valid page, then (sparse) zeros past 64 MiB.
  const fs::path big = dir_ / "big.toml";
  std::ofstream(big) << kBase;
  fs::resize_file(big, kMaxFileBytes + 1);
  std::string loader_message;
  try {
    LoadScenarioFile(big.string());
  } catch (const ScenarioError& e) {
    loader_message = e.what();
  }
  ASSERT_NE(loader_message.find("file is too large"), std::string::npos) << loader_message;

  const fs::path sweep = dir_ / "big-base.toml";
  std::ofstream(sweep) << "base = \"big.toml\"\n[axes]\n\"network.rtt_ms\" = [10]\n";
  const Outcome o = Waterfall(sweep.string() + " -j 1 --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_EQ(Lines(o.output).size(), 1u) << o.output;
  EXPECT_NE(o.output.find(sweep.string() + ":1:8: base: " + loader_message), std::string::npos)
      << o.output;
  EXPECT_FALSE(fs::exists(Out("o"))) << "nothing written";
}

TEST_F(Sweep, AValueOfTheRightTypeThatTheScenarioRefusesFailsOnlyItsRun) {
  const Outcome o =
      Waterfall(WriteSweep("modes = [\"h2\"]\n[axes]\n\"network.tcp\" = [\"cubic\", \"renoo\"]\n"
                           "\"network.loss_rate\" = [0.0, 0.9]\n") +
                " -j 1 --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 4) << o.output;
  EXPECT_NE(o.output.find("3 of 4 runs failed"), std::string::npos) << o.output;
}

// ---- Files in the wrong place, and what a killed sweep leaves ----------------------------------

TEST_F(Sweep, ASweepFileGivenToRunIsNamedAsOne) {
  const std::string sweep = WriteSweep(kSmallSweep);
  const Outcome o =
      Shell(std::string(WATERFALL_BINARY) + " run " + sweep + " --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find(sweep + ": this is a sweep file: use `waterfall sweep " + sweep + "`"),
            std::string::npos)
      << o.output;
  EXPECT_EQ(o.output.find("did you mean"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(Out("o")));
}

TEST_F(Sweep, ASweepFileAsASweepsBaseIsNamedAsOne) {
  std::ofstream(dir_ / "inner.toml") << "base = \"base.toml\"\n[axes]\n\"network.rtt_ms\" = [10]\n";
  const fs::path outer = dir_ / "outer.toml";
  std::ofstream(outer) << "base = \"inner.toml\"\n";
  const Outcome o = Waterfall(outer.string() + " --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find(outer.string() + ":1:8: base: " + (dir_ / "inner.toml").string() +
                          " is a sweep file"),
            std::string::npos)
      << o.output;
  EXPECT_FALSE(fs::exists(Out("o")));
}

TEST_F(Sweep, AScenarioFileGivenToSweepIsNamedAsOne) {
  const std::string base = (dir_ / "base.toml").string();
  const Outcome o = Waterfall(base + " --out " + Out("o").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find(base + ": this is a scenario file: use `waterfall run " + base + "`"),
            std::string::npos)
      << o.output;
}

TEST_F(Sweep, TemporaryFilesOfDeadProcessesAreRemovedByTheNextRunAndALiveOnesAreKept) {
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  waitpid(dead, nullptr, 0);
  const std::string sweep = WriteSweep(kSmallSweep);
  const fs::path records = Out("o") / "records";
  fs::create_directories(records);
  const std::vector<fs::path> stale = {
      records / (".0123456789abcdef.json.tmp." + std::to_string(dead)),  // Ctrl-C: 0 bytes
      records / (".fedcba9876543210.json.tmp." + std::to_string(dead)),
      Out("o") / (".runs.csv.tmp." + std::to_string(dead))};
  std::ofstream(stale[0]).close();
  std::ofstream(stale[1]) << "{\"id\":";
  std::ofstream(stale[2]) << "network.rtt_ms,mode";
  // Another sweep sharing the directory, mid-write: this test process is alive.
  const fs::path live = records / (".00000000000000ff.json.tmp." + std::to_string(getpid()));
  std::ofstream(live).close();

  const Outcome o = Waterfall(sweep + " -q --out " + Out("o").string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  for (const fs::path& p : stale) EXPECT_FALSE(fs::exists(p)) << p;
  EXPECT_TRUE(fs::exists(live));
  EXPECT_EQ(CountRecords(Out("o")), 12u);
}

TEST_F(Sweep, ALossySweepWithFewSeedsSaysSoInItsSummary) {
  const Outcome lossy = Waterfall(WriteSweep(kSmallSweep) + " -j 1 --out " + Out("set").string());
  EXPECT_EQ(lossy.exit_code, 0) << lossy.output;
  EXPECT_NE(lossy.output.find("note: 2 seeds with random loss"), std::string::npos) << lossy.output;
  const Outcome axis =
      Waterfall(WriteSweep("modes = [\"h2\"]\n[axes]\n\"network.loss_rate\" = [0.0, 0.01]\n") +
                " -j 1 --out " + Out("axis").string());
  EXPECT_NE(axis.output.find("note: 1 seed with random loss"), std::string::npos) << axis.output;
  const Outcome clean =
      Waterfall(WriteSweep("modes = [\"h2\"]\n[axes]\n\"network.loss_rate\" = [0.0]\n") +
                " -j 1 --out " + Out("clean").string());
  EXPECT_EQ(clean.output.find("note:"), std::string::npos) << clean.output;
}

TEST(SweepKeys, ClosestScenarioKeySuggestsTheDottedKey) {
  EXPECT_EQ(ClosestScenarioKey("network.rtt_msx"), "network.rtt_ms");
  EXPECT_EQ(ClosestScenarioKey("rtt_ms"), "network.rtt_ms");
  EXPECT_EQ(ClosestScenarioKey("server.rtt_ms"), "network.rtt_ms");
  EXPECT_EQ(ClosestScenarioKey("client.conection"), "client.connection");
  EXPECT_EQ(ClosestScenarioKey("resource[/a.css].sise"), "resource[/a.css].size");
  EXPECT_EQ(ClosestScenarioKey("completely.different"), std::nullopt);
}

}  // namespace
