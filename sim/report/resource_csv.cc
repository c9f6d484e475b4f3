#include "sim/report/resource_csv.h"

#include <stdexcept>

namespace waterfall {

namespace {
// RFC 4180: quote a cell holding a comma, a quote or a line break; double inner quotes.
std::string Quoted(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Cell(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return Quoted(value.get<std::string>());
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
    csv += (comma ? "," : "") + Quoted(it.key());
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
