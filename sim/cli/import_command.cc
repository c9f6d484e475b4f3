// `waterfall import`: reads the HAR, converts it (models/har), writes the scenario atomically or
// to stdout, and prints a one-line summary on stderr.
#include "sim/cli/import_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "models/har/har_import.h"
#include "sim/cli/exit_codes.h"
#include "sim/io/atomic_file.h"

namespace waterfall {

int Import(const ImportCommand& cmd) {
  if (cmd.until != "onload" && cmd.until != "all") {
    std::cerr << "waterfall import: --until: expected onload or all, got '" << cmd.until << "'\n";
    return kExitBadInput;
  }
  std::ifstream in(cmd.har_path, std::ios::binary);
  if (!in) {
    std::cerr << "waterfall import: " << cmd.har_path
              << ": cannot read the file: " << std::strerror(errno) << "\n";
    return kExitBadInput;
  }
  // Read into one string of the file's size (no second copy: memory stays near the file's size
  // plus the parsed tree).
  std::string text;
  in.seekg(0, std::ios::end);
  const std::streamoff length = in.tellg();
  in.seekg(0, std::ios::beg);
  if (length > 0) {
    text.resize(static_cast<size_t>(length));
    in.read(text.data(), length);
  }
  if (length < 0 || in.bad() || (length > 0 && in.gcount() != length)) {
    std::cerr << "waterfall import: " << cmd.har_path << ": cannot read the file\n";
    return kExitBadInput;
  }
  HarImportOptions options;
  options.source_name = cmd.har_path;
  options.page = cmd.page;
  options.until_all = cmd.until == "all";
  HarImportResult result;
  try {
    result = ImportHar(text, options);
  } catch (const HarError& e) {
    std::cerr << "waterfall import: " << e.what() << "\n";
    return kExitBadInput;
  }
  if (cmd.out_path.empty()) {
    std::cout << result.toml;
  } else {
    try {
      WriteFileAtomically(cmd.out_path, result.toml);
    } catch (const std::exception& e) {
      std::cerr << "waterfall import: " << cmd.out_path << ": " << e.what() << "\n";
      return kExitBadInput;
    }
  }
  size_t skipped = 0;
  for (const auto& [reason, n] : result.report.skipped) skipped += n;
  std::cerr << cmd.har_path << ": " << result.report.imported << " resources on "
            << result.report.origins << " origins imported, " << skipped
            << " entries skipped (see the header)"
            << (cmd.out_path.empty() ? "" : " -> " + cmd.out_path) << "\n";
  return kExitOk;
}

}  // namespace waterfall
