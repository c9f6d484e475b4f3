#include "sim/sweep/sweep_record.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/io/csv.h"
#include "sim/report/metrics.h"
#include "sim/report/result_json.h"

namespace waterfall {

namespace fs = std::filesystem;

namespace {

std::string MetricCell(const nlohmann::ordered_json& metrics, const std::string& name) {
  auto it = metrics.find(name);
  if (it == metrics.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

}  // namespace

RunRecord RecordOfResult(const SweepRun& run, const RunResult& result) {
  RunRecord record;
  record.id = run.id;
  // As `waterfall run` judges a page: timed out, or settled with a resource reset or blocked.
  record.status = result.timed_out                   ? "timeout"
                  : result.IncompleteResources() > 0 ? "incomplete"
                                                     : "ok";
  for (const MetricField& field : PageMetricFields()) {
    record.metrics[field.name] = field.value(result);
  }
  return record;
}

RunRecord FailedRecord(const SweepRun& run, const std::string& error, bool transient) {
  RunRecord record;
  record.id = run.id;
  record.status = "failed";
  record.error = error;
  record.transient = transient;
  return record;
}

std::string RecordText(const SweepPlan& plan, const SweepRun& run, const RunRecord& record) {
  nlohmann::ordered_json axes = nlohmann::ordered_json::object();
  for (size_t i = 0; i < plan.axes.size(); ++i) {
    axes[plan.axes[i].key] = plan.axes[i].labels[run.value_index[i]];
  }
  nlohmann::ordered_json j = {{"id", record.id},       {"sweep", plan.name},
                              {"axes", axes},          {"mode", run.mode},
                              {"seed", run.seed},      {"status", record.status},
                              {"error", record.error}, {"metrics", record.metrics}};
  if (record.transient) j["transient"] = true;
  return j.dump() + "\n";
}

std::string RecordPath(const std::string& records_dir, const std::string& id) {
  return (fs::path(records_dir) / (id + ".json")).string();
}

std::map<std::string, RunRecord> ReadRecords(const std::string& records_dir) {
  std::map<std::string, RunRecord> records;
  std::error_code ec;
  if (!fs::is_directory(records_dir, ec)) return records;
  for (const auto& entry : fs::directory_iterator(records_dir)) {
    const fs::path& p = entry.path();
    if (p.extension() != ".json" || p.filename().string()[0] == '.') continue;
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("id") || !j["id"].is_string() ||
        j["id"].get<std::string>() != p.stem().string() || !j.contains("status") ||
        !j["status"].is_string()) {
      continue;
    }
    RunRecord r;
    r.id = j["id"].get<std::string>();
    r.status = j["status"].get<std::string>();
    if (j.contains("error") && j["error"].is_string()) r.error = j["error"].get<std::string>();
    if (j.contains("metrics") && j["metrics"].is_object()) r.metrics = j["metrics"];
    // Records written before runs had the status "incomplete" say "ok" for a page that settled
    // with a resource reset or blocked; their resources_incomplete tells, so they are read as
    // they would be written now rather than recomputed.
    const auto incomplete = r.metrics.find("resources_incomplete");
    if (r.status == "ok" && incomplete != r.metrics.end() && incomplete->is_number() &&
        incomplete->get<double>() > 0) {
      r.status = "incomplete";
    }
    const auto transient = j.find("transient");
    r.transient = transient != j.end() && transient->is_boolean() && transient->get<bool>();
    records.emplace(r.id, std::move(r));
  }
  return records;
}

const std::vector<std::string>& MetricColumns() {
  static const std::vector<std::string> kColumns = [] {
    std::vector<std::string> names;
    for (const MetricField& field : PageMetricFields()) names.emplace_back(field.name);
    return names;
  }();
  return kColumns;
}

std::string RunsCsv(const SweepPlan& plan, const std::vector<SweepRun>& runs,
                    const std::map<std::string, RunRecord>& records) {
  std::string csv;
  for (const SweepAxis& axis : plan.axes) csv += CsvCell(axis.key) + ",";
  csv += "mode,seed,status";
  for (const std::string& m : MetricColumns()) csv += "," + m;
  csv += ",error\n";
  for (const SweepRun& run : runs) {
    const RunRecord& r = records.at(run.id);
    for (size_t i = 0; i < plan.axes.size(); ++i) {
      csv += CsvCell(plan.axes[i].labels[run.value_index[i]]) + ",";
    }
    csv += CsvCell(run.mode) + "," + std::to_string(run.seed) + "," + CsvCell(r.status);
    for (const std::string& m : MetricColumns()) csv += "," + CsvCell(MetricCell(r.metrics, m));
    csv += "," + CsvCell(r.error) + "\n";
  }
  return csv;
}

std::string SweepDescription(const SweepPlan& plan, size_t runs) {
  nlohmann::ordered_json axes = nlohmann::ordered_json::array();
  for (const SweepAxis& axis : plan.axes) {
    axes.push_back({{"key", axis.key}, {"values", axis.labels}});
  }
  nlohmann::ordered_json fixed = nlohmann::ordered_json::object();
  for (const Override& o : plan.fixed) fixed[o.key] = o.value;
  const nlohmann::ordered_json j = {{"sweep", plan.name},
                                    {"sweep_file", plan.source_path},
                                    {"base", plan.base_path},
                                    {"scenario", plan.scenario_name},
                                    {"network", NetworkToJson(plan.network)},
                                    {"set", fixed},
                                    {"axes", axes},
                                    {"modes", plan.modes},
                                    {"seeds", plan.seeds},
                                    {"runs", runs},
                                    {"csv", "runs.csv"}};
  return j.dump(2) + "\n";
}

}  // namespace waterfall
