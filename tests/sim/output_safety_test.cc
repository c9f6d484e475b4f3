// `waterfall run` killed at random moments (SIGKILL: no handler runs) leaves the output
// directory with either no result file or complete, parseable ones (JSON and CSV); a temporary
// file left behind is hidden (".h2.json.tmp.<pid>") so that no "*.json" glob of a reader
// matches it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

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
  const fs::path dir = fs::temp_directory_path() / "waterfall-output-safety";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // 2000 images: about a second of wall time for the four modes, ~2 MB of JSON to write.
  const fs::path scenario = dir / "big.toml";
  {
    std::ofstream f(scenario);
    f << "name = \"big\"\n[network]\nrtt_ms = 20\nbandwidth_mbps = 100\n"
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

}  // namespace
