// waterfall's benchmarks (Google Benchmark): how fast a simulated page load is, and how close
// to the floors below it (ns-3 alone, nghttp2 alone). scripts/bench runs them in Release and
// bench/summary.py turns the JSON into a table with the harness overhead ratios.
//
//   PageLoad/<mode>/<resources>     RunPageLoad of the generated page (bench/page_gen.h);
//                                   <resources> "300x50": 300 resources on 50 origins
//   PageLoadTls/<mode>/100          the 100-resource page over HTTPS (GenerateHttpsPage: TLS
//                                   1.3, ECDSA P-256, chain depth 2): what TLS costs in CPU
//   Floor/Ns3BulkSend/<bytes>       ns-3 BulkSend -> PacketSink, the page's body bytes (the
//                                   300x50 page: one BulkSend per origin's server node)
//   Floor/Nghttp2Memory/<resources> raw nghttp2 client <-> server in memory, the same page
//   SeedPage/<mode>                 scenarios/seed-200ms.toml, in a long-lived process
//   Memory/RssOver1000Runs          VmRSS after 10 and after 1,000 seed-page loads
//
// Rates are per wall-clock second (UseRealTime). Two helpers bypass Google Benchmark:
// `--write_page=N` (or `=NxO`, on O origins) prints the generated page as scenario TOML, and
// `--profile=N,MODE,RUNS` loads it RUNS times (N = 0: the seed page; N = RxO: R resources on
// O origins, e.g. 300x50; MODE bulk or nghttp2: the floors), for callgrind. With `--tls`
// as well, both use the page over HTTPS (N resources: GenerateHttpsPage; N = 0:
// scenarios/seed-200ms-https.toml), e.g. `--profile=100,h2,4 --tls`.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/floors.h"
#include "bench/page_gen.h"
#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/run/run.h"

namespace waterfall::bench {

namespace {
constexpr size_t kPageSizes[] = {10, 100, 1000};
// The multi-origin page (issue 12): about the CNN capture's 292 requests, on half its origins.
constexpr size_t kMultiOriginResources = 300;
constexpr size_t kMultiOriginOrigins = 50;
// The page PageLoadTls loads: the "100-resource bench page".
constexpr size_t kTlsPageResources = 100;

// The generated page of `resources` resources; on `origins` origins when origins > 0, else
// over HTTPS when tls.
const Scenario& Page(size_t resources, size_t origins = 0, bool tls = false) {
  static std::map<std::tuple<size_t, size_t, bool>, Scenario> pages;
  const auto key = std::make_tuple(resources, origins, tls);
  auto it = pages.find(key);
  if (it == pages.end()) {
    it = pages
             .emplace(key, origins > 0 ? GenerateMultiOriginPage(resources, origins)
                           : tls       ? GenerateHttpsPage(resources)
                                       : GeneratePage(resources))
             .first;
  }
  return it->second;
}

// "300x50" for a multi-origin page, "100" for a one-origin one.
std::string PageLabel(size_t resources, size_t origins) {
  return std::to_string(resources) + (origins > 0 ? "x" + std::to_string(origins) : "");
}

// The ns-3 floor of a page: one BulkSend over the one-origin path, or one per server node of
// a multi-origin page's star.
FloorResult BulkSendFloor(const Scenario& page) {
  return page.origins.empty() ? RunBulkSend(page.network, PageBodyBytes(page)) : RunBulkSend(page);
}

// Totals over the iterations, reported as averages per run and as rates per wall second.
struct Totals {
  double simulated_s = 0;
  double events = 0;
  double bytes = 0;

