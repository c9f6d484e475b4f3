// The page-level metrics of a run, listed once. Every place that reports them derives from this
// list: the result file's "metrics" object (MetricsToJson, sim/report/result_json.cc), a sweep's
// records (RecordOfResult) and the metric columns of runs.csv (MetricColumns,
// sim/sweep/sweep_record.cc). README documents them under "Results" and "Sweeps".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sim/run/run.h"

namespace waterfall {

struct MetricField {
  const char* name;
  // false: a sweep's records and runs.csv only (the result file lists every resource instead).
  bool in_result_file;
  nlohmann::ordered_json (*value)(const RunResult&);
};

// In report order: the result file's metrics first, then the sweep-only ones.
const std::vector<MetricField>& PageMetricFields();

// A simulated time rounded to the microsecond; null when it never happened.
nlohmann::ordered_json MsJson(const std::optional<double>& ms);

}  // namespace waterfall
