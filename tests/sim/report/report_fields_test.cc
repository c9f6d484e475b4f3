// The report fields of the Chrome browser model, on a RunResult made here (the browser need not
// compute them yet): the page metrics DOMContentLoaded and largest contentful paint in the
// result file and a sweep's records, each resource's priority in the result JSON and the
// resource CSV, and in a HAR export `_priority` and pageTimings.onContentLoad.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/report/har_json.h"
#include "sim/report/metrics.h"
#include "sim/report/resource_csv.h"
#include "sim/report/result_json.h"

namespace waterfall {
namespace {

// A document and two images on http://waterfall.test.
const char* kPage = R"(
name = "fields"
[[resource]]
url = "/"
type = "document"
size = 1000
[[resource]]
url = "/a.png"
type = "image"
size = 500
parent = "/"
[[resource]]
url = "/b.png"
type = "image"
size = 500
parent = "/"
)";

ResourceTiming Timing(const Scenario& s, size_t i, double queued_ms) {
  const Resource& r = s.resources[i];
  ResourceTiming t;
  t.url = s.UrlOf(r.url);
  t.type = r.type;
  t.size_bytes = r.size_bytes;
  if (!r.parent.empty()) t.parent = s.UrlOf(r.parent);
  t.discovered_ms = queued_ms;
  t.queued_ms = queued_ms;
  t.request_ms = queued_ms;
  t.first_byte_ms = queued_ms + 10;
  t.complete_ms = queued_ms + 20;
  t.where = {0, static_cast<int>(2 * i + 1)};
  t.initiator = i == 0 ? Initiator::kNone : Initiator::kParser;
  t.body_bytes = r.size_bytes;
  t.status = ResourceStatus::kComplete;
  t.response_status = 200;
  return t;
}

// The document very-high, /a.png low, /b.png without a priority (as a push or a cache hit).
RunResult Result(const Scenario& s) {
  RunResult run;
  run.mode = "h2";
  run.timings = {Timing(s, 0, 0), Timing(s, 1, 30), Timing(s, 2, 31)};
  run.timings[0].priority = LoadPriority::kVeryHigh;
  run.timings[1].priority = LoadPriority::kLow;
  run.page.ttfb_ms = 10;
  run.page.start_render_ms = 25.5;
  run.page.dom_content_loaded_ms = 22.25;
  run.page.largest_contentful_ms = 51.0004;
  run.page.page_load_ms = 51.5;
  return run;
}

TEST(ReportFields, PageMetricsInReportOrder) {
  std::vector<std::string> names;
  for (const MetricField& f : PageMetricFields()) names.push_back(f.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"ttfb_ms", "start_render_ms", "dom_content_loaded_ms",
                                      "largest_contentful_ms", "page_load_ms", "bytes_down",
                                      "bytes_up", "connections", "requests", "bytes_pushed",
                                      "bytes_wasted", "resources_incomplete", "simulated_ms"}));
}

TEST(ReportFields, DomContentLoadedAndLargestContentfulPaintInTheResultFile) {
  const Scenario s = LoadScenarioText(kPage, "fields.toml");
  const nlohmann::ordered_json metrics = MetricsToJson(Result(s));
  EXPECT_EQ(metrics["dom_content_loaded_ms"], 22.25);
  // Rounded to the microsecond: 51.0004 -> 51.
  EXPECT_EQ(metrics["largest_contentful_ms"], 51.0);
  std::vector<std::string> keys;
  for (auto it = metrics.begin(); it != metrics.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ttfb_ms", "start_render_ms", "dom_content_loaded_ms",
                                            "largest_contentful_ms", "page_load_ms", "bytes_down",
                                            "bytes_up", "connections", "requests", "bytes_pushed",
                                            "bytes_wasted"}));
  // Null when never reached (what a run without the model gives).
  RunResult none = Result(s);
  none.page.dom_content_loaded_ms.reset();
  none.page.largest_contentful_ms.reset();
  EXPECT_TRUE(MetricsToJson(none)["dom_content_loaded_ms"].is_null());
  EXPECT_TRUE(MetricsToJson(none)["largest_contentful_ms"].is_null());
}

TEST(ReportFields, EachResourcesPriorityAfterItsInitiatorOmittedWhenUnset) {
  const Scenario s = LoadScenarioText(kPage, "fields.toml");
  const nlohmann::ordered_json resources = ResultToJson(s, Result(s)).at("resources");
  EXPECT_EQ(resources[0]["priority"], "very-high");
  EXPECT_EQ(resources[1]["priority"], "low");
  EXPECT_FALSE(resources[2].contains("priority"));
  std::vector<std::string> keys;
  for (auto it = resources[1].begin(); it != resources[1].end(); ++it) keys.push_back(it.key());
  const auto at = std::find(keys.begin(), keys.end(), "priority");
  ASSERT_NE(at, keys.end());
  EXPECT_EQ(*(at - 1), "initiator");
  EXPECT_EQ(*(at + 1), "parent");
}

TEST(ReportFields, TheCsvHasAPriorityColumnEmptyWhereUnset) {
  const Scenario s = LoadScenarioText(kPage, "fields.toml");
  const std::string csv = ResourcesToCsv(ResultToJson(s, Result(s)).at("resources"));
  // Header and the rows from "initiator" to "parent": the image without a priority has an
  // empty cell.
  EXPECT_NE(csv.find(",initiator,priority,parent,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",none,very-high,,"), std::string::npos) << csv;  // the document: no parent
  EXPECT_NE(csv.find(",parser,low,/,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",parser,,/,"), std::string::npos) << csv;
  // And when no resource has one, the column is there all the same.
  RunResult none = Result(s);
  for (ResourceTiming& t : none.timings) t.priority.reset();
  const std::string empty = ResourcesToCsv(ResultToJson(s, none).at("resources"));
  EXPECT_NE(empty.find(",initiator,priority,parent,"), std::string::npos) << empty;
  EXPECT_NE(empty.find(",none,,,"), std::string::npos) << empty;
}

TEST(ReportFields, TheCsvTakesAFieldOnlySomeRowsHaveAfterTheFieldBeforeIt) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  rows.push_back({{"url", "/"}, {"status", "complete"}});
  rows.push_back({{"url", "/a"}, {"status", "tls_failed"}, {"tls_error", "expired"}});
  EXPECT_EQ(ResourcesToCsv(rows),
            "url,status,tls_error\n"
            "/,complete,\n"
            "/a,tls_failed,expired\n");
}

TEST(ReportFields, HarHasChromesPrioritySpellingAndOnContentLoad) {
  const Scenario s = LoadScenarioText(kPage, "fields.toml");
  const nlohmann::ordered_json har = RunToHar(s, *FindMode("h2"), Result(s));
  const nlohmann::ordered_json& entries = har["log"]["entries"];
  ASSERT_EQ(entries.size(), 3u);  // in order of start: 0, 30, 31 ms
  EXPECT_EQ(entries[0]["_priority"], "VeryHigh");
  EXPECT_EQ(entries[1]["_priority"], "Low");
  EXPECT_FALSE(entries[2].contains("_priority"));
  const nlohmann::ordered_json& timings = har["log"]["pages"][0]["pageTimings"];
  EXPECT_EQ(timings["onContentLoad"], 22.25);
  EXPECT_EQ(timings["onLoad"], 51.5);
  RunResult none = Result(s);
  none.page.dom_content_loaded_ms.reset();
  EXPECT_EQ(RunToHar(s, *FindMode("h2"), none)["log"]["pages"][0]["pageTimings"]["onContentLoad"],
            -1);
}

}  // namespace
}  // namespace waterfall