  void Report(benchmark::State& state) const {
    using benchmark::Counter;
    state.counters["sim_s_per_s"] = Counter(simulated_s, Counter::kIsRate);
    state.counters["events_per_s"] = Counter(events, Counter::kIsRate);
    state.counters["bytes_per_s"] = Counter(bytes, Counter::kIsRate);
    state.counters["sim_ms"] = Counter(simulated_s * 1e3, Counter::kAvgIterations);
    state.counters["events"] = Counter(events, Counter::kAvgIterations);
    state.counters["bytes"] = Counter(bytes, Counter::kAvgIterations);
  }
};

void LoadPage(benchmark::State& state, const Scenario* page, const ModeSpec* mode) {
  Totals totals;
  RunOptions options;
  for (auto _ : state) {
    RunResult r = RunPageLoad(*page, *mode, options);
    if (r.timed_out) {
      state.SkipWithError("the page did not finish");
      break;
    }
    totals.simulated_s += r.simulated_ms / 1e3;
    totals.events += static_cast<double>(r.events);
    totals.bytes += static_cast<double>(r.bytes_down);
  }
  totals.Report(state);
}

void BulkSend(benchmark::State& state, const Scenario* page) {
  Totals totals;
  for (auto _ : state) {
    FloorResult r = BulkSendFloor(*page);
    totals.simulated_s += r.simulated_ms / 1e3;
    totals.events += static_cast<double>(r.events);
    totals.bytes += static_cast<double>(r.bytes);
  }
  totals.Report(state);
  state.counters["resources"] = static_cast<double>(page->resources.size());
  state.counters["origins"] = static_cast<double>(std::max<size_t>(page->origins.size(), 1));
}

void Nghttp2Memory(benchmark::State& state, const Scenario* page) {
  Totals totals;
  for (auto _ : state) {
    FloorResult r = RunNghttp2Memory(*page);
    totals.bytes += static_cast<double>(r.bytes);
  }
  totals.Report(state);
}

// scenarios/seed-200ms.toml, or with tls seed-200ms-https.toml (the same page over HTTPS).
const Scenario& SeedScenario(bool tls = false) {
  if (tls) {
    static const Scenario seed_https =
        LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/seed-200ms-https.toml");
    return seed_https;
  }
  static const Scenario seed =
      LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/seed-200ms.toml");
  return seed;
}

// Resident and peak resident set of this process, in kB (/proc/self/status).
long StatusKb(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const size_t n = std::strlen(field);
  while (std::getline(status, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::stol(line.substr(n + 1));
    }
  }
  return -1;
}

// 1,000 seed-page loads, the four modes in turn: RSS must not grow with the number of runs.
void RssOver1000Runs(benchmark::State& state) {
  constexpr int kWarmupRuns = 10, kRuns = 1000;
  const auto& modes = DefaultModes();
  for (auto _ : state) {
    long rss_after_warmup = 0;
    for (int i = 0; i < kRuns; ++i) {
      RunPageLoad(SeedScenario(), *modes[i % modes.size()], RunOptions{});
      if (i + 1 == kWarmupRuns) rss_after_warmup = StatusKb("VmRSS");
    }
    long rss_end = StatusKb("VmRSS");
    state.counters["rss_kb_after_10"] = static_cast<double>(rss_after_warmup);
    state.counters["rss_kb_after_1000"] = static_cast<double>(rss_end);
    state.counters["rss_growth_kb"] = static_cast<double>(rss_end - rss_after_warmup);
    state.counters["peak_rss_kb"] = static_cast<double>(StatusKb("VmHWM"));
  }
}

void RegisterAll() {
  // (resources, origins): the one-origin pages, then the multi-origin one.
  std::vector<std::pair<size_t, size_t>> pages;
  for (size_t n : kPageSizes) pages.emplace_back(n, 0);
  pages.emplace_back(kMultiOriginResources, kMultiOriginOrigins);
  for (const ModeSpec* mode : DefaultModes()) {
    for (const auto& [n, origins] : pages) {
      std::string name = "PageLoad/" + mode->name + "/" + PageLabel(n, origins);
      benchmark::RegisterBenchmark(name.c_str(), LoadPage, &Page(n, origins), mode)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
  for (const ModeSpec* mode : DefaultModes()) {
    std::string name = "PageLoadTls/" + mode->name + "/" + std::to_string(kTlsPageResources);
    benchmark::RegisterBenchmark(name.c_str(), LoadPage, &Page(kTlsPageResources, 0, true), mode)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (const auto& [n, origins] : pages) {
    std::string name = "Floor/Ns3BulkSend/" + std::to_string(PageBodyBytes(Page(n, origins)));
    benchmark::RegisterBenchmark(name.c_str(), BulkSend, &Page(n, origins))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (const auto& [n, origins] : pages) {
    std::string name = "Floor/Nghttp2Memory/" + PageLabel(n, origins);
    benchmark::RegisterBenchmark(name.c_str(), Nghttp2Memory, &Page(n, origins))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (const ModeSpec* mode : DefaultModes()) {
    std::string name = "SeedPage/" + mode->name;
    benchmark::RegisterBenchmark(name.c_str(), LoadPage, &SeedScenario(), mode)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("Memory/RssOver1000Runs", RssOver1000Runs)
      ->Unit(benchmark::kSecond)
      ->Iterations(1)
      ->UseRealTime();
}
}  // namespace

int Profile(size_t resources, size_t origins, const std::string& mode_name, size_t runs, bool tls) {
  if (tls && origins > 0) {
    std::fprintf(stderr, "--tls: only for the one-origin page and the seed page\n");
    return 2;
  }
  if (mode_name == "bulk" || mode_name == "nghttp2") {
    const Scenario& page = Page(resources, origins);
    uint64_t bytes = 0;
    for (size_t i = 0; i < runs; ++i) {
      bytes += mode_name == "bulk" ? BulkSendFloor(page).bytes : RunNghttp2Memory(page).bytes;
    }
    std::printf("%zu runs of %s: %llu bytes\n", runs, mode_name.c_str(),
                static_cast<unsigned long long>(bytes));
    return 0;
  }
  const ModeSpec* mode = FindMode(mode_name);
  if (mode == nullptr) {
    std::fprintf(stderr, "--profile: unknown mode %s\n", mode_name.c_str());
    return 2;
  }
  const Scenario& page = resources == 0 ? SeedScenario(tls) : Page(resources, origins, tls);
  uint64_t events = 0;
  for (size_t i = 0; i < runs; ++i) events += RunPageLoad(page, *mode, RunOptions{}).events;
  std::printf("%zu runs of %s over %s: %llu events\n", runs, page.name.c_str(), mode->name.c_str(),
              static_cast<unsigned long long>(events));
  return 0;
}

}  // namespace waterfall::bench

int main(int argc, char** argv) {
  // --tls: --write_page and --profile use the page over HTTPS.
  bool tls = false;
  for (int i = 1; i < argc; ++i) tls = tls || std::strcmp(argv[i], "--tls") == 0;
  for (int i = 1; i < argc; ++i) {
    // --write_page=N, or --write_page=NxO (N resources on O origins).
    size_t n = 0, origins = 0;
    if (std::sscanf(argv[i], "--write_page=%zux%zu", &n, &origins) == 2) {
      if (tls) {
        std::fputs("--tls: only for the one-origin page\n", stderr);
        return 2;
      }
      std::fputs(waterfall::bench::PageToToml(waterfall::bench::GenerateMultiOriginPage(n, origins))
                     .c_str(),
                 stdout);
      return 0;
    }
    if (std::strncmp(argv[i], "--write_page=", 13) == 0) {
      n = std::strtoul(argv[i] + 13, nullptr, 10);
      std::fputs(waterfall::bench::PageToToml(tls ? waterfall::bench::GenerateHttpsPage(n)
                                                  : waterfall::bench::GeneratePage(n))
                     .c_str(),
                 stdout);
      return 0;
    }
  }
  for (int i = 1; i < argc; ++i) {
    size_t n = 0, origins = 0, runs = 0;
    char mode[16] = {};
    // --profile=N,MODE,RUNS or --profile=NxO,MODE,RUNS (N resources on O origins).
    if (std::sscanf(argv[i], "--profile=%zux%zu,%15[^,],%zu", &n, &origins, mode, &runs) == 4 ||
        std::sscanf(argv[i], "--profile=%zu,%15[^,],%zu", &n, mode, &runs) == 3) {
      return waterfall::bench::Profile(n, origins, mode, runs, tls);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  waterfall::bench::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
