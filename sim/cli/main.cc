// waterfall: load one page over HTTP/1.1, HTTP/2, HTTP/2 push and 103 Early Hints in
// simulated time and report why one wins.
//
// Exit codes: sim/cli/exit_codes.h (README, "Command line", repeats its table; `waterfall
// exit-codes` prints it).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/cli/exit_codes.h"
#include "sim/io/atomic_file.h"
#include "sim/io/fnv1a.h"
#include "sim/report/plot.h"
#include "sim/report/resource_csv.h"
#include "sim/report/result_json.h"
#include "sim/run/run.h"
#include "sim/sweep/sweep_plan.h"
#include "sim/sweep/sweep_runner.h"

namespace fs = std::filesystem;
using namespace waterfall;

namespace {

struct RunCommand {
  std::string scenario_path;
  std::vector<std::string> modes;
  std::string out_dir;
  std::vector<std::string> sets;
  std::string seed = "1";
  bool pcap = false;
  bool plot = false;
  bool quiet = false;
};

std::string Cell(const std::optional<double>& ms) {
  if (!ms) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *ms);
  return buf;
}

// "  (timed out)", "  (2 resources reset or blocked)" or "".
std::string Incomplete(const RunResult& r) {
  if (r.timed_out) return "  (timed out)";
  const size_t n = r.IncompleteResources();
  if (n == 0) return "";
  return "  (" + std::to_string(n) + (n == 1 ? " resource" : " resources") + " reset or blocked)";
}

void PrintTable(const Scenario& scenario, const std::vector<RunResult>& runs) {
  const LinkProfile& n = scenario.network;
  std::printf("%s: %g ms RTT, %g Mbit/s, %s, loss %g%%, seed %u\n", scenario.name.c_str(), n.rtt_ms,
              n.bandwidth_mbps, ToString(n.tcp), n.loss_rate * 100, runs[0].seed);
  std::printf("%-9s %9s %13s %10s %11s %8s %6s %9s\n", "mode", "ttfb_ms", "start_render",
              "page_load", "bytes_down", "wasted", "conns", "requests");
  for (const RunResult& r : runs) {
    std::printf("%-9s %9s %13s %10s %11llu %8llu %6d %9llu%s\n", r.mode.c_str(),
                Cell(r.page.ttfb_ms).c_str(), Cell(r.page.start_render_ms).c_str(),
                Cell(r.page.page_load_ms).c_str(), static_cast<unsigned long long>(r.bytes_down),
                static_cast<unsigned long long>(r.page.bytes_wasted), r.connections,
                static_cast<unsigned long long>(r.page.requests), Incomplete(r).c_str());
  }
}

// Moves the run's captures from the scratch directory to DIR/<mode>-<node>-<dev>.pcap.
void PublishPcaps(const fs::path& scratch, const fs::path& out_dir) {
  for (const auto& entry : fs::directory_iterator(scratch)) {
    fs::rename(entry.path(), out_dir / entry.path().filename());
  }
}

