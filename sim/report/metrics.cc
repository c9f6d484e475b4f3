#include "sim/report/metrics.h"

#include <cmath>

namespace waterfall {

nlohmann::ordered_json MsJson(const std::optional<double>& ms) {
  // Finer digits are below ns-3's modelling precision and would only make diffs noisy.
  if (!ms) return nullptr;
  return std::round(*ms * 1000.0) / 1000.0;
}

const std::vector<MetricField>& PageMetricFields() {
  using J = nlohmann::ordered_json;
  static const std::vector<MetricField> kFields = {
      {"ttfb_ms", true, [](const RunResult& r) { return MsJson(r.page.ttfb_ms); }},
      {"start_render_ms", true, [](const RunResult& r) { return MsJson(r.page.start_render_ms); }},
      {"dom_content_loaded_ms", true,
       [](const RunResult& r) { return MsJson(r.page.dom_content_loaded_ms); }},
      {"largest_contentful_ms", true,
       [](const RunResult& r) { return MsJson(r.page.largest_contentful_ms); }},
      {"page_load_ms", true, [](const RunResult& r) { return MsJson(r.page.page_load_ms); }},
      {"bytes_down", true, [](const RunResult& r) { return J(r.bytes_down); }},
      {"bytes_up", true, [](const RunResult& r) { return J(r.bytes_up); }},
      {"connections", true, [](const RunResult& r) { return J(r.connections); }},
      {"requests", true, [](const RunResult& r) { return J(r.page.requests); }},
      {"bytes_pushed", true, [](const RunResult& r) { return J(r.page.bytes_pushed); }},
      {"bytes_wasted", true, [](const RunResult& r) { return J(r.page.bytes_wasted); }},
      {"resources_incomplete", false,
       [](const RunResult& r) { return J(r.IncompleteResources()); }},
      {"simulated_ms", false,
       [](const RunResult& r) { return MsJson(std::optional<double>(r.simulated_ms)); }},
  };
  return kFields;
}

}  // namespace waterfall
