// What a sweep keeps of each finished run: one small JSON file per run, DIR/records/<id>.json,
// written atomically, so a killed sweep loses at most the runs in flight and a re-run, a shard
// merge or a later CSV all read the same records.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/run/run.h"
#include "sim/sweep/sweep_plan.h"

namespace waterfall {

// "ok" (the page settled whole), "timeout" (client.timeout_ms ran out: metrics are partial),
// "incomplete" (the page settled with a resource reset or blocked, as `waterfall run` exits 3
// for) or "failed" (no simulation result: bad parameter value, simulation error, crashed
// worker).
struct RunRecord {
  std::string id;
  std::string status;
  std::string error;  // why it failed; empty otherwise
  // The failure says more about the machine than the run (a worker killed by the wall-clock
  // limit or by a signal): the next invocation of the sweep tries the run again.
  bool transient = false;
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
};

RunRecord RecordOfResult(const SweepRun& run, const RunResult& result);
RunRecord FailedRecord(const SweepRun& run, const std::string& error, bool transient = false);

// The run's axes, mode and seed go into the file too, so a record can be read on its own.
std::string RecordText(const SweepPlan& plan, const SweepRun& run, const RunRecord& record);
std::string RecordPath(const std::string& records_dir, const std::string& id);

// Every readable record in the directory, by id; a missing directory gives none. Files that do
// not parse (a foreign file, never a half-written record) are skipped.
std::map<std::string, RunRecord> ReadRecords(const std::string& records_dir);

// The metric columns of runs.csv, in order: the names of PageMetricFields() (sim/report/metrics.h),
// the same as each record's "metrics" (README "Sweeps" documents them).
const std::vector<std::string>& MetricColumns();

// runs.csv: a header, then one row per run in plan order:
//   <axis keys...>, mode, seed, status, <metrics...>, error
// `records` must hold every run of `runs`.
std::string RunsCsv(const SweepPlan& plan, const std::vector<SweepRun>& runs,
                    const std::map<std::string, RunRecord>& records);

// sweep.json, beside runs.csv: what the sweep was (base scenario, its network, axes, modes,
// seeds), so a chart can say what it shows.
std::string SweepDescription(const SweepPlan& plan, size_t runs);

}  // namespace waterfall
