// RFC 4180 cells, for every CSV waterfall writes (runs.csv, DIR/<mode>.csv).
#pragma once

#include <string>

namespace waterfall {

// The cell as written: quoted when it holds a comma, a quote or a line break, inner quotes
// doubled; as it is otherwise.
inline std::string CsvCell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace waterfall