// "--seed N": an integer in [1, 4294967295], as ns-3's run number; nullopt otherwise.
std::optional<uint32_t> ParseSeed(const std::string& text) {
  if (text.empty() || text.size() > 10 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const unsigned long long v = std::stoull(text);
  if (v < 1 || v > 4294967295ULL) return std::nullopt;
  return static_cast<uint32_t>(v);
}

// Why `dir` cannot receive the results, or "" when it can: it must be a directory this process
// can create files in, or, missing, its nearest existing ancestor one it can create a directory
// in. Permission bits do not tell (root ignores them, a read-only mount does not show in them),
// so a probe file (or directory) is created and removed. Creates nothing else.
std::string OutputDirProblem(const fs::path& dir) {
  fs::path existing = dir;
  std::error_code ec;
  while (!fs::exists(existing, ec)) {
    if (ec) return existing.string() + ": " + ec.message();
    const fs::path parent = existing.parent_path();
    if (parent.empty() || parent == existing) {
      existing = ".";
      break;
    }
    existing = parent;
  }
  const bool is_dir = fs::is_directory(existing, ec);
  if (ec) return existing.string() + ": " + ec.message();
  if (!is_dir) {
    if (existing == dir) return "it is a file, not a directory";
    return "cannot create it: " + existing.string() + " is a file, not a directory";
  }
  // What the run will do there: create files in DIR, or create DIR (mkdir) in `existing`.
  const fs::path probe = existing / (".waterfall-probe." + std::to_string(::getpid()));
  if (existing == dir) {
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return std::string("cannot write in it: ") + std::strerror(errno);
    ::close(fd);
    ::unlink(probe.c_str());
  } else {
    if (::mkdir(probe.c_str(), 0700) != 0) {
      return "cannot create it in " + existing.string() + ": " + std::strerror(errno);
    }
    ::rmdir(probe.c_str());
  }
  return "";
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error(path + ": cannot read file again: " + std::strerror(errno));
  return text.str();
}

// Result files in `dir` of modes this run did not write, left from a run with other settings
// (other --set, seed or scenario file, or a file without "run"): "h1.json", "h1.csv", ...
std::vector<std::string> OtherRunsFiles(const fs::path& dir, const std::set<std::string>& ran,
                                        const nlohmann::ordered_json& run_info, uint32_t seed) {
  std::vector<std::string> stale;
  for (const ModeSpec& m : AllModes()) {
    if (ran.count(m.name)) continue;
    const fs::path json = dir / (m.name + ".json");
    const fs::path csv = dir / (m.name + ".csv");
    std::error_code ec;
    bool differs = false;
    if (fs::exists(json, ec)) {
      std::ifstream in(json);
      const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      differs = j.is_discarded() || !j.is_object() || !j.contains("run") ||
                j["run"] != nlohmann::json::parse(run_info.dump()) || !j.contains("seed") ||
                j["seed"] != seed;
      if (differs) stale.push_back(json.filename().string());
    } else {
      differs = true;  // a per-resource CSV without its result file: nothing says what made it
    }
    if (differs && fs::exists(csv, ec)) stale.push_back(csv.filename().string());
  }
  return stale;
}

int Run(const RunCommand& cmd) {
  const std::optional<uint32_t> seed = ParseSeed(cmd.seed);
  if (!seed) {
    std::cerr << "waterfall: --seed: expected an integer in [1, 4294967295], got " << cmd.seed
              << "\n";
    return kExitBadInput;
  }
  std::vector<const ModeSpec*> modes;
  if (cmd.modes.empty()) {
    modes = DefaultModes();
  }
  std::set<std::string> ran;
  for (const std::string& name : cmd.modes) {
    const ModeSpec* m = FindMode(name);
    if (m == nullptr) {
      std::cerr << "waterfall: --mode " << name << ": unknown mode (modes: " << ModeNames()
                << ")\n";
      return kExitBadInput;
    }
    if (!ran.insert(m->name).second) {
      std::cerr << "waterfall: --mode " << name << " given twice (each mode runs once)\n";
      return kExitBadInput;
    }
    modes.push_back(m);
  }
  for (const ModeSpec* m : modes) ran.insert(m->name);
  std::vector<Override> overrides;
  Scenario scenario;
  try {
    for (const std::string& s : cmd.sets) overrides.push_back(ParseOverride(s));
    scenario = LoadScenarioFile(cmd.scenario_path, overrides);
  } catch (const ScenarioError& e) {
    if (IsSweepFile(cmd.scenario_path)) {
      std::cerr << "waterfall: " << cmd.scenario_path
                << ": this is a sweep file: use `waterfall sweep " << cmd.scenario_path << "`\n";
    } else {
      std::cerr << "waterfall: " << e.what() << "\n";
    }
    return kExitBadInput;
  }
  // Before running: one line per setting that dooms the run to time out.
  for (const std::string& w : ScenarioWarnings(scenario)) {
    std::cerr << "waterfall: warning: " << w << "\n";
  }
  const fs::path out_dir =
      cmd.out_dir.empty() ? fs::path("results") / scenario.name : fs::path(cmd.out_dir);
  if (const std::string problem = OutputDirProblem(out_dir); !problem.empty()) {
    std::cerr << "waterfall: "
              << (cmd.out_dir.empty() ? "output directory " + out_dir.string() + " (--out default)"
                                      : "--out " + cmd.out_dir)
              << ": " << problem << "\n";
    return kExitBadInput;
  }

  std::vector<RunResult> runs;
  std::vector<std::string> texts;
  RunProvenance provenance;
  provenance.overrides = cmd.sets;
  std::vector<std::string> csvs;  // DIR/<mode>.csv: the resources as a table
  fs::path scratch;
  try {
    provenance.scenario_fnv1a = Fnv1a64().AddBytes(ReadWholeFile(cmd.scenario_path)).Hex();
    fs::create_directories(out_dir);
    if (cmd.pcap) {
      scratch = out_dir / (".pcap-tmp-" + std::to_string(::getpid()));
      fs::create_directories(scratch);
    }
    for (const ModeSpec* mode : modes) {
      RunOptions options;
      options.seed = *seed;
      if (cmd.pcap) options.pcap_prefix = (scratch / mode->name).string();
      runs.push_back(RunPageLoad(scenario, *mode, options));
      const nlohmann::ordered_json result = ResultToJson(scenario, runs.back(), &provenance);
      texts.push_back(result.dump(2) + "\n");
      csvs.push_back(ResourcesToCsv(result.at("resources")));
    }
    // Every run succeeded: only now does anything appear in the output directory.
    for (size_t i = 0; i < runs.size(); ++i) {
      WriteFileAtomically((out_dir / (runs[i].mode + ".json")).string(), texts[i]);
      WriteFileAtomically((out_dir / (runs[i].mode + ".csv")).string(), csvs[i]);
    }
    if (cmd.pcap) {
      PublishPcaps(scratch, out_dir);
      fs::remove_all(scratch);
    }
  } catch (const std::exception& e) {
    if (!scratch.empty()) fs::remove_all(scratch);
    std::cerr << "waterfall: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  if (!cmd.quiet) PrintTable(scenario, runs);
  const std::vector<std::string> stale =
      OtherRunsFiles(out_dir, ran, ProvenanceToJson(provenance), *seed);
  if (!stale.empty()) {
    std::string list;
    for (const std::string& f : stale) list += (list.empty() ? "" : ", ") + f;
    std::cerr << "waterfall: warning: " << out_dir.string() << " also holds " << list
              << " from a run with other --set, --seed or scenario file; left as they are "
                 "(plots/compare.py refuses to mix them)\n";
  }
  if (cmd.plot) {
    std::vector<std::string> files;
    for (const RunResult& r : runs) files.push_back((out_dir / (r.mode + ".json")).string());
    const std::string chart = (out_dir / "waterfall.png").string();
    if (PlotWaterfall(files, chart) != 0) {
      std::cerr << "waterfall: --plot: plots/waterfall.py failed; results are in "
                << out_dir.string() << "\n";
      return kExitInternal;
    }
    if (!cmd.quiet) std::printf("chart: %s\n", chart.c_str());
  }
  if (!cmd.quiet) std::printf("results: %s/\n", out_dir.string().c_str());
  for (const RunResult& r : runs) {
    if (r.timed_out || r.IncompleteResources() > 0) return kExitIncomplete;
  }
  return kExitOk;
}

struct SweepCommand {
  std::string sweep_path;
  int jobs = 0;
  std::string out_dir;
  std::string shard;
  std::vector<std::string> merge_dirs;
  double run_wall_limit_s = 600;
  bool quiet = false;
};

void PrintSweepProblems(const SweepOutcome& out) {
  if (out.failed > 0) {
    std::cerr << "waterfall: " << out.failed << " of " << out.runs << " runs failed:\n";
    constexpr size_t kShown = 10;
    for (size_t i = 0; i < out.failures.size() && i < kShown; ++i) {
      std::cerr << "  " << out.failures[i] << "\n";
    }
    if (out.failures.size() > kShown) {
      std::cerr << "  ... and " << out.failures.size() - kShown
                << " more (the error column of the CSV or records)\n";
    }
  }
  if (out.timed_out > 0) {
    std::cerr << "waterfall: " << out.timed_out << " of " << out.runs
              << " runs hit client.timeout_ms (status timeout)\n";
  }
  if (out.incomplete > 0) {
    std::cerr << "waterfall: " << out.incomplete << " of " << out.runs
              << " runs settled with a resource reset or blocked (status incomplete)\n";
  }
}

int ExitCodeOf(const SweepOutcome& out) {
  if (out.interrupted) return kExitInterrupted;
  if (out.failed > 0 || out.missing > 0) return kExitRunsFailed;
  if (out.timed_out > 0 || out.incomplete > 0) return kExitIncomplete;
  return kExitOk;
}

int Sweep(const SweepCommand& cmd) {
  SweepPlan plan;
  std::optional<Shard> shard;
  try {
    plan = LoadSweepFile(cmd.sweep_path);
    if (!cmd.shard.empty()) shard = ParseShard(cmd.shard);
  } catch (const SweepError& e) {
    std::cerr << "waterfall: " << e.what() << "\n";
    return kExitBadInput;
  }
  if (cmd.merge_dirs.empty()) {
    // Once per sweep, for the base with its fixed overrides (LoadSweepFile has loaded it once
    // already, so it loads); the axes may change the verdict run by run.
    const Scenario base = LoadScenarioText(plan.base_text, plan.base_path, plan.fixed);
    for (const std::string& w : ScenarioWarnings(base)) {
      std::cerr << "waterfall: warning: " << w << " (the sweep's base, before its axes)\n";
    }
  }
  if (shard && !cmd.merge_dirs.empty()) {
    std::cerr << "waterfall: --shard and --merge do not go together: merge after all shards ran\n";
    return kExitBadInput;
  }
  const std::string out_dir =
      cmd.out_dir.empty() ? (fs::path("results") / "sweeps" / plan.name).string() : cmd.out_dir;
  if (const std::string problem = OutputDirProblem(out_dir); !problem.empty()) {
    std::cerr << "waterfall: "
              << (cmd.out_dir.empty() ? "output directory " + out_dir + " (--out default)"
                                      : "--out " + cmd.out_dir)
              << ": " << problem << "\n";
    return kExitBadInput;
  }
  const auto start = std::chrono::steady_clock::now();
  SweepOutcome out;
  try {
    if (!cmd.merge_dirs.empty()) {
      out = MergeSweep(plan, cmd.merge_dirs, out_dir);
    } else {
      SweepOptions options;
      options.out_dir = out_dir;
      options.jobs = cmd.jobs;
      options.shard = shard;
      options.quiet = cmd.quiet;
      options.run_wall_limit_s = cmd.run_wall_limit_s;
      out = RunSweep(plan, options);
    }
  } catch (const SweepError& e) {
    std::cerr << "waterfall: " << e.what() << "\n";
    return kExitBadInput;
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSweepProblems(out);
  if (out.interrupted) {
    std::cerr << "waterfall: interrupted: " << out.runs - out.missing << " of " << out.runs
              << " runs are recorded in " << out_dir
              << "/records; run the same command again to finish the rest\n";
  } else if (out.missing > 0) {
    std::cerr << "waterfall: --merge: " << out.missing << " of " << out.runs
              << " runs have no record in the given directories, e.g.\n";
    for (const std::string& m : out.missing_examples) std::cerr << "  " << m << "\n";
    std::cerr << "run the missing shards, then merge again; no runs.csv written\n";
  }
  if (!cmd.quiet && !out.interrupted && out.missing == 0) {
    const size_t ran = out.runs - out.resumed;
    std::printf(
        "sweep %s: %zu runs (%zu ok, %zu timeout, %zu incomplete, %zu failed), %zu run now in "
        "%.1f s",
        plan.name.c_str(), out.runs, out.ok, out.timed_out, out.incomplete, out.failed, ran,
        wall_s);
    if (ran > 0 && wall_s > 0) std::printf(" (%.1f runs/s)", ran / wall_s);
    std::printf("\n");
    if (HasRandomLoss(plan) && plan.seeds.size() < kStableMedianSeeds) {
      std::printf(
          "note: %zu seed%s with random loss: a median of fewer than %zu seeds can be far off "
          "(README, \"Shipped sweeps\")\n",
          plan.seeds.size(), plan.seeds.size() == 1 ? "" : "s", kStableMedianSeeds);
    }
    if (!out.csv_path.empty()) {
      std::printf("csv: %s\n", out.csv_path.c_str());
    } else {
      std::printf("records: %s/records (merge the shards with --merge)\n", out_dir.c_str());
    }
  }
  return ExitCodeOf(out);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"waterfall: web page loads over h1, h2, h2 push and 103 Early Hints, in ns-3"};
  app.require_subcommand(1);
  RunCommand run;
  CLI::App* run_cmd = app.add_subcommand("run", "load one scenario's page in each mode");
  run_cmd->add_option("scenario", run.scenario_path, "scenario TOML file")->required();
  run_cmd->add_option(
      "--mode", run.modes,
      "mode to run, repeatable: " + ModeNames() + " (default: " + DefaultModeNames() + ")");
  run_cmd->add_option("--out", run.out_dir, "output directory (default: results/<scenario name>/)");
  run_cmd->add_option("--set", run.sets,
                      "override a scenario key, KEY=VALUE (VALUE is TOML), repeatable");
  run_cmd->add_option("--seed", run.seed, "random seed (ns-3 run number), 1 to 4294967295")
      ->type_name("N");
  run_cmd->add_flag("--pcap", run.pcap,
                    "capture the bottleneck link to DIR/<mode>-<node>-<dev>.pcap");
  run_cmd->add_flag("--plot", run.plot,
                    "draw the modes' waterfalls to DIR/waterfall.png (plots/waterfall.py)");
  run_cmd->add_flag("-q,--quiet", run.quiet, "print nothing on success");
  SweepCommand sweep;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "run a sweep file's runs (axes x modes x seeds) and write DIR/runs.csv");
  sweep_cmd->add_option("sweep", sweep.sweep_path, "sweep TOML file")->required();
  sweep_cmd->add_option("-j,--jobs", sweep.jobs, "worker processes (default: one per core)")
      ->check(CLI::Range(1, 256));
  sweep_cmd->add_option("--out", sweep.out_dir,
                        "output directory (default: results/sweeps/<sweep name>/)");
  sweep_cmd->add_option("--shard", sweep.shard,
                        "K/N: run only the K-th of N deterministic slices; records only");
  sweep_cmd
      ->add_option("--merge", sweep.merge_dirs,
                   "run nothing: merge the records in these shard directories into "
                   "--out/runs.csv")
      ->expected(1, -1);
  sweep_cmd
      ->add_option("--run-wall-limit", sweep.run_wall_limit_s,
                   "seconds of wall clock after which a run is killed and failed")
      ->check(CLI::Range(1.0, 86400.0));
  sweep_cmd->add_flag("-q,--quiet", sweep.quiet, "no progress and no summary");
  CLI::App* codes_cmd =
      app.add_subcommand("exit-codes", "print the exit statuses and what each means");
  if (argc > 1 && argv[1][0] != '-') {
    const std::vector<std::string> commands = {"run", "sweep", "exit-codes"};
    const std::string word = argv[1];
    if (std::find(commands.begin(), commands.end(), word) == commands.end()) {
      std::cerr << "waterfall: unknown command '" << word << "'";
      if (auto near = ClosestWord(word, commands)) std::cerr << "; did you mean '" << *near << "'?";
      std::cerr << " (commands: run, sweep, exit-codes)\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  try {
    if (*run_cmd) return Run(run);
    if (*sweep_cmd) return Sweep(sweep);
    if (*codes_cmd) {
      for (const ExitCode& c : kExitCodes) std::printf("%d\t%s\n", c.code, c.meaning);
      return kExitOk;
    }
  } catch (const std::exception& e) {
    std::cerr << "waterfall: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return 0;
}
