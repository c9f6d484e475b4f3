// `waterfall run` killed at random moments (SIGKILL: no handler runs) leaves the output
// directory with either no result file or complete, parseable ones (JSON and CSV); a temporary
// file left behind is hidden (".h2.json.tmp.<pid>") so that no "*.json" glob of a reader
// matches it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "sim/io/atomic_file.h"
#include "sim/report/result_json.h"
#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace {

// Starts `waterfall run` on `scenario` into `out`, quietly; returns its pid.
pid_t Spawn(const fs::path& scenario, const fs::path& out) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(WATERFALL_BINARY, WATERFALL_BINARY, "run", scenario.c_str(), "--out", out.c_str(), "-q",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Every visible file is a whole result (JSON, or the CSV of its resources: a header and
// `rows` lines); hidden ones are temporaries of an interrupted write.
void ExpectOnlyCompleteResults(const fs::path& out, const std::string& context, size_t rows) {
  if (!fs::exists(out)) return;
  for (const auto& entry : fs::directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    if (name[0] == '.') {
      EXPECT_TRUE(name.find(".json.tmp.") != std::string::npos ||
                  name.find(".csv.tmp.") != std::string::npos)
          << context << ": " << name;
      continue;
    }
    std::ifstream in(entry.path());
    if (entry.path().extension() == ".csv") {
      std::string line;
      size_t lines = 0;
      while (std::getline(in, line)) ++lines;
      EXPECT_EQ(lines, 1 + rows) << context << ": " << name << " is not a complete CSV";
      continue;
    }
    EXPECT_EQ(entry.path().extension(), ".json") << context << ": " << name;
    nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(j.is_discarded()) << context << ": " << name << " is not complete JSON";
    EXPECT_TRUE(j.contains("metrics") && j.contains("resources")) << context << ": " << name;
  }
}

TEST(OutputSafety, KilledRunLeavesNoResultOrWholeResults) {
  const fs::path dir =
      fs::temp_directory_path() / ("waterfall-output-safety-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // 2000 images: about a second of wall time for the four modes, ~2 MB of JSON to write.
  const fs::path scenario = dir / "big.toml";
  {
    std::ofstream f(scenario);
    // hints = []: a 103 hinting 2000 images would not fit in one header block (docs/limits.md).
    f << "name = \"big\"\n[network]\nrtt_ms = 20\nbandwidth_mbps = 100\n[server]\nhints = []\n"
         "[[resource]]\nurl = \"/\"\ntype = \"document\"\nsize = 50000\n";
    for (int i = 0; i < 2000; ++i) {
      f << "[[resource]]\nurl = \"/img" << i
        << ".png\"\ntype = \"image\"\nsize = 3000\nparent = \"/\"\n";
    }
  }
  // One uninterrupted run sets the time scale.
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  waitpid(Spawn(scenario, dir / "whole"), &status, 0);
  const double whole_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  constexpr size_t kResources = 2001;
  ExpectOnlyCompleteResults(dir / "whole", "uninterrupted", kResources);
  ASSERT_EQ(std::distance(fs::directory_iterator(dir / "whole"), fs::directory_iterator()),
            4 * 2);  // <mode>.json and <mode>.csv

  // Kill points spread over the run, weighted to its end, where the files are written.
  std::mt19937 random(12345);
  std::uniform_real_distribution<double> fraction(0.5, 1.05);
  for (int k = 0; k < 8; ++k) {
    const double delay_ms = (k == 0 ? 0.05 : fraction(random)) * whole_ms;
    const fs::path out = dir / ("killed-" + std::to_string(k));
    const pid_t pid = Spawn(scenario, out);
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(delay_ms));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ExpectOnlyCompleteResults(out, "killed after " + std::to_string(delay_ms) + " ms", kResources);
  }
  fs::remove_all(dir);
  RecordProperty("whole_run_ms", std::to_string(whole_ms));
}

// ---- An output directory that cannot take the results is refused before anything runs ------

using waterfall::testing::Outcome;
using waterfall::testing::Shell;

class OutputDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("waterfall-outdir-" + std::to_string(::getpid()) + "-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "page.toml")
        << "name = \"page\"\n[[resource]]\nurl = \"/\"\ntype = \"document\"\nsize = 1000\n";
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      if (e.is_directory()) fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add);
    }
    fs::remove_all(dir_);
  }
  Outcome Run(const std::string& out) {
    return Shell(std::string(WATERFALL_BINARY) + " run " + (dir_ / "page.toml").string() +
                 " --mode h2 --out " + out);
  }
  // The one line a refused --out gets: names the directory and the reason, exit 2, no
  // "internal error", no scenario file prefix.
  void ExpectRefused(const Outcome& o, const std::string& out, const std::string& reason) {
    EXPECT_EQ(o.exit_code, 2) << o.output;
    EXPECT_EQ(o.output, "waterfall: --out " + out + ": " + reason + "\n");
  }

  fs::path dir_;
};

