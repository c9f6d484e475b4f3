// HAR 1.2 import: one page of a HAR capture (Chrome DevTools, chrome-har, chrome-har-capturer,
// WebPageTest) turned into the text of a scenario TOML file (docs/scenario-format.md), with a
// comment header saying what was imported, skipped and estimated. Sans-I/O: text in, text out;
// the rules are in docs/har-import.md and beside the code in har_import.cc.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace waterfall {

// A file that is not valid JSON, not a HAR, or has no such page. what() names the source and
// what is missing, e.g. "x.har: not a HAR: no \"log.entries\" array".
class HarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HarImportOptions {
  std::string source_name = "capture.har";  // stands for the file in messages and the header
  size_t page = 1;         // 1-based: page 1 is log.pages[0] (the HAR ids are "page_1", ...)
  bool until_all = false;  // false: entries starting after the page's onLoad are dropped
};

struct HarImportReport {
  size_t entries_in_page = 0;                  // the page's entries, before any was skipped
  size_t imported = 0;                         // [[resource]]s written
  std::map<std::string, size_t> skipped;       // reason -> entries
  std::map<std::string, size_t> size_sources;  // "_transferSize", "response.bodySize", ...
  size_t origins = 0;
  size_t orphans = 0;              // parent named but not imported earlier: the document
  size_t without_initiator = 0;    // no initiator URL at all: the document
  size_t redirect_children = 0;    // parent set by a 3xx's Location
  size_t cached = 0;               // client.cache entries
  size_t shortened_urls = 0;       // URLs longer than the loader's 2048 bytes, cut
  double captured_onload_ms = -1;  // pageTimings.onLoad, -1 when absent
  std::string page_title;
};

struct HarImportResult {
  std::string toml;  // the scenario, header included
  HarImportReport report;
};

// Throws HarError. The scenario's name is derived from options.source_name's stem.
HarImportResult ImportHar(std::string_view har_json, const HarImportOptions& options);

}  // namespace waterfall
