// libFuzzer target over the HAR importer (models/har/har_import.h).
//
// Input: any bytes, read as a HAR file. The seed corpus is tests/data/har/*.har.
//
// Contract checked: ImportHar either throws HarError (not JSON, not a HAR, no such page, nothing
// to import) or returns scenario text that the real loader accepts (docs/har-import.md: the
// generated file always loads). Anything else (another exception, a ScenarioError from the
// loader, a crash, a sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "models/har/har_import.h"
#include "models/scenario/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool until_all : {false, true}) {
    waterfall::HarImportOptions options;
    options.source_name = "fuzz.har";
    options.until_all = until_all;
    waterfall::HarImportResult result;
    try {
      result = waterfall::ImportHar(text, options);
    } catch (const waterfall::HarError&) {
      return 0;
    }
    try {
      waterfall::LoadScenarioText(result.toml, "fuzz.toml");
    } catch (const waterfall::ScenarioError&) {
      std::abort();  // the importer wrote a scenario the loader refuses
    }
  }
  return 0;
}
