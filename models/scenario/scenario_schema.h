// The scenario schema: every key of a scenario file, described once. Its name and table, the
// member it sets, its type, range, unit, default and where the default comes from. The loader
// reads keys through it, `--set` and sweeps check keys against it (ClosestScenarioKey), and a
// test holds docs/scenario-format.md and README's key table to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/page/scenario.h"

namespace waterfall {

// ---- Limits (docs/scenario-format.md and docs/limits.md list them) ---------------------------

constexpr size_t kMaxResources = 100000;
// [[origin]]: the CNN capture in ../shared/har/ has 100 origins; ten times that is room for any
// real page while keeping a run's server nodes and links in the thousands.
constexpr size_t kMaxOrigins = 1000;
constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxNameBytes = 255;  // a directory name (NAME_MAX on Linux)
constexpr int64_t kMaxSizeBytes = int64_t{1} << 30;
constexpr double kMaxRttMs = 10000;
constexpr double kMaxRateMbps = 100000;
constexpr double kMaxLossRate = 0.5;
constexpr double kMaxServerMs = 600000;  // think_ms, process_ms, the client's renderer times
constexpr double kMaxTimeoutMs = 3600000;
// The sum of all resource sizes. Wall time grows with the packets simulated (25-30 s per GiB
// and mode on the CI machine, docs/limits.md), so this bounds one mode to about two minutes.
constexpr uint64_t kMaxPageBytes = uint64_t{4} << 30;
// server.send_buffer_bytes: Linux's smallest TCP send buffer (net.ipv4.tcp_wmem min, 4096) up
// to 1 GiB.
constexpr int64_t kMinSendBufferBytes = 4096;
constexpr int64_t kMaxSendBufferBytes = int64_t{1} << 30;
// server.max_concurrent_streams: any SETTINGS_MAX_CONCURRENT_STREAMS but 0 (which refuses every
// request); 2^31 - 1 is the most stream ids a connection has.
constexpr int64_t kMaxConcurrentStreams = 2147483647;

// ---- Keys -----------------------------------------------------------------------------------

enum class KeyType {
  kString,        // a TOML string
  kInt,           // a TOML integer in [lo, hi]
  kNumber,        // a TOML integer or float in [lo, hi] (or (lo, hi] when lo_open)
  kBool,          // true or false
  kEnum,          // one of `choices`, a string
  kUrlList,       // an array of URL strings naming resources (or origins) of the page
  kStringList,    // an array of strings (host names, protocol names)
  kTable,         // a table of keys (network, dns, tls, server, client; an origin's tls)
  kArrayOfTables  // [[origin]], [[resource]]
};

// A value read from the file, for KeySpec::set: the member of it that the key's type uses.
struct KeyValue {
  int64_t integer = 0;
  double number = 0;
  bool boolean = false;
  size_t choice = 0;                 // index into KeySpec::choices
  std::vector<std::string> urls;     // kUrlList
  std::vector<std::string> strings;  // kStringList
};

struct KeySpec {
  std::string_view table;   // "" (top level), "network", "dns", "origin", "tls", "server",
                            // "client" or "resource"
  std::string_view name;    // the key in the file: "rtt_ms"
  std::string_view member;  // the field it sets in the table's struct: "rtt_ms", "mss_bytes"
  KeyType type;
  double lo;  // kInt, kNumber: the range
  double hi;
  bool lo_open;
  // kInt: a further upper bound that depends on the page ("the parent's `size`"); "" for none.
  std::string_view hi_note;
  const std::string_view* choices;  // kEnum
  size_t choice_count;
  std::string_view unit;            // "ms", "Mbit/s", "bytes", "packets", "segments" or ""
  std::string_view default_value;   // as docs/scenario-format.md shows it
  std::string_view default_source;  // where the default comes from; "" when it is our choice
  // Stores a value read from the file into the scenario; null for the top level, origin and
  // resource keys, which the loader reads with the checks that tie them to the rest of the page.
  void (*set)(Scenario&, const KeyValue&);

  // "[0, 10000]", "(0, 100000]", "[0, 1073741824]"; kInt and kNumber only.
  std::string RangeText() const;
};

// A contiguous run of the schema: every key, or the keys of one table, in file-format order.
struct KeySpan {
  const KeySpec* first = nullptr;
  size_t count = 0;
  const KeySpec* begin() const { return first; }
  const KeySpec* end() const { return first + count; }
  bool Contains(std::string_view name) const;
};

// Every key, tables in the order "", network, dns, origin, tls, server, client, resource.
KeySpan ScenarioKeys();
// The keys of one table ("" for the top level); empty for an unknown table.
KeySpan KeysOf(std::string_view table);
// The key `name` of `table`; throws std::logic_error when there is none (a loader bug).
const KeySpec& SchemaKey(std::string_view table, std::string_view name);

// "number", "integer", "string", "boolean", "array of URLs", "array of strings", "table",
// "array of tables": the
// type as docs/scenario-format.md's Type column says it.
const char* TypeWord(KeyType type);

// Where each table's keys live, for "this key belongs in another table" hints.
struct Section {
  std::string_view table;
  std::string_view prefix;  // non-empty: suggest "did you mean <prefix><key>? (<hint>)"
  std::string_view hint;    // prefix empty: say "<key><hint>"
};
const std::vector<Section>& Sections();

}  // namespace waterfall