// A directory this process cannot create files in, whoever it runs as: a 0555 directory for
// an ordinary user; for root (which permission bits do not stop, as on CI) sysfs, where nobody
// can create a file. "" when neither is available.
std::string UnwritableDir(const fs::path& scratch) {
  if (::geteuid() != 0) {
    const fs::path ro = scratch / "read-only";
    fs::create_directories(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
    return ro.string();
  }
  const std::string sys = "/sys/kernel";
  if (!fs::is_directory(sys)) return "";
  const std::string probe = sys + "/.waterfall-test-probe";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    ::close(fd);
    ::unlink(probe.c_str());
    return "";
  }
  return errno == EACCES ? sys : "";
}

TEST_F(OutputDir, ThatIsAFileIsRefusedWithExitTwoBeforeSimulating) {
  const fs::path file = dir_ / "results";
  std::ofstream(file) << "not a directory\n";
  ExpectRefused(Run(file.string()), file.string(), "it is a file, not a directory");
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "not a directory\n");
}

TEST_F(OutputDir, UnderAFileIsRefusedNamingTheFile) {
  const fs::path file = dir_ / "results";
  std::ofstream(file) << "x";
  const std::string out = (file / "a" / "b").string();
  ExpectRefused(Run(out), out,
                "cannot create it: " + file.string() + " is a file, not a directory");
}

TEST_F(OutputDir, ThatCannotBeWrittenIsRefusedWithTheRealReason) {
  const std::string ro = UnwritableDir(dir_);
  if (ro.empty()) GTEST_SKIP() << "no directory this process cannot write (root without sysfs)";
  ExpectRefused(Run(ro), ro, "cannot write in it: Permission denied");
  // Missing, to be created in that directory: the reason is the kernel's for that mkdir
  // (EACCES for a 0555 directory, EPERM in sysfs), whatever it is.
  const std::string below = ro + "/new";
  ASSERT_NE(::mkdir(below.c_str(), 0700), 0);
  const std::string reason = std::strerror(errno);
  ExpectRefused(Run(below), below, "cannot create it in " + ro + ": " + reason);
  EXPECT_FALSE(fs::exists(below));
}

TEST_F(OutputDir, OfASweepIsCheckedTheSameWayBeforeAnyRun) {
  std::ofstream(dir_ / "sweep.toml") << "base = \"page.toml\"\nmodes = [\"h2\"]\n";
  const fs::path file = dir_ / "results";
  std::ofstream(file) << "x";
  Outcome o = Shell(std::string(WATERFALL_BINARY) + " sweep " + (dir_ / "sweep.toml").string() +
                    " -q -j 1 --out " + file.string());
  ExpectRefused(o, file.string(), "it is a file, not a directory");
}

TEST_F(OutputDir, ThatIsMissingIsCreatedWithItsParents) {
  const fs::path out = dir_ / "a" / "b" / "c";
  Outcome o = Run(out.string() + " -q");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(fs::exists(out / "h2.json"));
  EXPECT_TRUE(fs::exists(out / "h2.csv"));
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 2)
      << "h2.json and h2.csv, no probe file left behind";
}

TEST(WriteFileAtomically, ReportsWhyTheWriteFailedNotWhyTheCleanupDid) {
  const std::string ro = UnwritableDir(fs::temp_directory_path() /
                                       ("waterfall-atomic-ro-" + std::to_string(::getpid())));
  if (ro.empty()) GTEST_SKIP() << "no directory this process cannot write (root without sysfs)";
  try {
    waterfall::WriteFileAtomically(ro + "/h2.json", "{}\n");
    ADD_FAILURE() << "wrote into " << ro;
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), ro + "/h2.json: cannot write: Permission denied");
  }
  fs::path scratch =
      fs::temp_directory_path() / ("waterfall-atomic-ro-" + std::to_string(::getpid()));
  if (fs::exists(scratch)) {
    fs::permissions(scratch / "read-only", fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(scratch);
  }
}

}  // namespace
