// Export then import: a page loaded by the simulator and written as HAR (run --har) imports
// back (waterfall import) as the same page: the same URLs, types, sizes, parents and origins,
// for every shipped scenario without faults, in h2 (and h1 for the https seed page).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "models/har/har_import.h"
#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/report/har_json.h"
#include "sim/run/run.h"

namespace waterfall {
namespace {

// What a page is, independent of timing: url -> (type, size, parent), and the origins.
struct PageShape {
  std::map<std::string, std::string> resources;
  std::vector<std::string> origins;
  bool operator==(const PageShape& o) const {
    return resources == o.resources && origins == o.origins;
  }
};

PageShape ShapeOf(const Scenario& s) {
  PageShape shape;
  for (const Resource& r : s.resources) {
    if (r.type == ResourceType::kPreconnect) continue;  // not fetched: not in a HAR
    shape.resources[r.url] =
        std::string(ToString(r.type)) + " " + std::to_string(r.size_bytes) + " " + r.parent;
  }
  for (const Origin& o : s.origins) shape.origins.push_back(o.key.ToString());
  return shape;
}

void PrintTo(const PageShape& shape, std::ostream* os) {
  for (const auto& [url, what] : shape.resources) *os << "\n  " << url << ": " << what;
  for (const std::string& o : shape.origins) *os << "\n  origin " << o;
}

PageShape RoundTrip(const Scenario& s, const std::string& mode) {
  RunOptions options;
  options.record_headers = true;
  const RunResult run = RunPageLoad(s, *FindMode(mode), options);
  const std::string har = RunToHar(s, *FindMode(mode), run).dump(2);
  HarImportOptions import_options;
  import_options.source_name = "exported.har";
  import_options.until_all = true;
  const HarImportResult imported = ImportHar(har, import_options);
  return ShapeOf(LoadScenarioText(imported.toml, "imported.toml"));
}

TEST(HarRoundTrip, TheSeedPageComesBackAsItWasOverHttpAndHttps) {
  for (const std::string name : {"seed-200ms", "seed-200ms-https"}) {
    const Scenario s =
        LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/" + name + ".toml");
    for (const std::string mode : {"h1", "h2"}) {
      SCOPED_TRACE(name + " " + mode);
      EXPECT_EQ(RoundTrip(s, mode), ShapeOf(s));
    }
  }
}

TEST(HarRoundTrip, AManyOriginPageComesBackWithItsOrigins) {
  const Scenario s = LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) +
                                      "/scenarios/third-party-preconnect.toml");
  EXPECT_EQ(RoundTrip(s, "h2"), ShapeOf(s));
}

}  // namespace
}  // namespace waterfall
