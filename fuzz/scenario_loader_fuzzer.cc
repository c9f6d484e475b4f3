// libFuzzer target over the scenario loader, its validator and `--set` overrides.
//
// Input: TOML text, optionally followed by NUL-separated `--set` arguments:
//   <toml bytes> [ '\0' <KEY=VALUE> ]*
// The seed corpus is scenarios/*.toml (no NUL: no overrides) plus fuzz/seeds/.
//
// Contract checked: loading either returns a Scenario that satisfies the documented page
// rules or throws ScenarioError. Anything else (another exception, a crash, a sanitizer
// report, a rule broken by a "valid" scenario) is a finding; scripts/fuzz saves it and it
// becomes a test in tests/models/scenario/scenario_fuzz_regressions_test.cc.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <vector>

#include "models/page/page_graph.h"
#include "models/scenario/scenario_loader.h"

namespace {

using waterfall::Override;
using waterfall::Scenario;
using waterfall::ScenarioError;

// Aborts (a libFuzzer finding) when a loaded scenario breaks a rule of
// docs/scenario-format.md, "Page graph rules", or a documented range.
void CheckInvariants(const Scenario& s) {
  auto require = [](bool ok) {
    if (!ok) std::abort();
  };
  require(!s.name.empty() && s.name.size() <= 255);
  require(!s.resources.empty() && s.resources.size() <= 100000);
  require(s.resources[0].type == waterfall::ResourceType::kDocument);
  require(s.resources[0].parent.empty());
  std::unordered_set<std::string> urls;
  for (const auto& r : s.resources) require(urls.insert(r.url).second);
  for (size_t i = 1; i < s.resources.size(); ++i) {
    const auto& r = s.resources[i];
    require(r.type != waterfall::ResourceType::kDocument);
    const auto* parent = s.Find(r.parent);
    require(parent != nullptr);
    if (r.discover_at_bytes) require(*r.discover_at_bytes <= parent->size_bytes);
  }
  require(s.network.bandwidth_mbps > 0 && s.network.rtt_ms >= 0);
  require(s.network.loss_rate >= 0 && s.network.loss_rate <= 1);
  require(s.client.timeout_ms > 0);
  for (const auto& url : s.client.cache) require(s.Find(url) != nullptr);
  for (const auto& url : s.PushSet()) require(s.Find(url) != nullptr);
  for (const auto& url : s.HintSet()) require(s.Find(url) != nullptr);
  // Origins: at least one, unique; every resource's URL is on a declared origin and reads back
  // to its canonical form; pushes stay on the document's origin; the page-graph rules hold.
  require(!s.origins.empty());
  std::unordered_set<std::string> origins;
  for (const auto& o : s.origins) require(origins.insert(o.key.ToString()).second);
  for (const auto& r : s.resources) {
    const waterfall::Url u = s.UrlOf(r.url);
    require(s.FindOrigin(u.origin) != nullptr);
    if (r.type != waterfall::ResourceType::kPreconnect) require(s.CanonicalUrl(u) == r.url);
  }
  for (const auto& url : s.PushSet()) require(s.UrlOf(url).origin == s.DocumentOrigin());
  for (const auto& o : s.server.preconnect) {
    const auto key = waterfall::OriginKey::Parse(o);
    require(key && s.FindOrigin(*key) != nullptr);
  }
  require(!waterfall::PageGraphProblem(s));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t toml_end = input.find('\0');
  const std::string toml = input.substr(0, toml_end);
  std::vector<Override> overrides;
  if (toml_end != std::string::npos) {
    size_t start = toml_end + 1;
    while (start <= input.size()) {
      size_t end = input.find('\0', start);
      if (end == std::string::npos) end = input.size();
      try {
        overrides.push_back(waterfall::ParseOverride(input.substr(start, end - start)));
      } catch (const ScenarioError&) {
        // A bad --set is refused by the CLI before loading; keep fuzzing the others.
      }
      start = end + 1;
    }
  }
  try {
    CheckInvariants(waterfall::LoadScenarioText(toml, "fuzz.toml", overrides));
  } catch (const ScenarioError& e) {
    // The documented way to refuse input: the message names the file.
    if (std::string(e.what()).rfind("fuzz.toml", 0) != 0) std::abort();
  }
  return 0;
}
