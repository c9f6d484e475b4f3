#include "sim/sweep/sweep_plan.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "models/http/mode.h"
#include "sim/io/fnv1a.h"

namespace waterfall {

namespace fs = std::filesystem;

namespace {

// "file:line:col: key: problem", the loader's message shape (toml_diagnostics.h).
class SweepReporter {
 public:
  explicit SweepReporter(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void Fail(const std::string& key, const std::string& problem,
                         const toml::source_region& at = {}) const {
    throw SweepError(Located(source_, PosOf(at)) + ": " + key + ": " + problem);
  }

 private:
  std::string source_;
};

// A float in its shortest exact form (toml++ writes 0.005 as 0.0050000000000000001), still
// TOML float syntax: 1 becomes 1.0; inf and nan stay as they are.
std::string FloatText(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string text(buf, ec == std::errc() ? end : buf);
  if (text.find_first_of(".eni") == std::string::npos) text += ".0";
  return text;
}

std::string TomlText(const toml::node& value) {
  if (const auto* f = value.as_floating_point()) return FloatText(f->get());
  std::ostringstream out;
  value.visit([&](const auto& v) { out << v; });
  return out.str();
}

// What a value looks like in a CSV cell: strings bare, everything else as TOML.
std::string Label(const toml::node& value) {
  if (const auto* s = value.as_string()) return s->get();
  return TomlText(value);
}

// toml++ tables iterate in key order; a sweep's axes and labels keep the file's order.
std::vector<std::pair<std::string, const toml::node*>> InFileOrder(const toml::table& table) {
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [key, node] : table) entries.emplace_back(std::string(key.str()), &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.second->source().begin;
    const auto& pb = b.second->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return entries;
}

// The loader's ReadFile (64 MiB limit), its ScenarioError as a SweepError.
std::string ReadSweepInput(const std::string& path, const std::string& what) {
  try {
    return ReadFile(path, what);
  } catch (const ScenarioError& e) {
    throw SweepError(e.what());
  }
}

// "an integer", "an array of [a string]": what a sweep value is, as far as a key's type goes.
std::string Shape(const toml::node& value) {
  const toml::array* array = value.as_array();
  if (!array) return TypeName(value);
  std::set<std::string> elements;
  for (const toml::node& e : *array) elements.insert(Shape(e));
  std::string shape = "an array of [";
  for (const std::string& e : elements) shape += e + ";";
  return shape + "]";
}

// The base with [set] and one more override: an unknown key or a value of the wrong type would
// fail every run that uses it, so the sweep is refused before anything runs. A value of the right
// type that the loader refuses anyway (network.rtt_ms = -5, or a resource size that leaves a
// child's discover_at beyond its parent) fails only its runs, later, with the loader's message.
// Returns whether the value loads.
bool CheckOverride(const SweepPlan& plan, const std::vector<Override>& before, const Override& o,
                   const std::string& where, const toml::node& at, const SweepReporter& rep) {
  std::vector<Override> overrides = before;
  overrides.push_back(o);
  try {
    LoadScenarioText(plan.base_text, plan.base_path, overrides);
    return true;
  } catch (const ScenarioError& e) {
    if (e.kind() == ScenarioErrorKind::kValue) return false;
    std::string problem;
    if (e.kind() == ScenarioErrorKind::kUnknownKey) {
      if (e.problem().rfind("unknown key", 0) == 0) {
        problem = "unknown scenario key";
        if (const auto near = ClosestScenarioKey(o.key)) problem += "; did you mean " + *near + "?";
      } else {
        problem = e.problem();
      }
      problem += " (base " + plan.base_path + ")";
    } else {
      problem = "value " + o.value + ": ";
      if (!e.key().empty() && e.key() != o.key) problem += e.key() + ": ";
      problem += e.problem();
    }
    rep.Fail(where, problem, at.source());
  }
}

SweepAxis ParseAxis(const SweepPlan& plan, const std::string& key, const toml::node& node,
                    const SweepReporter& rep) {
  const std::string where = "axes.\"" + key + "\"";
  SweepAxis axis;
  axis.key = key;
  std::vector<const toml::node*> nodes;  // each value's, for its position
  try {
    ParseOverride(key + "=0");  // the key's shape; its meaning is checked against the base
  } catch (const ScenarioError& e) {
    rep.Fail(where, "not a scenario key (" + std::string(e.what()) + ")", node.source());
  }
  if (const toml::array* values = node.as_array()) {
    for (const toml::node& v : *values) {
      if (v.is_table() || v.is_array_of_tables()) {
        rep.Fail(where, "values must be numbers, strings, booleans or arrays, got a table",
                 v.source());
      }
      axis.labels.push_back(Label(v));
      axis.values.push_back(TomlText(v));
      nodes.push_back(&v);
    }
  } else if (const toml::table* named = node.as_table()) {
    for (const auto& [label, v] : InFileOrder(*named)) {
      if (v->is_table())
        rep.Fail(where + "." + label, "expected a value, got a table", v->source());
      axis.labels.push_back(label);
      axis.values.push_back(TomlText(*v));
      nodes.push_back(v);
    }
  } else {
    rep.Fail(
        where,
        std::string("expected a list of values or a table of label = value, got ") + TypeName(node),
        node.source());
  }
  if (axis.values.empty()) rep.Fail(where, "has no values; give at least one", node.source());
  std::set<std::string> seen;
  for (const std::string& label : axis.labels) {
    if (!seen.insert(label).second) {
      rep.Fail(where, "value " + label + " appears twice (each run must be distinct)",
               node.source());
    }
  }
  // One load of the base per shape of value that loads (an integer, a float, an array of
  // strings...): the key and the type are what can be checked before running, and a
  // 100,000-resource base takes a fraction of a second to load.
  std::set<std::string> shapes_checked;
  for (size_t i = 0; i < axis.values.size(); ++i) {
    const std::string shape = Shape(*nodes[i]);
    if (shapes_checked.count(shape)) continue;
    if (CheckOverride(plan, plan.fixed, Override{key, axis.values[i]}, where, *nodes[i], rep)) {
      shapes_checked.insert(shape);
    }
  }
  return axis;
}

// A scenario has [[resource]] and no base.
bool LooksLikeScenario(const toml::table& root) {
  return !root.contains("base") && root.contains("resource");
}

// A sweep names a base scenario and has no [[resource]] of its own.
bool LooksLikeSweepRoot(const toml::table& root) {
  return root.get_as<std::string>("base") != nullptr && !root.contains("resource");
}

}  // namespace

bool LooksLikeSweep(const std::string& toml_text) {
  try {
    return LooksLikeSweepRoot(toml::parse(std::string_view(toml_text)));
  } catch (const toml::parse_error&) {
    return false;
  }
}

bool IsSweepFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string text(kMaxSweepFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (static_cast<size_t>(in.gcount()) > kMaxSweepFileBytes) return false;
  text.resize(static_cast<size_t>(in.gcount()));
  return LooksLikeSweep(text);
}

SweepPlan LoadSweepFile(const std::string& path) {
  return LoadSweepText(ReadSweepInput(path, "sweep file"), path);
}

SweepPlan LoadSweepText(const std::string& toml_text, const std::string& source_path) {
  SweepReporter rep(source_path);
  toml::table root;
  try {
    root = ParseToml(toml_text, source_path);
  } catch (const ScenarioError& e) {
    throw SweepError(e.what());
  }
  if (LooksLikeScenario(root)) {
    throw SweepError(source_path + ": this is a scenario file: use `waterfall run " + source_path +
                     "`");
  }
  static const std::set<std::string> kKeys = {"name", "base", "modes", "seeds", "set", "axes"};
  for (const auto& [key, node] : root) {
    if (!kKeys.count(std::string(key.str()))) {
      rep.Fail(std::string(key.str()),
               "unknown key (a sweep file has name, base, modes, seeds, [set] and [axes])",
               node.source());
    }
  }

  SweepPlan plan;
  plan.source_path = source_path;
  plan.name = fs::path(source_path).stem().string();
  if (const toml::node* n = root.get("name")) {
    const auto* s = n->as_string();
    if (!s || s->get().empty()) rep.Fail("name", "expected a non-empty string", n->source());
    plan.name = s->get();
  }

  const toml::node* base = root.get("base");
  if (!base) rep.Fail("base", "required: the scenario file to vary, relative to this file");
  if (!base->is_string() || base->as_string()->get().empty()) {
    rep.Fail("base", std::string("expected a path (string), got ") + TypeName(*base),
             base->source());
  }
  fs::path base_path(base->as_string()->get());
  if (base_path.is_relative()) base_path = fs::path(source_path).parent_path() / base_path;
  plan.base_path = base_path.lexically_normal().string();
  try {
    plan.base_text = ReadSweepInput(plan.base_path, "base scenario");
  } catch (const SweepError& e) {
    rep.Fail("base", e.what(), base->source());
  }

  if (const toml::node* n = root.get("modes")) {
    const toml::array* modes = n->as_array();
    if (!modes || modes->empty()) {
      rep.Fail("modes", "expected a non-empty list of modes (" + ModeNames() + ")", n->source());
    }
    for (const toml::node& m : *modes) {
      const auto* s = m.as_string();
      if (!s || !FindMode(s->get())) {
        rep.Fail("modes",
                 (s ? "unknown mode \"" + s->get() + "\"" : "expected mode names") +
                     " (modes: " + ModeNames() + ")",
                 m.source());
      }
      if (std::count(plan.modes.begin(), plan.modes.end(), s->get())) {
        rep.Fail("modes", "\"" + s->get() + "\" appears twice", m.source());
      }
      plan.modes.push_back(s->get());
    }
  } else {
    for (const ModeSpec* m : DefaultModes()) plan.modes.push_back(m->name);
  }

  if (const toml::node* n = root.get("seeds")) {
    const toml::array* seeds = n->as_array();
    if (!seeds || seeds->empty())
      rep.Fail("seeds", "expected a non-empty list of integers", n->source());
    for (const toml::node& s : *seeds) {
      const auto* v = s.as_integer();
      if (!v || v->get() < 1 || v->get() > 4294967295LL) {
        rep.Fail("seeds", "expected integers in [1, 4294967295], got " + TomlText(s), s.source());
      }
      const auto seed = static_cast<uint32_t>(v->get());
      if (std::count(plan.seeds.begin(), plan.seeds.end(), seed)) {
        rep.Fail("seeds", std::to_string(seed) + " appears twice", s.source());
      }
      plan.seeds.push_back(seed);
    }
  } else {
    plan.seeds.push_back(1);
  }

  std::vector<const toml::node*> fixed_nodes;
  if (const toml::node* n = root.get("set")) {
    const toml::table* set = n->as_table();
    if (!set) rep.Fail("set", std::string("expected a table, got ") + TypeName(*n), n->source());
    for (const auto& [key, value] : InFileOrder(*set)) {
      plan.fixed.push_back(Override{key, TomlText(*value)});
      fixed_nodes.push_back(value);
    }
  }

  // The base with the fixed overrides must load: otherwise every run would fail the same way.
  try {
    const Scenario base = LoadScenarioText(plan.base_text, plan.base_path, plan.fixed);
    plan.scenario_name = base.name;
    plan.network = base.network;
  } catch (const ScenarioError& e) {
    if (LooksLikeSweep(plan.base_text)) {
      rep.Fail("base",
               plan.base_path +
                   " is a sweep file; a sweep's base is a scenario (put the axes of "
                   "both sweeps in one file)",
               base->source());
    }
    try {
      LoadScenarioText(plan.base_text, plan.base_path);
    } catch (const ScenarioError& broken) {
      rep.Fail("base", broken.what(), base->source());
    }
    // An unknown key or a wrong type in [set]: name the [set] entry.
    std::vector<Override> before;  // the entries that load
    for (size_t i = 0; i < plan.fixed.size(); ++i) {
      if (CheckOverride(plan, before, plan.fixed[i], "set.\"" + plan.fixed[i].key + "\"",
                        *fixed_nodes[i], rep)) {
        before.push_back(plan.fixed[i]);
      }
    }
    throw SweepError(source_path + ": base with [set]: " + e.what());
  }

  if (const toml::node* n = root.get("axes")) {
    const toml::table* axes = n->as_table();
    if (!axes) rep.Fail("axes", std::string("expected a table, got ") + TypeName(*n), n->source());
    for (const auto& [key, value] : InFileOrder(*axes)) {
      for (const Override& o : plan.fixed) {
        if (o.key == key) rep.Fail("axes.\"" + key + "\"", "also fixed in [set]", value->source());
      }
      plan.axes.push_back(ParseAxis(plan, key, *value, rep));
    }
  }

  uint64_t runs = plan.modes.size() * plan.seeds.size();
  for (const SweepAxis& axis : plan.axes) {
    runs *= axis.values.size();
    if (runs > kMaxSweepRuns) {
      rep.Fail("axes", "more than " + std::to_string(kMaxSweepRuns) +
                           " runs; split the sweep into several files");
    }
  }
  return plan;
}

std::vector<SweepRun> ExpandRuns(const SweepPlan& plan) {
  std::vector<SweepRun> runs;
  std::vector<size_t> at(plan.axes.size(), 0);
  for (bool more = true; more;) {
    for (const std::string& mode : plan.modes) {
      for (uint32_t seed : plan.seeds) {
        SweepRun run;
        run.index = runs.size();
        run.value_index = at;
        run.mode = mode;
        run.seed = seed;
        Fnv1a64 hash;
        hash.AddField(plan.base_text);
        for (const Override& o : OverridesFor(plan, run)) {
          hash.AddField(o.key);
          hash.AddField(o.value);
        }
        hash.AddField(mode);
        hash.AddField(std::to_string(seed));
        run.id = hash.Hex();
        runs.push_back(std::move(run));
      }
    }
    // Odometer: the last axis turns fastest.
    more = false;
    for (size_t i = at.size(); i-- > 0;) {
      if (++at[i] < plan.axes[i].values.size()) {
        more = true;
        break;
      }
      at[i] = 0;
    }
  }
  return runs;
}

bool HasRandomLoss(const SweepPlan& plan) {
  if (plan.network.loss_rate > 0) return true;
  for (const SweepAxis& axis : plan.axes) {
    if (axis.key != "network.loss_rate") continue;
    for (const std::string& value : axis.values) {
      if (std::strtod(value.c_str(), nullptr) > 0) return true;
    }
  }
  return false;
}

std::vector<Override> OverridesFor(const SweepPlan& plan, const SweepRun& run) {
  std::vector<Override> overrides = plan.fixed;
  for (size_t i = 0; i < plan.axes.size(); ++i) {
    overrides.push_back(Override{plan.axes[i].key, plan.axes[i].values[run.value_index[i]]});
  }
  return overrides;
}

Shard ParseShard(const std::string& text) {
  Shard shard;
  const size_t slash = text.find('/');
  auto number = [&](const std::string& s, size_t* out) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    *out = std::stoul(s);
    return true;
  };
  if (slash == std::string::npos || !number(text.substr(0, slash), &shard.k) ||
      !number(text.substr(slash + 1), &shard.n) || shard.k < 1 || shard.k > shard.n) {
    throw SweepError("--shard " + text + ": expected K/N with 1 <= K <= N, e.g. 2/8");
  }
  return shard;
}

}  // namespace waterfall
