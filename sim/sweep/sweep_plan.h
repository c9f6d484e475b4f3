// A sweep: one base scenario, axes of values for scenario keys, modes and seeds. The runs are
// the cartesian product axes × modes × seeds, in a fixed order (first axis outermost, then
// mode, then seed), so every tool that reads a sweep agrees on it.
//
// Sweep file (TOML, see README "Sweeps"):
//   base = "../seed-200ms.toml"            # path relative to the sweep file
//   modes = ["h1", "h2"]                    # default: every mode
//   seeds = [1, 2, 3]                       # default: [1]
//   [set]                                   # fixed overrides of the base, optional
//   "client.connection" = "warm"
//   [axes]                                  # in file order; each a list of values ...
//   "network.rtt_ms" = [20, 50, 100]
//   [axes."client.cache"]                   # ... or a table of label = value
//   cold = []
//   warm = ["/style.css"]
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/scenario/scenario_loader.h"

namespace waterfall {

// Bad sweep file or command line: what() names the file, the key and the problem.
class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SweepAxis {
  std::string key;                  // dotted scenario key, as for --set
  std::vector<std::string> labels;  // CSV cell of each value
  std::vector<std::string> values;  // TOML text of each value
};

struct SweepPlan {
  std::string source_path;  // the sweep file
  std::string name;         // `name`, or the sweep file's stem
  std::string base_path;    // the base scenario, resolved against the sweep file
  std::string base_text;    // its contents, read once
  std::vector<Override> fixed;
  std::string scenario_name;  // the base's name, [set] applied
  LinkProfile network;        // the base's network, [set] applied (axes vary it further)
  std::vector<SweepAxis> axes;
  std::vector<std::string> modes;
  std::vector<uint32_t> seeds;
};

// One point of the product.
struct SweepRun {
  size_t index = 0;                 // position in the product
  std::vector<size_t> value_index;  // per axis
  std::string mode;
  uint32_t seed = 1;
  std::string id;  // 16 hex digits: a hash of everything that determines the result
};

// Most runs a sweep may have; beyond it a typo in an axis would fill the disk.
constexpr uint64_t kMaxSweepRuns = 10'000'000;

// IsSweepFile reads at most this much: a sweep file is a few lines, a larger file is not one.
constexpr size_t kMaxSweepFileBytes = size_t{1} << 20;

// Whether TOML text (a file) is a sweep file: a string `base` and no [[resource]]. For the
// message "this is a sweep file: use `waterfall sweep FILE`" when one is given where a scenario
// belongs.
bool LooksLikeSweep(const std::string& toml_text);
bool IsSweepFile(const std::string& path);

// Throws SweepError.
SweepPlan LoadSweepFile(const std::string& path);
SweepPlan LoadSweepText(const std::string& toml_text, const std::string& source_path);

std::vector<SweepRun> ExpandRuns(const SweepPlan& plan);

// With random loss a page's load time over seeds is wide and often bimodal (an RTO or none on
// the critical path): on loss.toml's 100-image page, medians of fewer seeds than this were
// more than 20 % off the 1000-seed median in over a quarter of disjoint seed groups (README,
// "Shipped sweeps").
constexpr size_t kStableMedianSeeds = 40;

// Whether any run of the plan has network.loss_rate > 0 (the base, [set] or an axis).
bool HasRandomLoss(const SweepPlan& plan);

// The base's fixed overrides followed by the run's axis values.
std::vector<Override> OverridesFor(const SweepPlan& plan, const SweepRun& run);

// "K/N" with 1 <= K <= N: the runs whose index % N == K - 1. Throws SweepError.
struct Shard {
  size_t k = 1;
  size_t n = 1;
  bool Contains(const SweepRun& run) const { return run.index % n == k - 1; }
};
Shard ParseShard(const std::string& text);

}  // namespace waterfall
