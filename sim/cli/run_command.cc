#include "sim/cli/run_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/output_dir.h"
#include "sim/io/atomic_file.h"
#include "sim/io/fnv1a.h"
#include "sim/report/har_json.h"
#include "sim/report/plot.h"
#include "sim/report/resource_csv.h"
#include "sim/report/result_json.h"
#include "sim/run/run.h"
#include "sim/sweep/sweep_plan.h"

namespace waterfall {

namespace fs = std::filesystem;

namespace {

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

// Result files in `dir` of modes this run did not write, left from a run with other settings
// (other --set, seed or scenario file, or a file without "run"): "h1.json", "h1.csv", ...
std::vector<std::string> OtherRunsFiles(const fs::path& dir, const std::set<std::string>& ran,
                                        const nlohmann::ordered_json& run_info, uint32_t seed) {
  std::vector<std::string> stale;
  const nlohmann::json this_run = nlohmann::json::parse(run_info.dump());  // unordered, to compare
  for (const ModeSpec& m : AllModes()) {
    if (ran.count(m.name)) continue;
    const fs::path json = dir / (m.name + ".json");
    const fs::path csv = dir / (m.name + ".csv");
    std::error_code ec;
    bool differs = false;
    if (fs::exists(json, ec)) {
      std::ifstream in(json);
      const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      differs = j.is_discarded() || !j.is_object() || !j.contains("run") || j["run"] != this_run ||
                !j.contains("seed") || j["seed"] != seed;
      if (differs) stale.push_back(json.filename().string());
    } else {
      differs = true;  // a per-resource CSV without its result file: nothing says what made it
    }
    if (differs && fs::exists(csv, ec)) stale.push_back(csv.filename().string());
  }
  return stale;
}

}  // namespace

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
  std::string scenario_text;  // read once: what is loaded is what the result's hash names
  try {
    for (const std::string& s : cmd.sets) overrides.push_back(ParseOverride(s));
    scenario_text = ReadFile(cmd.scenario_path);
    scenario = LoadScenarioText(scenario_text, cmd.scenario_path, overrides);
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
  provenance.scenario_fnv1a = Fnv1a64().AddBytes(scenario_text).Hex();
  std::vector<std::string> csvs;  // DIR/<mode>.csv: the resources as a table
  std::vector<std::string> hars;  // --har: DIR/<mode>.har
  fs::path scratch;
  try {
    fs::create_directories(out_dir);
    if (cmd.pcap) {
      scratch = out_dir / (".pcap-tmp-" + std::to_string(::getpid()));
      fs::create_directories(scratch);
    }
    for (const ModeSpec* mode : modes) {
      RunOptions options;
      options.seed = *seed;
      if (cmd.pcap) options.pcap_prefix = (scratch / mode->name).string();
      options.keylog = cmd.keylog;
      options.record_headers = cmd.har;
      runs.push_back(RunPageLoad(scenario, *mode, options));
      const nlohmann::ordered_json result = ResultToJson(scenario, runs.back(), &provenance);
      texts.push_back(result.dump(2) + "\n");
      csvs.push_back(ResourcesToCsv(result.at("resources")));
      if (cmd.har) hars.push_back(RunToHar(scenario, *mode, runs.back()).dump(2) + "\n");
    }
    // Every run succeeded: only now does anything appear in the output directory.
    for (size_t i = 0; i < runs.size(); ++i) {
      WriteFileAtomically((out_dir / (runs[i].mode + ".json")).string(), texts[i]);
      WriteFileAtomically((out_dir / (runs[i].mode + ".csv")).string(), csvs[i]);
      if (cmd.har) WriteFileAtomically((out_dir / (runs[i].mode + ".har")).string(), hars[i]);
      if (cmd.keylog) {
        std::string keys;
        for (const std::string& line : runs[i].keylog) keys += line + "\n";
        WriteFileAtomically((out_dir / (runs[i].mode + ".keys")).string(), keys);
      }
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

}  // namespace waterfall
