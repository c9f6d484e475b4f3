// The scenario schema is the one description of every key: the loader reads through it, and
// docs/scenario-format.md and README's key table must say what it says. Also: the page-graph
// rules on a Scenario built in code (as a HAR importer builds one), and the override language's
// table of indexed tables.
#include "models/scenario/scenario_schema.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "models/page/page_graph.h"
#include "models/scenario/scenario_loader.h"
#include "models/scenario/scenario_overrides.h"
#include "tests/support/text_file.h"

namespace waterfall {
namespace {

using waterfall::testing::Lines;

// A file of the source tree, by its path from the top.
std::string Slurp(const std::string& relative) {
  const std::filesystem::path path = std::string(WATERFALL_SOURCE_DIR) + "/" + relative;
  EXPECT_TRUE(std::filesystem::is_regular_file(path)) << relative;
  return waterfall::testing::Slurp(path);
}

std::string TrimCell(const std::string& s) {
  const size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// "| a | b \\| c |" -> {"a", "b \\| c"}: an escaped pipe stays in its cell.
std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|' && row[i - 1] != '\\') {
      cells.push_back(TrimCell(cell));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return cells;
}

// The first markdown table after the heading that begins with `heading`: each row by its first
// cell, each cell by its column's header.
using Table = std::map<std::string, std::map<std::string, std::string>>;
Table TableAfter(const std::vector<std::string>& lines, const std::string& heading) {
  Table table;
  size_t i = 0;
  while (i < lines.size() && lines[i].rfind(heading, 0) != 0) ++i;
  EXPECT_LT(i, lines.size()) << "no heading " << heading;
  while (i < lines.size() && lines[i].rfind("|", 0) != 0) ++i;
  if (i + 1 >= lines.size()) return table;
  const std::vector<std::string> header = Cells(lines[i]);
  for (i += 2; i < lines.size() && lines[i].rfind("|", 0) == 0; ++i) {
    const std::vector<std::string> cells = Cells(lines[i]);
    std::map<std::string, std::string>& row = table[cells[0]];
    for (size_t c = 0; c < cells.size() && c < header.size(); ++c) row[header[c]] = cells[c];
  }
  return table;
}

const std::map<std::string, std::string> kDocHeadings = {
    {"", "## Top level"},           {"network", "## `[network]`"},    {"dns", "### `[dns]`"},
    {"origin", "### `[[origin]]`"}, {"tls", "### `[tls]`"},           {"server", "## `[server]`"},
    {"client", "## `[client]`"},    {"resource", "## `[[resource]]`"}};

TEST(ScenarioSchema, EveryKeyIsInTheFormatDocWithItsFieldTypeDefaultRangeAndSource) {
  const std::vector<std::string> doc = Lines(Slurp("docs/scenario-format.md"));
  size_t checked = 0;
  for (const auto& [table_name, heading] : kDocHeadings) {
    const Table table = TableAfter(doc, heading);
    for (const KeySpec& k : KeysOf(table_name)) {
      const std::string key = "`" + std::string(k.name) + "`";
      SCOPED_TRACE(std::string(k.table) + "." + std::string(k.name));
      auto it = table.find(key);
      ASSERT_NE(it, table.end()) << "no row for " << key << " under " << heading;
      const std::map<std::string, std::string>& row = it->second;
      if (row.count("Field")) {
        EXPECT_EQ(row.at("Field"), "`" + std::string(k.member) + "`");
      }
      EXPECT_EQ(row.at("Type"), TypeWord(k.type));
      EXPECT_EQ(row.at("Default"), k.default_value);
      if (k.type == KeyType::kInt || k.type == KeyType::kNumber) {
        EXPECT_EQ(row.at("Allowed").rfind(k.RangeText(), 0), 0u)
            << "Allowed is " << row.at("Allowed") << ", the schema says " << k.RangeText();
      }
      for (size_t c = 0; c < k.choice_count; ++c) {
        EXPECT_NE(row.at("Allowed").find("`\"" + std::string(k.choices[c]) + "\"`"),
                  std::string::npos)
            << k.choices[c];
      }
      if (row.count("Source of the default")) {
        EXPECT_EQ(row.at("Source of the default"),
                  k.default_source.empty() ? "—" : std::string(k.default_source));
      }
      ++checked;
    }
    // And nothing documented that the schema does not know.
    for (const auto& [key, row] : table) {
      EXPECT_TRUE(KeysOf(table_name).Contains(key.substr(1, key.size() - 2)))
          << key << " is documented under " << heading << " but is no key of the schema";
    }
  }
  EXPECT_EQ(checked, ScenarioKeys().count);
}

TEST(ScenarioSchema, ReadmesShortKeyTableListsEveryKey) {
  const Table table = TableAfter(Lines(Slurp("README.md")), "## Scenario format");
  const std::map<std::string, std::string> rows = {{"", "top"},
                                                   {"network", "`[network]`"},
                                                   {"dns", "`[dns]`"},
                                                   {"origin", "`[[origin]]`"},
                                                   {"tls", "`[tls]`"},
                                                   {"server", "`[server]`"},
                                                   {"client", "`[client]`"},
                                                   {"resource", "`[[resource]]`"}};
  for (const KeySpec& k : ScenarioKeys()) {
    SCOPED_TRACE(std::string(k.table) + "." + std::string(k.name));
    if (k.type == KeyType::kTable || k.type == KeyType::kArrayOfTables) {
      // A table has its own row.
      const std::string row = k.type == KeyType::kTable ? "`[" + std::string(k.name) + "]`"
                                                        : "`[[" + std::string(k.name) + "]]`";
      EXPECT_TRUE(table.count(row)) << "no row " << row;
      continue;
    }
    auto it = table.find(rows.at(std::string(k.table)));
    ASSERT_NE(it, table.end());
    const std::string& keys = it->second.at("keys");
    const std::string word = "`" + std::string(k.name) + "`";
    // As a whole word: `think_ms` must not be found inside `outage_think_ms`.
    EXPECT_TRUE(keys.rfind(word, 0) == 0 || keys.find(", " + word) != std::string::npos)
        << word << " missing from README's row " << rows.at(std::string(k.table)) << ": " << keys;
  }
}

TEST(ScenarioSchema, TheLoaderReadsEachKeyWithTheSchemasRange) {
  // One key of each kind: its range in the message is the schema's.
  const std::string doc =
      "name = \"t\"\n[[resource]]\nurl = \"/\"\ntype = \"document\"\nsize = 1\n";
  for (const KeySpec& k : ScenarioKeys()) {
    if (!k.set || (k.type != KeyType::kInt && k.type != KeyType::kNumber)) continue;
    SCOPED_TRACE(std::string(k.table) + "." + std::string(k.name));
    const std::string key = std::string(k.table) + "." + std::string(k.name);
    try {
      LoadScenarioText(doc, "t.toml", {Override{key, "-1"}});
      ADD_FAILURE() << "-1 loaded";
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find(k.RangeText()), std::string::npos) << e.what();
    }
  }
}

TEST(ScenarioSchema, EnumWordsSetTheValuesTheyName) {
  const std::string doc =
      "name = \"t\"\n[[resource]]\nurl = \"/\"\ntype = \"document\"\nsize = 1\n";
  for (const char* tcp : {"cubic", "newreno", "bbr"}) {
    EXPECT_STREQ(ToString(LoadScenarioText(doc, "t.toml", {{"network.tcp", tcp}}).network.tcp),
                 tcp);
  }
  for (const char* queue : {"droptail", "fq_codel"}) {
    EXPECT_STREQ(
        ToString(LoadScenarioText(doc, "t.toml", {{"network.queue", queue}}).network.queue), queue);
  }
  EXPECT_EQ(LoadScenarioText(doc, "t.toml", {{"server.push_order", "before"}}).server.push_order,
            PushOrder::kBefore);
  EXPECT_EQ(LoadScenarioText(doc, "t.toml", {{"client.connection", "warm"}}).client.connection,
            ConnectionStart::kWarm);
  for (const char* scheduler : {"rfc7540", "rfc9218", "fifo", "round-robin"}) {
    EXPECT_STREQ(
        ToString(
            LoadScenarioText(doc, "t.toml", {{"server.scheduler", scheduler}}).server.scheduler),
        scheduler);
  }
  for (const char* priority : {"very-low", "low", "medium", "high", "very-high"}) {
    const Scenario s = LoadScenarioText(doc, "t.toml", {{"resource[/].priority", priority}});
    ASSERT_TRUE(s.resources[0].priority);
    EXPECT_STREQ(ToString(*s.resources[0].priority), priority);
  }
  for (const char* fault : {"none", "reset", "goaway", "no_response"}) {
    EXPECT_STREQ(
        ToString(
            LoadScenarioText(doc, "t.toml", {{"resource[/].fault", fault}}).resources[0].fault),
        fault);
  }
}

// Every value of [network], [tls], [server] and [client], for comparing two scenarios.
std::string Settings(const Scenario& s) {
  std::ostringstream o;
  const LinkProfile& n = s.network;
  o << n.rtt_ms << ' ' << n.bandwidth_mbps << ' ' << n.uplink_mbps << ' ' << n.queue_packets << ' '
    << ToString(n.queue) << ' ' << n.loss_rate << ' ' << ToString(n.tcp) << ' ' << n.initial_cwnd
    << ' ' << n.mss_bytes << ' ' << n.outage_start_ms << ' ' << n.outage_ms << " |";
  // Not dns.enabled: setting any [dns] key turns lookups on.
  o << s.dns.resolver_rtt_ms << " |";
  // [tls] and the one origin's effective config, which is [tls] (the document is https).
  for (const TlsConfig& t : {s.tls, s.origins.front().tls}) {
    o << ToString(t.version) << ' ' << ToString(t.certificate) << ' ' << t.chain_depth << ' '
      << ToString(t.certificate_error) << ' ' << t.record_bytes << ' ' << t.dynamic_records << ' '
      << t.session_tickets << ' ' << t.early_data << " |";
  }
  const ServerConfig& v = s.server;
  o << v.think_ms << ' ' << (v.push ? v.push->size() : 999) << ' ' << static_cast<int>(v.push_order)
    << ' ' << (v.hints ? v.hints->size() : 999) << ' ' << v.preload.size() << ' '
    << v.notsent_lowat_bytes << ' ' << v.max_frame_bytes << ' ' << v.send_buffer_bytes << ' '
    << v.max_concurrent_streams << ' ' << v.preconnect.size() << ' ' << ToString(v.scheduler)
    << " |";
  const ClientConfig& c = s.client;
  o << static_cast<int>(c.connection) << ' ' << c.cache.size() << ' ' << c.h1_connections << ' '
    << c.h1_early_hints << ' ' << c.h2_stream_window_bytes << ' ' << c.h2_connection_window_bytes
    << ' ' << c.timeout_ms << ' ' << c.dns_cache.size() << ' ' << c.tls_false_start << ' '
    << c.early_data << ' ' << c.priority_header << ' ' << c.navigation_ms << ' ' << c.discovery_ms
    << ' ' << c.dispatch_ms << ' ' << c.paint_ms << ' ' << c.load_event_ms;
  return o.str();
}

// The value a default names, as --set would write it: "100" of "100", "4194304" of
// "4194304 (4 MiB)", "cubic" of "`\"cubic\"`", "[]" of "`[]` (none)"; "" when it names none
// ("absent = the push set").
std::string DefaultAsValue(const KeySpec& k) {
  std::string d(k.default_value);
  if (d.rfind("`", 0) == 0) return d.substr(1, d.find('`', 1) - 1);
  const size_t end = d.find_first_not_of("0123456789.");
  if (end == 0) return "";
  return d.substr(0, end);
}

TEST(ScenarioSchema, TheDefaultEachKeyDocumentsIsTheDefaultTheLoaderGives) {
  // An https page, so that [tls] and the client's TLS keys apply.
  const std::string doc =
      "name = \"t\"\nscheme = \"https\"\n[[resource]]\nurl = \"/\"\ntype = "
      "\"document\"\nsize = 1\n";
  // Keys whose other value needs another key set first (0-RTT needs a ticket).
  const std::map<std::string, Override> needs = {
      {"client.early_data", {"client.connection", "resumed"}}};
  const std::string defaults = Settings(LoadScenarioText(doc, "t.toml"));
  size_t checked = 0;
  for (const KeySpec& k : ScenarioKeys()) {
    if (!k.set) continue;
    const std::string value = DefaultAsValue(k);
    if (value.empty()) continue;  // "absent = ...": no value to write
    SCOPED_TRACE(std::string(k.table) + "." + std::string(k.name) + " = " + value);
    const Override set{std::string(k.table) + "." + std::string(k.name), value};
    EXPECT_EQ(Settings(LoadScenarioText(doc, "t.toml", {set})), defaults);
    // And a value other than the default shows (the comparison sees this key).
    std::string other;
    if (k.type == KeyType::kInt || k.type == KeyType::kNumber) {
      const std::string hi = FormatDouble(k.hi, false);
      other = hi != value ? hi : FormatDouble(k.lo, false);
    } else if (k.type == KeyType::kEnum) {
      const std::string first = "\"" + std::string(k.choices[0]) + "\"";
      other = std::string(k.choices[first == value ? 1 : 0]);
    } else if (k.type == KeyType::kBool) {
      other = value == "false" ? "true" : "false";
    }
    if (!other.empty()) {
      std::vector<Override> changed = {{set.key, other}};
      if (auto it = needs.find(set.key); it != needs.end()) {
        changed.insert(changed.begin(), it->second);
        // Against the page with only the prerequisite, so that the comparison sees this key.
        EXPECT_NE(Settings(LoadScenarioText(doc, "t.toml", changed)),
                  Settings(LoadScenarioText(doc, "t.toml", {it->second})))
            << other;
      } else {
        EXPECT_NE(Settings(LoadScenarioText(doc, "t.toml", changed)), defaults) << other;
      }
    }
    ++checked;
  }
  EXPECT_GE(checked, 24u);
}

// ---- The page graph without a file ------------------------------------------------------------

Resource Res(const std::string& url, ResourceType type, const std::string& parent,
             uint64_t size = 100) {
  Resource r;
  r.url = url;
  r.type = type;
  r.parent = parent;
  r.size_bytes = size;
  return r;
}

Scenario Page() {
  Scenario s;
  s.name = "har";
  s.resources = {Res("/", ResourceType::kDocument, ""), Res("/a.css", ResourceType::kStyle, "/"),
                 Res("/b.js", ResourceType::kScript, "/a.css")};
  return s;
}

TEST(PageGraph, AScenarioBuiltInCodePassesTheSameRulesAsALoadedOne) {
  EXPECT_EQ(PageGraphProblem(Page()), std::nullopt);
}

TEST(PageGraph, ACycleIsNamedWithoutAFilePosition) {
  Scenario s = Page();
  s.resources.push_back(Res("/c.js", ResourceType::kScript, "/d.js"));
  s.resources.push_back(Res("/d.js", ResourceType::kScript, "/c.js"));
  EXPECT_EQ(PageGraphProblem(s),
            "resource[3].parent (\"/c.js\"): dependency cycle, the parent chain never reaches the "
            "document: \"/c.js\" -> \"/d.js\" -> \"/c.js\" (each -> points to the parent)");
}

TEST(PageGraph, MissingParentsDuplicatesAndBadListsAreFound) {
  Scenario s = Page();
  s.resources[2].parent = "/nope.css";
  EXPECT_EQ(PageGraphProblem(s),
            "resource[2].parent (\"/b.js\"): no resource has url \"/nope.css\"");
  s = Page();
  s.resources[2].url = "/a.css";
  EXPECT_EQ(PageGraphProblem(s),
            "resource[2].url (\"/a.css\"): duplicate url; resource[1] has the same url");
  s = Page();
  s.resources[1].discover_at_bytes = 101;
  EXPECT_EQ(PageGraphProblem(s),
            "resource[1].discover_at (\"/a.css\"): 101 is beyond the end of the parent \"/\"; "
            "expected an integer in [0, 100] (the parent size)");
  s = Page();
  s.server.push = std::vector<std::string>{"/b.js", "/b.js"};
  EXPECT_EQ(PageGraphProblem(s), "server.push[1]: \"/b.js\" is listed twice");
  s = Page();
  s.server.preload = {"/"};
  EXPECT_EQ(PageGraphProblem(s),
            "server.preload[0]: \"/\" is the document itself; list only its subresources");
  s = Page();
  s.client.cache = {"/", "/x.png"};
  EXPECT_EQ(PageGraphProblem(s),
            "client.cache[1]: \"/x.png\" is not a resource of the page (no [[resource]] has this "
            "url)");
  s = Page();
  s.resources[0].type = ResourceType::kImage;
  EXPECT_EQ(PageGraphProblem(s),
            "resource[0].parent (\"/\"): missing required key; every "
            "resource but the document needs a parent (the resource that "
            "references it)");
}

// ---- The override language ---------------------------------------------------------------------

TEST(ScenarioOverrides, IndexedTablesAreRowsAndTheirKeysParse) {
  ASSERT_FALSE(IndexedTables().empty());
  for (const IndexedTable& t : IndexedTables()) {
    const std::string key =
        std::string(t.name) + "[" + std::string(t.example_id) + "]." + std::string(t.example_key);
    std::string problem;
    const std::optional<OverrideKey> parsed = ParseOverrideKey(key, &problem);
    ASSERT_TRUE(parsed) << problem;
    EXPECT_EQ(parsed->table, &t);
    EXPECT_EQ(parsed->id, t.example_id);
    EXPECT_EQ(parsed->parts, std::vector<std::string>{std::string(t.example_key)});
    // The example key is a key of the table.
    EXPECT_TRUE(KeysOf(t.name).Contains(t.example_key));
  }
}

}  // namespace
}  // namespace waterfall
