// DIR/<mode>.csv: the resources of a result file as one table (resource_csv.h).
#include "sim/report/resource_csv.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/io/csv.h"

namespace waterfall {

namespace {
// Fields a resource's JSON leaves out when they do not apply to it, that are a column of every
// table all the same (after the field named), so that every run's CSV has the same columns:
// `priority` is unset for what the browser never requested (result_json.cc).
constexpr std::pair<std::string_view, std::string_view> kAlwaysColumns[] = {
    {"priority", "initiator"}};

std::string Cell(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return CsvCell(value.get<std::string>());
  if (value.is_structured()) throw std::logic_error("resource field is not a scalar");
  return value.dump();  // numbers and booleans exactly as in the JSON file
}

// Inserts `key` after `after` (at the end when `after` is not a column), unless it is one.
void AddColumn(std::vector<std::string>* columns, const std::string& key,
               const std::string& after) {
  if (std::find(columns->begin(), columns->end(), key) != columns->end()) return;
  auto at = std::find(columns->begin(), columns->end(), after);
  columns->insert(at == columns->end() ? at : at + 1, key);
}

// Every field of any row, each after the field before it in the first row that has it.
std::vector<std::string> Columns(const nlohmann::ordered_json& resources) {
  std::vector<std::string> columns;
  for (const nlohmann::ordered_json& r : resources) {
    std::string before;
    for (auto it = r.begin(); it != r.end(); ++it) {
      if (before.empty() && columns.empty()) {
        columns.push_back(it.key());
      } else if (before.empty()) {
        if (std::find(columns.begin(), columns.end(), it.key()) == columns.end()) {
          columns.insert(columns.begin(), it.key());
        }
      } else {
        AddColumn(&columns, it.key(), before);
      }
      before = it.key();
    }
  }
  for (const auto& [key, after] : kAlwaysColumns) {
    if (std::find(columns.begin(), columns.end(), after) == columns.end()) continue;
    AddColumn(&columns, std::string(key), std::string(after));
  }
  return columns;
}
}  // namespace

std::string ResourcesToCsv(const nlohmann::ordered_json& resources) {
  if (!resources.is_array() || resources.empty()) return "";
  const std::vector<std::string> columns = Columns(resources);
  std::string csv;
  for (size_t c = 0; c < columns.size(); ++c) csv += (c ? "," : "") + CsvCell(columns[c]);
  csv += "\n";
  for (const nlohmann::ordered_json& r : resources) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const auto it = r.find(columns[c]);
      csv += (c ? "," : "") + (it == r.end() ? std::string() : Cell(*it));
    }
    csv += "\n";
  }
  return csv;
}

}  // namespace waterfall
