#include "sim/report/resource_csv.h"

#include <stdexcept>

#include "sim/io/csv.h"

namespace waterfall {

namespace {
std::string Cell(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return CsvCell(value.get<std::string>());
  if (value.is_structured()) throw std::logic_error("resource field is not a scalar");
  return value.dump();  // numbers and booleans exactly as in the JSON file
}
}  // namespace

std::string ResourcesToCsv(const nlohmann::ordered_json& resources) {
  if (!resources.is_array() || resources.empty()) return "";
  std::string csv;
  const nlohmann::ordered_json& first = resources.front();
  bool comma = false;
  for (auto it = first.begin(); it != first.end(); ++it) {
    csv += (comma ? "," : "") + CsvCell(it.key());
    comma = true;
  }
  csv += "\n";
  for (const nlohmann::ordered_json& r : resources) {
    comma = false;
    for (auto it = first.begin(); it != first.end(); ++it) {
      csv += (comma ? "," : "") + Cell(r.at(it.key()));
      comma = true;
    }
    csv += "\n";
  }
  return csv;
}

}  // namespace waterfall
