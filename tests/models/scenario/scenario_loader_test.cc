#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/server/site_content.h"
#include "tests/support/scenario_text.h"

namespace waterfall {
namespace {

constexpr const char* kFile = testing::kScenarioFile;

// The smallest valid page: a name and a document.
const std::string kDocument = R"(
[[resource]]
url = "/index.html"
type = "document"
size = 14000
)";
const std::string kMinimal = "name = \"t\"\n" + kDocument;

using testing::ErrorOf;
using testing::Load;

// Asserts that `message` contains every one of `parts`.
void ExpectMentions(const std::string& message, std::initializer_list<std::string> parts) {
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos)
        << "message does not mention [" << part << "]:\n  " << message;
  }
}

// A [[resource]] "/app.js", child of the document, with extra `fields`.
std::string Child(const std::string& fields, const std::string& size = "1000",
                  const std::string& type = "\"script\"") {
  return "[[resource]]\nurl = \"/app.js\"\ntype = " + type + "\nsize = " + size +
         "\nparent = \"/index.html\"\n" + fields + "\n";
}

// `kMinimal` plus that child: "/app.js" is resource[1].
std::string WithChild(const std::string& fields, const std::string& size = "1000") {
  return kMinimal + Child(fields, size);
}

// ---- Valid files ----------------------------------------------------------------------------

TEST(ScenarioLoaderTest, LoadsFullFileWithEveryFieldMapped) {
  const Scenario s = Load(R"(
name = "seed-200ms"
[network]
rtt_ms = 200
bandwidth_mbps = 10.5
uplink_mbps = 2
queue_packets = 50
queue = "fq_codel"
loss_rate = 0.01
tcp = "bbr"
initial_cwnd = 4
mss = 1400
[server]
think_ms = 30
push = ["/style.css"]
push_order = "before"
hints = ["/style.css", "/app.js"]
preload = ["/font.woff2"]
notsent_lowat_bytes = 16384
max_frame_bytes = 32768
send_buffer_bytes = 65536
max_concurrent_streams = 8
[client]
connection = "warm"
cache = ["/app.js"]
h1_connections = 4
h1_early_hints = true
h2_stream_window_bytes = 65535
h2_connection_window_bytes = 1048576
timeout_ms = 60000
[[resource]]
url = "/style.css"
type = "style"
size = 20000
parent = "/index.html"
discover_at = 500
process_ms = 2.5
think_ms = 1
render_blocking = true
[[resource]]
url = "/index.html"
type = "document"
size = 14000
process_ms = 3
render_blocking = true
[[resource]]
url = "/app.js"
type = "script"
size = 50000
parent = "/index.html"
[[resource]]
url = "/font.woff2"
type = "font"
size = 30000
parent = "/style.css"
discover_at = 20000
[[resource]]
url = "/hero.jpg"
type = "image"
size = 100000
parent = "/index.html"
[[resource]]
url = "/data.bin"
type = "other"
size = 0
parent = "/app.js"
)");
  EXPECT_EQ(s.name, "seed-200ms");
  EXPECT_EQ(s.source_path, kFile);

  EXPECT_EQ(s.network.rtt_ms, 200);
  EXPECT_EQ(s.network.bandwidth_mbps, 10.5);
  EXPECT_EQ(s.network.uplink_mbps, 2);
  EXPECT_EQ(s.network.EffectiveUplinkMbps(), 2);
  EXPECT_EQ(s.network.queue_packets, 50u);
  EXPECT_EQ(s.network.queue, QueueDiscipline::kFqCoDel);
  EXPECT_EQ(s.network.loss_rate, 0.01);
  EXPECT_EQ(s.network.tcp, TcpVariant::kBbr);
  EXPECT_EQ(s.network.initial_cwnd, 4u);
  EXPECT_EQ(s.network.mss_bytes, 1400u);

  EXPECT_EQ(s.server.think_ms, 30);
  EXPECT_EQ(s.server.push, std::vector<std::string>{"/style.css"});
  EXPECT_EQ(s.server.push_order, PushOrder::kBefore);
  EXPECT_EQ(s.server.hints, (std::vector<std::string>{"/style.css", "/app.js"}));
  EXPECT_EQ(s.server.preload, std::vector<std::string>{"/font.woff2"});
  EXPECT_EQ(s.server.notsent_lowat_bytes, 16384u);
  EXPECT_EQ(s.server.max_frame_bytes, 32768u);
  EXPECT_EQ(s.server.send_buffer_bytes, 65536u);
  EXPECT_EQ(s.server.max_concurrent_streams, 8u);

  EXPECT_EQ(s.client.connection, ConnectionStart::kWarm);
  EXPECT_EQ(s.client.cache, std::vector<std::string>{"/app.js"});
  EXPECT_EQ(s.client.h1_connections, 4u);
  EXPECT_TRUE(s.client.h1_early_hints);
  EXPECT_EQ(s.client.h2_stream_window_bytes, 65535u);
  EXPECT_EQ(s.client.h2_connection_window_bytes, 1048576u);
  EXPECT_EQ(s.client.timeout_ms, 60000);

  ASSERT_EQ(s.resources.size(), 6u);
  const Resource& doc = s.resources[0];
  EXPECT_EQ(doc.url, "/index.html");
  EXPECT_EQ(doc.type, ResourceType::kDocument);
  EXPECT_EQ(doc.size_bytes, 14000u);
  EXPECT_EQ(doc.parent, "");
  EXPECT_FALSE(doc.discover_at_bytes.has_value());
  EXPECT_EQ(doc.process_ms, 3);
  // The document's server time is server.think_ms, read in one place (SiteContent::ThinkMs).
  EXPECT_EQ(s.server.think_ms, 30);
  EXPECT_EQ(doc.think_ms, 0);
  EXPECT_EQ(SiteContent(s, *FindMode("h2")).ThinkMs(doc), 30);
  EXPECT_TRUE(doc.render_blocking);

  const Resource& css = s.resources[1];
  EXPECT_EQ(css.url, "/style.css");
  EXPECT_EQ(css.type, ResourceType::kStyle);
  EXPECT_EQ(css.size_bytes, 20000u);
  EXPECT_EQ(css.parent, "/index.html");
  EXPECT_EQ(css.discover_at_bytes, 500u);
  EXPECT_EQ(css.process_ms, 2.5);
  EXPECT_EQ(css.think_ms, 1);
  EXPECT_TRUE(css.render_blocking);

  EXPECT_EQ(s.resources[2].url, "/app.js");
  EXPECT_EQ(s.resources[2].type, ResourceType::kScript);
  EXPECT_FALSE(s.resources[2].render_blocking);
  EXPECT_EQ(s.resources[3].url, "/font.woff2");
  EXPECT_EQ(s.resources[3].type, ResourceType::kFont);
  EXPECT_EQ(s.resources[3].parent, "/style.css");
  EXPECT_EQ(s.resources[3].discover_at_bytes, 20000u);  // == parent size is allowed
  EXPECT_EQ(s.resources[4].type, ResourceType::kImage);
  EXPECT_EQ(s.resources[5].type, ResourceType::kOther);
  EXPECT_EQ(s.resources[5].size_bytes, 0u);
}

TEST(ScenarioLoaderTest, AppliesDefaultsWhenKeysAbsent) {
  const Scenario s = Load(WithChild(""));
  const Scenario defaults;
  EXPECT_EQ(s.network.rtt_ms, defaults.network.rtt_ms);
  EXPECT_EQ(s.network.bandwidth_mbps, defaults.network.bandwidth_mbps);
  EXPECT_EQ(s.network.uplink_mbps, 0);
  EXPECT_EQ(s.network.EffectiveUplinkMbps(), s.network.bandwidth_mbps);
  EXPECT_EQ(s.network.queue_packets, defaults.network.queue_packets);
  EXPECT_EQ(s.network.queue, defaults.network.queue);
  EXPECT_EQ(s.network.loss_rate, defaults.network.loss_rate);
  EXPECT_EQ(s.network.tcp, defaults.network.tcp);
  EXPECT_EQ(s.network.initial_cwnd, defaults.network.initial_cwnd);
  EXPECT_EQ(s.network.mss_bytes, defaults.network.mss_bytes);
  EXPECT_EQ(s.server.think_ms, defaults.server.think_ms);
  EXPECT_FALSE(s.server.push.has_value());
  EXPECT_EQ(s.server.push_order, defaults.server.push_order);
  EXPECT_FALSE(s.server.hints.has_value());
  EXPECT_TRUE(s.server.preload.empty());
  EXPECT_EQ(s.server.notsent_lowat_bytes, defaults.server.notsent_lowat_bytes);
  EXPECT_EQ(s.server.max_frame_bytes, defaults.server.max_frame_bytes);
  EXPECT_EQ(s.server.send_buffer_bytes, 4194304u);  // Linux tcp_wmem max, as sim/net/topology.cc
  EXPECT_EQ(s.server.max_concurrent_streams, 100u);
  EXPECT_EQ(s.client.connection, defaults.client.connection);
  EXPECT_TRUE(s.client.cache.empty());
  EXPECT_EQ(s.client.h1_connections, defaults.client.h1_connections);
  EXPECT_EQ(s.client.h1_early_hints, defaults.client.h1_early_hints);
  EXPECT_EQ(s.client.h2_stream_window_bytes, defaults.client.h2_stream_window_bytes);
  EXPECT_EQ(s.client.h2_connection_window_bytes, defaults.client.h2_connection_window_bytes);
  EXPECT_EQ(s.client.timeout_ms, defaults.client.timeout_ms);
  ASSERT_EQ(s.resources.size(), 2u);
  EXPECT_TRUE(s.resources[0].render_blocking);
  const Resource& js = s.resources[1];
  EXPECT_FALSE(js.discover_at_bytes.has_value());
  EXPECT_EQ(js.process_ms, 0);
  EXPECT_EQ(js.think_ms, 0);
  EXPECT_FALSE(js.render_blocking);
  EXPECT_EQ(s.PushSet(), std::vector<std::string>{"/app.js"});
}

TEST(ScenarioLoaderTest, MovesDocumentFirstAndKeepsOtherResourcesInFileOrder) {
  const Scenario s = Load(R"(
name = "order"
[[resource]]
url = "/c.css"
type = "style"
size = 1
parent = "/index.html"
[[resource]]
url = "/a.js"
type = "script"
size = 1
parent = "/index.html"
[[resource]]
url = "/index.html"
type = "document"
size = 10
[[resource]]
url = "/b.png"
type = "image"
size = 1
parent = "/index.html"
)");
  ASSERT_EQ(s.resources.size(), 4u);
  EXPECT_EQ(s.resources[0].url, "/index.html");
  EXPECT_EQ(s.resources[1].url, "/c.css");
  EXPECT_EQ(s.resources[2].url, "/a.js");
  EXPECT_EQ(s.resources[3].url, "/b.png");
}

TEST(ScenarioLoaderTest, AcceptsIntegersForFloatKeys) {
  const Scenario s = Load("name = \"t\"\n[network]\nloss_rate = 0\nrtt_ms = 50\n" + kDocument);
  EXPECT_EQ(s.network.loss_rate, 0);
  EXPECT_EQ(s.network.rtt_ms, 50);
}

TEST(ScenarioLoaderTest, AcceptsInlineTablesAndDottedKeys) {
  const Scenario s = Load(R"(
name = "inline"
network.rtt_ms = 20
client = { connection = "warm" }
resource = [{ url = "/", type = "document", size = 5 }]
)");
  EXPECT_EQ(s.network.rtt_ms, 20);
  EXPECT_EQ(s.client.connection, ConnectionStart::kWarm);
  EXPECT_EQ(s.resources[0].url, "/");
}

TEST(ScenarioLoaderTest, AllowsTheDocumentInClientCache) {
  const Scenario s = Load(kMinimal + "[client]\ncache = [\"/index.html\"]\n");
  EXPECT_TRUE(s.IsCached("/index.html"));
}

TEST(ScenarioLoaderTest, LoadsFromAFile) {
  const std::string path = ::testing::TempDir() + "scenario_loader_test_file.toml";
  {
    std::ofstream out(path);
    out << kMinimal;
  }
  const Scenario s = LoadScenarioFile(path, {{"network.rtt_ms", "7"}});
  EXPECT_EQ(s.source_path, path);
  EXPECT_EQ(s.network.rtt_ms, 7);
  std::remove(path.c_str());
}

// ---- Files that cannot be read or parsed ----------------------------------------------------

TEST(ScenarioLoaderTest, ReportsMissingFile) {
  const std::string path = ::testing::TempDir() + "no/such/scenario.toml";
  try {
    LoadScenarioFile(path);
    FAIL() << "loaded a missing file";
  } catch (const ScenarioError& e) {
    ExpectMentions(e.what(), {path, "cannot read file"});
  }
}

TEST(ScenarioLoaderTest, ReportsDirectoryAsUnreadable) {
  const std::string path = ::testing::TempDir();
  try {
    LoadScenarioFile(path);
    FAIL() << "loaded a directory";
  } catch (const ScenarioError& e) {
    ExpectMentions(e.what(), {path, "cannot read file"});
  }
}

TEST(ScenarioLoaderTest, ReportsTomlSyntaxErrorWithLineAndColumn) {
  ExpectMentions(ErrorOf("name = \"t\"\n[network]\nrtt_ms = = 5\n"),
                 {"test.toml:3:", "TOML syntax error"});
}

TEST(ScenarioLoaderTest, ReportsDuplicateKeyAsSyntaxError) {
  ExpectMentions(ErrorOf("name = \"t\"\nname = \"u\"\n"), {"test.toml:2:", "TOML syntax error"});
}

TEST(ScenarioLoaderTest, RejectsEmptyFile) {
  ExpectMentions(ErrorOf(""), {kFile, "name", "missing", "empty"});
}

TEST(ScenarioLoaderTest, RejectsFileWithoutResources) {
  ExpectMentions(ErrorOf("name = \"t\"\n"), {kFile, "resource", "no resources"});
}

TEST(ScenarioLoaderTest, RejectsEmptyResourceArray) {
  ExpectMentions(ErrorOf("name = \"t\"\nresource = []\n"), {kFile, "resource", "no resources"});
}

// ---- name -----------------------------------------------------------------------------------

TEST(ScenarioLoaderTest, RejectsMissingName) {
  ExpectMentions(ErrorOf(kDocument), {kFile, "name", "missing required key"});
}

TEST(ScenarioLoaderTest, RejectsEmptyName) {
  ExpectMentions(ErrorOf("name = \"\"\n" + kDocument), {"test.toml:1:", "name", "empty"});
}

TEST(ScenarioLoaderTest, RejectsNameThatIsNotADirectoryName) {
  for (const char* bad : {"a/b", "seed 200ms", "..", ".", "caf\\u00e9"}) {
    SCOPED_TRACE(bad);
    ExpectMentions(ErrorOf("name = \"" + std::string(bad) + "\"\n" + kDocument),
                   {kFile, "name", "letters, digits"});
  }
}

TEST(ScenarioLoaderTest, RejectsNameThatIsNotAString) {
  ExpectMentions(ErrorOf("name = 5\n" + kDocument), {kFile, "name", "expected a string"});
}

TEST(ScenarioLoaderTest, AcceptsNameWithDotsDashesAndUnderscores) {
  EXPECT_EQ(Load("name = \"seed-200ms_v1.2\"\n" + kDocument).name, "seed-200ms_v1.2");
}

// ---- Unknown keys ---------------------------------------------------------------------------

TEST(ScenarioLoaderTest, RejectsUnknownTopLevelKey) {
  ExpectMentions(ErrorOf("nmae = \"t\"\n" + kMinimal),
                 {"test.toml:1:1", "nmae", "unknown key", "did you mean name?"});
}

TEST(ScenarioLoaderTest, RejectsUnknownNetworkKeyAndSuggestsClosest) {
  ExpectMentions(ErrorOf(kMinimal + "[network]\nrtt_m = 5\n"),
                 {kFile, "network.rtt_m", "unknown key", "did you mean rtt_ms?"});
}

TEST(ScenarioLoaderTest, RejectsUnknownServerKey) {
  ExpectMentions(ErrorOf(kMinimal + "[server]\nthinkms = 5\n"),
                 {kFile, "server.thinkms", "unknown key", "did you mean think_ms?"});
}

TEST(ScenarioLoaderTest, RejectsUnknownClientKey) {
  ExpectMentions(ErrorOf(kMinimal + "[client]\ncahce = []\n"),
                 {kFile, "client.cahce", "unknown key", "did you mean cache?"});
}

TEST(ScenarioLoaderTest, RejectsUnknownResourceKey) {
  ExpectMentions(ErrorOf(WithChild("sise = 5")),
                 {kFile, "resource[1].sise", "\"/app.js\"", "unknown key", "did you mean size?"});
}

TEST(ScenarioLoaderTest, ListsKnownKeysWhenNoneIsClose) {
  ExpectMentions(ErrorOf(kMinimal + "[network]\nfrobnicate = 1\n"),
                 {"network.frobnicate", "unknown key", "known keys here", "rtt_ms", "mss"});
}

TEST(ScenarioLoaderTest, PointsMisplacedKeyToItsTable) {
  ExpectMentions(ErrorOf("rtt_ms = 5\n" + kMinimal),
                 {"rtt_ms", "unknown key", "did you mean network.rtt_ms?", "[network]"});
}

TEST(ScenarioLoaderTest, PointsMisplacedResourceKeyToResources) {
  ExpectMentions(ErrorOf("url = \"/x\"\n" + kMinimal),
                 {"test.toml:1:1", "url", "unknown key", "belongs in a [[resource]]"});
}

TEST(ScenarioLoaderTest, PointsNameAfterATableHeaderToTheTopLevel) {
  ExpectMentions(ErrorOf(kDocument + "name = \"t\"\n"),
                 {kFile, "name", "missing required key", "there is a name in resource[0]",
                  "before the first [table] header"});
}

TEST(ScenarioLoaderTest, RejectsUnknownSubTable) {
  ExpectMentions(ErrorOf(kMinimal + "[network.extra]\nx = 1\n"),
                 {kFile, "network.extra", "unknown key"});
}

// ---- Types ----------------------------------------------------------------------------------

TEST(ScenarioLoaderTest, RejectsStringWhereNumberExpected) {
  ExpectMentions(ErrorOf(kMinimal + "[network]\nrtt_ms = \"200\"\n"),
                 {"test.toml:8:10", "network.rtt_ms", "expected a number", "a string (\"200\")"});
}

TEST(ScenarioLoaderTest, RejectsFloatWithoutFractionForIntegerKey) {
  ExpectMentions(ErrorOf(kMinimal + "[network]\nqueue_packets = 100.0\n"),
                 {kFile, "network.queue_packets", "expected an integer", "a float (100.0)",
                  "without a decimal point"});
}

TEST(ScenarioLoaderTest, RejectsFractionalFloatForIntegerKey) {
  ExpectMentions(ErrorOf(WithChild("", "1.5")),
                 {kFile, "resource[1].size", "expected an integer", "1.5"});
}

TEST(ScenarioLoaderTest, RejectsNaN) {
  ExpectMentions(ErrorOf(kMinimal + "[network]\nloss_rate = nan\n"),
                 {kFile, "network.loss_rate", "finite", "nan"});
}

TEST(ScenarioLoaderTest, RejectsInfinity) {
  ExpectMentions(ErrorOf(kMinimal + "[client]\ntimeout_ms = inf\n"),
                 {kFile, "client.timeout_ms", "finite", "inf"});
  ExpectMentions(ErrorOf(kMinimal + "[network]\nrtt_ms = -inf\n"),
                 {kFile, "network.rtt_ms", "finite", "-inf"});
}

TEST(ScenarioLoaderTest, RejectsNaNForIntegerKey) {
  ExpectMentions(ErrorOf(kMinimal + "[network]\nmss = nan\n"),
                 {kFile, "network.mss", "expected an integer", "nan"});
}

TEST(ScenarioLoaderTest, RejectsNegativeSize) {
  ExpectMentions(
      ErrorOf(kMinimal + "[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = -1\n"
                         "parent = \"/index.html\"\n"),
      {kFile, "resource[1].size", "(\"/a.js\")", "expected an integer in [0, 1073741824], got -1"});
}

TEST(ScenarioLoaderTest, RejectsNegativeTime) {
  ExpectMentions(ErrorOf(WithChild("process_ms = -3")),
                 {kFile, "resource[1].process_ms", "[0, 600000]", "-3"});
}

TEST(ScenarioLoaderTest, RejectsWrongTypeForBoolean) {
  ExpectMentions(ErrorOf(kMinimal + "[client]\nh1_early_hints = \"yes\"\n"),
                 {kFile, "client.h1_early_hints", "expected true or false"});
}

TEST(ScenarioLoaderTest, RejectsUnknownEnumValueAndSuggestsClosest) {
  ExpectMentions(ErrorOf(kMinimal + "[network]\ntcp = \"cubik\"\n"),
                 {kFile, "network.tcp", "\"cubic\", \"newreno\", \"bbr\"", "\"cubik\"",
                  "did you mean \"cubic\"?"});
}

TEST(ScenarioLoaderTest, RejectsEveryBadEnum) {
  struct Case {
    std::string text, key;
  };
  for (const Case& c : std::vector<Case>{
           {"[network]\nqueue = \"red\"\n", "network.queue"},
           {"[server]\npush_order = \"during\"\n", "server.push_order"},
           {"[client]\nconnection = 1\n", "client.connection"},
       }) {
    SCOPED_TRACE(c.key);
    ExpectMentions(ErrorOf(kMinimal + c.text), {kFile, c.key, "expected one of"});
  }
  ExpectMentions(ErrorOf(kMinimal + Child("", "1", "\"js\"")),
                 {kFile, "resource[1].type", "expected one of", "\"document\"", "\"js\""});
}

TEST(ScenarioLoaderTest, RejectsSectionThatIsNotATable) {
  ExpectMentions(ErrorOf("network = 5\n" + kMinimal), {kFile, "network", "expected a table"});
}

TEST(ScenarioLoaderTest, RejectsResourceThatIsNotAnArrayOfTables) {
  ExpectMentions(ErrorOf("name = \"t\"\n[resource]\nurl = \"/\"\n"),
                 {kFile, "resource", "expected an array of tables", "[[resource]]"});
  ExpectMentions(ErrorOf("name = \"t\"\nresource = [1]\n"),
                 {kFile, "resource[0]", "expected a table"});
}

TEST(ScenarioLoaderTest, RejectsUrlListThatIsNotAnArrayOfStrings) {
  ExpectMentions(ErrorOf(WithChild("") + "[server]\npush = \"/app.js\"\n"),
                 {kFile, "server.push", "expected an array"});
  ExpectMentions(ErrorOf(WithChild("") + "[server]\npreload = [\"/app.js\", 3]\n"),
                 {kFile, "server.preload[1]", "expected a URL string", "an integer (3)"});
}

// ---- Limits ---------------------------------------------------------------------------------

struct LimitCase {
  const char* name;   // test name suffix
  std::string text;   // appended to kMinimal (a document at resource[0])
  std::string key;    // dotted key in the message
  std::string range;  // allowed range in the message
};

// What ctest and gtest print for a case: its name, not a dump of the struct's bytes.
void PrintTo(const LimitCase& c, std::ostream* os) { *os << c.name; }

class LimitTest : public ::testing::TestWithParam<LimitCase> {};

TEST_P(LimitTest, RejectsOutOfRangeValueWithItsRange) {
  const LimitCase& c = GetParam();
  ExpectMentions(ErrorOf(kMinimal + c.text), {kFile, c.key, c.range});
}

INSTANTIATE_TEST_SUITE_P(
    ScenarioLoaderTest, LimitTest,
    ::testing::Values(
        LimitCase{"RttNegative", "[network]\nrtt_ms = -5", "network.rtt_ms", "[0, 10000]"},
        LimitCase{"RttTooLarge", "[network]\nrtt_ms = 10000.5", "network.rtt_ms", "[0, 10000]"},
        LimitCase{"BandwidthZero", "[network]\nbandwidth_mbps = 0", "network.bandwidth_mbps",
                  "(0, 100000]"},
        LimitCase{"BandwidthTooLarge", "[network]\nbandwidth_mbps = 100001",
                  "network.bandwidth_mbps", "(0, 100000]"},
        LimitCase{"UplinkZero", "[network]\nuplink_mbps = 0", "network.uplink_mbps", "(0, 100000]"},
        LimitCase{"QueueZero", "[network]\nqueue_packets = 0", "network.queue_packets",
                  "[1, 100000]"},
        LimitCase{"QueueTooLarge", "[network]\nqueue_packets = 100001", "network.queue_packets",
                  "[1, 100000]"},
        LimitCase{"LossNegative", "[network]\nloss_rate = -0.1", "network.loss_rate", "[0, 0.5]"},
        LimitCase{"LossTooLarge", "[network]\nloss_rate = 0.6", "network.loss_rate", "[0, 0.5]"},
        LimitCase{"CwndZero", "[network]\ninitial_cwnd = 0", "network.initial_cwnd", "[1, 1000]"},
        LimitCase{"CwndTooLarge", "[network]\ninitial_cwnd = 1001", "network.initial_cwnd",
                  "[1, 1000]"},
        LimitCase{"MssTooSmall", "[network]\nmss = 535", "network.mss", "[536, 9000]"},
        LimitCase{"MssTooLarge", "[network]\nmss = 9001", "network.mss", "[536, 9000]"},
        LimitCase{"ServerThinkTooLarge", "[server]\nthink_ms = 600001", "server.think_ms",
                  "[0, 600000]"},
        LimitCase{"NotsentLowatTooLarge", "[server]\nnotsent_lowat_bytes = 1073741825",
                  "server.notsent_lowat_bytes", "[0, 1073741824]"},
        LimitCase{"MaxFrameTooSmall", "[server]\nmax_frame_bytes = 16383", "server.max_frame_bytes",
                  "[16384, 16777215]"},
        LimitCase{"MaxFrameTooLarge", "[server]\nmax_frame_bytes = 16777216",
                  "server.max_frame_bytes", "[16384, 16777215]"},
        LimitCase{"SendBufferTooSmall", "[server]\nsend_buffer_bytes = 4095",
                  "server.send_buffer_bytes", "[4096, 1073741824]"},
        LimitCase{"SendBufferTooLarge", "[server]\nsend_buffer_bytes = 1073741825",
                  "server.send_buffer_bytes", "[4096, 1073741824]"},
        LimitCase{"MaxConcurrentStreamsZero", "[server]\nmax_concurrent_streams = 0",
                  "server.max_concurrent_streams", "[1, 2147483647]"},
        LimitCase{"MaxConcurrentStreamsTooLarge", "[server]\nmax_concurrent_streams = 2147483648",
                  "server.max_concurrent_streams", "[1, 2147483647]"},
        LimitCase{"H1ConnectionsZero", "[client]\nh1_connections = 0", "client.h1_connections",
                  "[1, 256]"},
        LimitCase{"H1ConnectionsTooLarge", "[client]\nh1_connections = 257",
                  "client.h1_connections", "[1, 256]"},
        LimitCase{"StreamWindowTooSmall", "[client]\nh2_stream_window_bytes = 65534",
                  "client.h2_stream_window_bytes", "[65535, 2147483647]"},
        LimitCase{"ConnectionWindowTooLarge", "[client]\nh2_connection_window_bytes = 2147483648",
                  "client.h2_connection_window_bytes", "[65535, 2147483647]"},
        LimitCase{"TimeoutZero", "[client]\ntimeout_ms = 0", "client.timeout_ms", "(0, 3600000]"},
        LimitCase{"TimeoutTooLarge", "[client]\ntimeout_ms = 3600001", "client.timeout_ms",
                  "(0, 3600000]"},
        LimitCase{"SizeTooLarge", Child("", "1073741825"), "resource[1].size", "[0, 1073741824]"},
        LimitCase{"ProcessTooLarge", Child("process_ms = 600001"), "resource[1].process_ms",
                  "[0, 600000]"},
        LimitCase{"ResourceThinkTooLarge", Child("think_ms = 1e6"), "resource[1].think_ms",
                  "[0, 600000]"},
        LimitCase{"DiscoverAtNegative", Child("discover_at = -1"), "resource[1].discover_at",
                  "[0, 1073741824]"}),
    [](const ::testing::TestParamInfo<LimitCase>& info) { return std::string(info.param.name); });

TEST(ScenarioLoaderTest, AcceptsValuesAtTheLimits) {
  const Scenario s = Load(kMinimal + R"(
[network]
rtt_ms = 10000
bandwidth_mbps = 100000
uplink_mbps = 0.001
queue_packets = 100000
loss_rate = 0.5
initial_cwnd = 1000
mss = 536
[server]
think_ms = 600000
notsent_lowat_bytes = 1073741824
max_frame_bytes = 16777215
send_buffer_bytes = 1073741824
max_concurrent_streams = 2147483647
[client]
h1_connections = 256
h2_stream_window_bytes = 2147483647
h2_connection_window_bytes = 65535
timeout_ms = 3600000
[[resource]]
url = "/big.bin"
type = "other"
size = 1073741824
parent = "/index.html"
process_ms = 600000
think_ms = 0
)");
  EXPECT_EQ(s.network.mss_bytes, 536u);
  EXPECT_EQ(s.server.max_frame_bytes, 16777215u);
  EXPECT_EQ(s.client.h2_stream_window_bytes, 2147483647u);
  EXPECT_EQ(s.resources[1].size_bytes, 1073741824u);
  EXPECT_EQ(s.server.send_buffer_bytes, 1073741824u);
  EXPECT_EQ(s.server.max_concurrent_streams, 2147483647u);
  const Scenario low =
      Load(kMinimal + "[server]\nsend_buffer_bytes = 4096\nmax_concurrent_streams = 1\n");
  EXPECT_EQ(low.server.send_buffer_bytes, 4096u);
  EXPECT_EQ(low.server.max_concurrent_streams, 1u);
}

TEST(ScenarioLoaderTest, RejectsSendBufferBelowLinuxMinimumWithExactMessage) {
  EXPECT_EQ(ErrorOf(kMinimal + "[server]\nsend_buffer_bytes = 100\n"),
            "test.toml:8:21: server.send_buffer_bytes: expected an integer in [4096, 1073741824], "
            "got 100");
  EXPECT_EQ(ErrorOf(kMinimal, {{"server.max_concurrent_streams", "0"}}),
            "test.toml: server.max_concurrent_streams: expected an integer in [1, 2147483647], "
            "got 0 (from --set server.max_concurrent_streams=0)");
}

// ---- Link headers (nghttp2 sends at most 64 KiB of header fields per response) --------------

// A document with `n` image children "/i/00000.png"...; `server` goes in [server].
std::string ManyChildren(int n, const std::string& server) {
  std::string text = "name = \"t\"\n[server]\n" + server + "\n" + kDocument;
  char url[32];
  for (int i = 0; i < n; ++i) {
    std::snprintf(url, sizeof url, "/i/%05d.png", i);
    text += "[[resource]]\nurl = \"" + std::string(url) +
            "\"\ntype = \"image\"\nsize = 1\nparent = \"/index.html\"\n";
  }
  return text;
}

// ["/i/00000.png", ...] of the first n children.
std::string UrlArray(int n) {
  std::string out = "[";
  char url[32];
  for (int i = 0; i < n; ++i) {
    std::snprintf(url, sizeof url, "%s\"/i/%05d.png\"", i ? ", " : "", i);
    out += url;
  }
  return out + "]";
}

// Each link is "</i/00000.png>; rel=preload; as=image" (37 bytes) plus ", " between links.
constexpr int kLinkBytes = 37 + 2;

TEST(ScenarioLoaderTest, RejectsTwoThousandFiveHundredHintsWithTheHeaderLimit) {
  // 2500 links: 2500 * 39 - 2 = 97498 bytes. The 103's other fields: ":status: 103"; nghttp2
  // counts 12 + 5 + (12 + 7 + 3) + (12 + 4 + link) = 55 + link, so the link may have 65481.
  const std::string message = ErrorOf(ManyChildren(2500, "hints = " + UrlArray(2500)));
  EXPECT_EQ(message,
            "test.toml:3:9: server.hints: the 103's Link header would be 97498 bytes; the limit is "
            "65481 (nghttp2 sends at most 65536 bytes of header fields per response, "
            "NGHTTP2_MAX_HEADERSLEN, counted as nghttp2_hd_deflate_bound does); hint fewer URLs");
  EXPECT_EQ(2500 * kLinkBytes - 2, 97498);
}

TEST(ScenarioLoaderTest, RejectsDefaultHintSetTooLargeForOneHeaderAndSaysHowToFixIt) {
  ExpectMentions(ErrorOf(ManyChildren(2500, "")),
                 {"test.toml: server.hints: the 103's Link header would be 97498 bytes",
                  "server.hints is not set, so it hints the push set (every child of the "
                  "document): set server.hints to fewer URLs, or to [] for no 103"});
  // The way out the message names loads.
  EXPECT_EQ(Load(ManyChildren(2500, "hints = []")).resources.size(), 2501u);
}

TEST(ScenarioLoaderTest, RejectsTwoThousandFiveHundredPreloadsWithTheHeaderLimit) {
  // The document's 200: content-type "text/html; charset=utf-8", content-length "14000",
  // cache-control "max-age=3600", link: 12 + 5 + 22 + (12+12+24) + (12+14+5) + (12+13+12)
  // + (12+4) = 171 + link, so the link may have 65365.
  ExpectMentions(
      ErrorOf(ManyChildren(2500, "hints = []\npreload = " + UrlArray(2500))),
      {"test.toml:4:11: server.preload: the document's Link header would be 97498 bytes; the "
       "limit is 65365 (nghttp2 sends at most 65536 bytes of header fields per response",
       "preload fewer URLs"});
}

TEST(ScenarioLoaderTest, AcceptsLinkHeadersUpToTheLimit) {
  // 1679 links = 65479 bytes (<= 65481) of hints; 1676 = 65362 (<= 65365) of preload.
  EXPECT_NO_THROW(Load(ManyChildren(1679, "hints = " + UrlArray(1679))));
  EXPECT_NE(ErrorOf(ManyChildren(1680, "hints = " + UrlArray(1680))), "");
  EXPECT_NO_THROW(Load(ManyChildren(1676, "hints = []\npreload = " + UrlArray(1676))));
  EXPECT_NE(ErrorOf(ManyChildren(1677, "hints = []\npreload = " + UrlArray(1677))), "");
}

// ---- Warnings -------------------------------------------------------------------------------

TEST(ScenarioLoaderTest, WarnsWhenAServerTimeCannotFinishBeforeTheTimeout) {
  EXPECT_TRUE(ScenarioWarnings(Load(WithChild("think_ms = 100"))).empty());
  const Scenario s = Load(WithChild("think_ms = 5000\nprocess_ms = 9000") +
                          "[[resource]]\nurl = \"/b.js\"\ntype = \"script\"\nsize = 1\n"
                          "parent = \"/app.js\"\nprocess_ms = 9000\n"
                          "[server]\nthink_ms = 4000\n[client]\ntimeout_ms = 5000\n");
  // server.think_ms 4000 < 5000: fine. /app.js thinks 5000 (not less than the limit) and
  // processes 9000 before /b.js appears; /b.js's process_ms delays nothing (no children).
  EXPECT_EQ(ScenarioWarnings(s),
            (std::vector<std::string>{
                "test.toml: resource[/app.js].think_ms = 5000 is not less than "
                "client.timeout_ms = 5000: it cannot arrive in time, so the run will time out",
                "test.toml: resource[/app.js].process_ms = 9000 is not less than "
                "client.timeout_ms = 5000: what it references cannot be discovered in time, so "
                "the run will time out"}));
  EXPECT_EQ(ScenarioWarnings(Load(kMinimal, {{"server.think_ms", "200000"}})),
            std::vector<std::string>{
                "test.toml: server.think_ms = 200000 is not less than client.timeout_ms = "
                "120000: the document cannot arrive in time, so the run will time out"});
}

// ---- URLs -----------------------------------------------------------------------------------

std::string WithUrl(const std::string& toml_string) {
  return kMinimal + "[[resource]]\nurl = " + toml_string +
         "\ntype = \"image\"\nsize = 1\nparent = \"/index.html\"\n";
}

TEST(ScenarioLoaderTest, RejectsEmptyUrl) {
  ExpectMentions(ErrorOf(WithUrl("\"\"")), {kFile, "resource[1].url", "empty"});
}

TEST(ScenarioLoaderTest, RejectsUrlWithoutLeadingSlash) {
  ExpectMentions(ErrorOf(WithUrl("\"a.png\"")),
                 {kFile, "resource[1].url", "starting with '/'", "\"a.png\""});
}

TEST(ScenarioLoaderTest, RejectsUrlLongerThan2048Bytes) {
  ExpectMentions(ErrorOf(WithUrl("\"/" + std::string(2048, 'a') + "\"")),
                 {kFile, "resource[1].url", "2049 bytes", "at most 2048"});
  EXPECT_NO_THROW(Load(WithUrl("\"/" + std::string(2047, 'a') + "\"")));
}

TEST(ScenarioLoaderTest, RejectsUrlWithSpace) {
  ExpectMentions(ErrorOf(WithUrl("\"/a b.png\"")), {kFile, "resource[1].url", "space"});
}

TEST(ScenarioLoaderTest, RejectsUrlWithControlCharacter) {
  ExpectMentions(ErrorOf(WithUrl("\"/a\\tb.png\"")),
                 {kFile, "resource[1].url", "control character", "\\x09"});
  ExpectMentions(ErrorOf(WithUrl("\"/a\\u007fb\"")), {kFile, "resource[1].url", "control"});
}

TEST(ScenarioLoaderTest, RejectsMissingUrl) {
  ExpectMentions(ErrorOf(kMinimal + "[[resource]]\ntype = \"image\"\nsize = 1\n"),
                 {kFile, "resource[1].url", "missing required key"});
}

TEST(ScenarioLoaderTest, RejectsMissingTypeAndSize) {
  ExpectMentions(ErrorOf(kMinimal + "[[resource]]\nurl = \"/a\"\nsize = 1\nparent = \"/\"\n"),
                 {kFile, "resource[1].type", "missing required key"});
  ExpectMentions(
      ErrorOf(kMinimal + "[[resource]]\nurl = \"/a\"\ntype = \"image\"\nparent = \"/\"\n"),
      {kFile, "resource[1].size", "missing required key"});
}

// ---- The page graph -------------------------------------------------------------------------

TEST(ScenarioLoaderTest, RejectsTwoDocuments) {
  ExpectMentions(
      ErrorOf(kMinimal + "[[resource]]\nurl = \"/other.html\"\ntype = \"document\"\nsize = 1\n"),
      {kFile, "resource[1].type", "\"/other.html\"", "second document", "resource[0]"});
}

TEST(ScenarioLoaderTest, RejectsPageWithoutDocument) {
  ExpectMentions(ErrorOf("name = \"t\"\n[[resource]]\nurl = \"/a\"\ntype = \"style\"\nsize = 1\n"
                         "parent = \"/a\"\n"),
                 {kFile, "resource", "no document", "type = \"document\""});
}

TEST(ScenarioLoaderTest, RejectsDuplicateUrl) {
  ExpectMentions(ErrorOf(WithChild("") + Child("")),
                 {kFile, "resource[2].url", "\"/app.js\"", "duplicate url", "resource[1]"});
}

TEST(ScenarioLoaderTest, RejectsParentThatDoesNotExist) {
  ExpectMentions(ErrorOf(kMinimal + "[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\n"
                                    "size = 1\nparent = \"/nope.html\"\n"),
                 {"test.toml:11:10", "resource[1].parent", "\"/a.js\"", "no resource has url",
                  "\"/nope.html\""});
}

TEST(ScenarioLoaderTest, RejectsDocumentWithParent) {
  ExpectMentions(ErrorOf(kMinimal + "parent = \"/index.html\"\n"),
                 {kFile, "resource[0].parent", "\"/index.html\"", "not allowed on the document"});
}

TEST(ScenarioLoaderTest, RejectsNonDocumentWithoutParent) {
  ExpectMentions(ErrorOf(kMinimal + "[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = 1\n"),
                 {kFile, "resource[1].parent", "\"/a.js\"", "missing required key"});
}

TEST(ScenarioLoaderTest, RejectsThinkMsOnDocument) {
  ExpectMentions(ErrorOf(kMinimal + "think_ms = 5\n"),
                 {kFile, "resource[0].think_ms", "not allowed on the document", "server.think_ms"});
}

TEST(ScenarioLoaderTest, RejectsDocumentThatIsNotRenderBlocking) {
  ExpectMentions(ErrorOf(kMinimal + "render_blocking = false\n"),
                 {kFile, "resource[0].render_blocking", "always render blocking"});
}

TEST(ScenarioLoaderTest, RejectsDependencyCycleAndNamesItsUrls) {
  const std::string text = kMinimal + R"(
[[resource]]
url = "/ok.css"
type = "style"
size = 1
parent = "/index.html"
[[resource]]
url = "/hangs-off-cycle.js"
type = "script"
size = 1
parent = "/b.js"
[[resource]]
url = "/a.js"
type = "script"
size = 1
parent = "/c.js"
[[resource]]
url = "/b.js"
type = "script"
size = 1
parent = "/a.js"
[[resource]]
url = "/c.js"
type = "script"
size = 1
parent = "/b.js"
)";
  const std::string message = ErrorOf(text);
  ExpectMentions(message, {kFile, "resource[3].parent", "dependency cycle",
                           "\"/a.js\" -> \"/c.js\" -> \"/b.js\" -> \"/a.js\""});
  EXPECT_EQ(message.find("hangs-off-cycle"), std::string::npos) << message;
}

TEST(ScenarioLoaderTest, RejectsResourceThatIsItsOwnParent) {
  ExpectMentions(ErrorOf(kMinimal + "[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = 1\n"
                                    "parent = \"/a.js\"\n"),
                 {kFile, "resource[1].parent", "dependency cycle", "\"/a.js\" -> \"/a.js\""});
}

TEST(ScenarioLoaderTest, RejectsDiscoverAtBeyondParentSize) {
  ExpectMentions(ErrorOf(WithChild("discover_at = 14001")),
                 {kFile, "resource[1].discover_at", "\"/app.js\"", "14001", "beyond the end",
                  "\"/index.html\"", "[0, 14000]"});
}

TEST(ScenarioLoaderTest, RejectsUrlListEntriesThatAreNotResources) {
  for (const char* key : {"server.push", "server.hints", "server.preload", "client.cache"}) {
    SCOPED_TRACE(key);
    const std::string table = std::string(key).substr(0, std::string(key).find('.'));
    const std::string name = std::string(key).substr(table.size() + 1);
    ExpectMentions(ErrorOf(WithChild("") + "[" + table + "]\n" + name +
                           " = [\"/app.js\", \"/missing.css\"]\n"),
                   {kFile, std::string(key) + "[1]", "\"/missing.css\"", "not a resource"});
  }
}

TEST(ScenarioLoaderTest, RejectsTheDocumentInPushList) {
  ExpectMentions(ErrorOf(kMinimal + "[server]\npush = [\"/index.html\"]\n"),
                 {kFile, "server.push[0]", "the document itself"});
}

TEST(ScenarioLoaderTest, RejectsUrlListedTwice) {
  ExpectMentions(ErrorOf(WithChild("") + "[server]\nhints = [\"/app.js\", \"/app.js\"]\n"),
                 {kFile, "server.hints[1]", "listed twice"});
}

TEST(ScenarioLoaderTest, AcceptsEmptyPushListMeaningPushNothing) {
  const Scenario s = Load(WithChild("") + "[server]\npush = []\n");
  ASSERT_TRUE(s.server.push.has_value());
  EXPECT_TRUE(s.PushSet().empty());
}

TEST(ScenarioLoaderTest, RejectsTooManyResources) {
  std::string text = "name = \"t\"\n" + kDocument;
  for (int i = 0; i < 100000; ++i) {
    text += "[[resource]]\nurl=\"/" + std::to_string(i) +
            "\"\ntype=\"image\"\nsize=1\nparent=\"/index.html\"\n";
  }
  ExpectMentions(ErrorOf(text),
                 {kFile, "resource", "too many resources: 100001", "at most 100000"});
}

// ---- Overrides ------------------------------------------------------------------------------

TEST(ScenarioLoaderTest, ParsesOverride) {
  Override o = ParseOverride("network.rtt_ms=50");
  EXPECT_EQ(o.key, "network.rtt_ms");
  EXPECT_EQ(o.value, "50");
  o = ParseOverride(" client.connection = warm ");
  EXPECT_EQ(o.key, "client.connection");
  EXPECT_EQ(o.value, "warm");
  o = ParseOverride("server.push=[\"/a.css\", \"/b=c.js\"]");
  EXPECT_EQ(o.value, "[\"/a.css\", \"/b=c.js\"]");
  o = ParseOverride("resource[/q?x=1].size=5");
  EXPECT_EQ(o.key, "resource[/q?x=1].size");
  EXPECT_EQ(o.value, "5");
  o = ParseOverride("client.cache=");
  EXPECT_EQ(o.value, "");
}

TEST(ScenarioLoaderTest, RejectsOverrideWithoutEquals) {
  try {
    ParseOverride("network.rtt_ms");
    FAIL();
  } catch (const ScenarioError& e) {
    ExpectMentions(e.what(), {"network.rtt_ms", "expected KEY=VALUE"});
  }
}

TEST(ScenarioLoaderTest, RejectsOverrideWithEmptyKey) {
  try {
    ParseOverride("=5");
    FAIL();
  } catch (const ScenarioError& e) {
    ExpectMentions(e.what(), {"expected KEY=VALUE", "key is empty"});
  }
}

TEST(ScenarioLoaderTest, RejectsMalformedOverrideKey) {
  for (const char* bad :
       {"network..rtt_ms=5", ".rtt_ms=5", "network.=5", "net work.rtt=5", "server.push[0]=\"/a\"",
        "resource.size=5", "resource[/a]=5", "resource[].size=5", "resource[/a].x.y=5"}) {
    SCOPED_TRACE(bad);
    try {
      ParseOverride(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ScenarioError& e) {
      ExpectMentions(e.what(), {"malformed key"});
    }
  }
  ExpectMentions(ErrorOf(kMinimal, {{"network..rtt_ms", "5"}}),
                 {kFile, "network..rtt_ms", "malformed key", "--set network..rtt_ms=5"});
}

TEST(ScenarioLoaderTest, OverridesNumber) {
  const Scenario s = Load(kMinimal + "[network]\nrtt_ms = 200\n", {{"network.rtt_ms", "50"}});
  EXPECT_EQ(s.network.rtt_ms, 50);
}

TEST(ScenarioLoaderTest, OverridesListAndCreatesMissingTable) {
  const Scenario s = Load(WithChild(""), {ParseOverride("client.cache=[\"/app.js\"]")});
  EXPECT_EQ(s.client.cache, std::vector<std::string>{"/app.js"});
}

TEST(ScenarioLoaderTest, OverridesWithBareString) {
  const Scenario s = Load(kMinimal, {ParseOverride("client.connection=warm")});
  EXPECT_EQ(s.client.connection, ConnectionStart::kWarm);
  EXPECT_EQ(Load(kMinimal, {ParseOverride("name=other-name")}).name, "other-name");
  EXPECT_EQ(Load(kMinimal, {ParseOverride("network.tcp=\"bbr\"")}).network.tcp, TcpVariant::kBbr);
}

TEST(ScenarioLoaderTest, OverridesBoolean) {
  EXPECT_TRUE(Load(kMinimal, {ParseOverride("client.h1_early_hints=true")}).client.h1_early_hints);
}

TEST(ScenarioLoaderTest, LaterOverrideWins) {
  const Scenario s = Load(kMinimal, {{"network.rtt_ms", "1"}, {"network.rtt_ms", "2"}});
  EXPECT_EQ(s.network.rtt_ms, 2);
}

TEST(ScenarioLoaderTest, OverridesResourceFieldByUrl) {
  const Scenario s = Load(WithChild(""), {ParseOverride("resource[/app.js].size=1000"),
                                          ParseOverride("resource[/app.js].render_blocking=true"),
                                          ParseOverride("resource[/index.html].size=99")});
  EXPECT_EQ(s.Find("/app.js")->size_bytes, 1000u);
  EXPECT_TRUE(s.Find("/app.js")->render_blocking);
  EXPECT_EQ(s.resources[0].size_bytes, 99u);
}

TEST(ScenarioLoaderTest, RejectsOverrideOfMissingResource) {
  ExpectMentions(ErrorOf(kMinimal, {ParseOverride("resource[/nope.css].size=1")}),
                 {kFile, "resource[/nope.css].size", "no resource has url \"/nope.css\"",
                  "--set resource[/nope.css].size=1"});
}

TEST(ScenarioLoaderTest, RejectsOverrideOfUnknownKeyAndSaysItCameFromSet) {
  ExpectMentions(
      ErrorOf(kMinimal, {ParseOverride("network.rtt=50")}),
      {kFile, "network.rtt", "unknown key", "did you mean rtt_ms?", "from --set network.rtt=50"});
  ExpectMentions(ErrorOf(kMinimal, {ParseOverride("netwrok.rtt_ms=50")}),
                 {kFile, "netwrok", "unknown key", "did you mean network?", "from --set"});
  ExpectMentions(ErrorOf(WithChild(""), {ParseOverride("resource[/app.js].sise=5")}),
                 {kFile, "resource[1].sise", "unknown key", "from --set resource[/app.js].sise=5"});
}

TEST(ScenarioLoaderTest, ValidatesOverriddenValuesAndSaysTheyCameFromSet) {
  ExpectMentions(ErrorOf(kMinimal, {ParseOverride("network.rtt_ms=-1")}),
                 {kFile, "network.rtt_ms", "[0, 10000]", "from --set network.rtt_ms=-1"});
  ExpectMentions(ErrorOf(kMinimal, {ParseOverride("network.rtt_ms=fast")}),
                 {kFile, "network.rtt_ms", "expected a number", "\"fast\"", "from --set"});
  ExpectMentions(ErrorOf(WithChild(""), {ParseOverride("resource[/app.js].size=-1")}),
                 {kFile, "resource[1].size", "\"/app.js\"", "from --set"});
}

TEST(ScenarioLoaderTest, RejectsOverrideThroughANonTable) {
  ExpectMentions(ErrorOf(kMinimal, {ParseOverride("name.x=1")}),
                 {kFile, "name.x", "name is a string", "not a table"});
}

// ---- Scale ----------------------------------------------------------------------------------

// resource i (1-based) is the child of resource i-1; resource 0 is the document.
std::string Chain(int n, bool reverse_file_order) {
  std::string text = "name = \"chain\"\n[[resource]]\nurl=\"/0\"\ntype=\"document\"\nsize=10\n";
  std::vector<std::string> blocks;
  for (int i = 1; i < n; ++i) {
    blocks.push_back("[[resource]]\nurl=\"/" + std::to_string(i) +
                     "\"\ntype=\"script\"\nsize=10\ndiscover_at=10\nparent=\"/" +
                     std::to_string(i - 1) + "\"\n");
  }
  if (reverse_file_order) std::reverse(blocks.begin(), blocks.end());
  for (const std::string& b : blocks) text += b;
  return text;
}

TEST(ScenarioLoaderTest, LoadsDeepChainWithoutRecursion) {
  const Scenario s = Load(Chain(100000, false));
  ASSERT_EQ(s.resources.size(), 100000u);
  EXPECT_EQ(s.resources.back().url, "/99999");
  EXPECT_EQ(s.resources.back().parent, "/99998");
}

TEST(ScenarioLoaderTest, LoadsDeepChainListedLeafFirst) {
  const Scenario s = Load(Chain(100000, true));
  ASSERT_EQ(s.resources.size(), 100000u);
  EXPECT_EQ(s.resources[1].url, "/99999");
}

TEST(ScenarioLoaderTest, ReportsLongCycleBriefly) {
  // 99999 resources in one cycle: /1 -> /99999 -> /99998 -> ... -> /2 -> /1.
  std::string text = Chain(100000, false);
  const std::string from = "parent=\"/0\"";
  text.replace(text.find(from), from.size(), "parent=\"/99999\"");
  const std::string message = ErrorOf(text);
  ExpectMentions(message, {"resource[1].parent", "dependency cycle", "\"/1\" -> \"/99999\"",
                           "more) -> \"/1\""});
  EXPECT_LT(message.size(), 1000u);
}

TEST(ScenarioLoaderTest, LoadsFlatPageOfMaximumSize) {
  std::string text = "name = \"flat\"\n" + kDocument;
  for (int i = 1; i < 100000; ++i) {
    text += "[[resource]]\nurl=\"/" + std::to_string(i) +
            "\"\ntype=\"image\"\nsize=1\nparent=\"/index.html\"\n";
  }
  // server.hints = []: the default hint set (every child) would not fit in one 103.
  const Scenario s =
      Load(text, {ParseOverride("client.cache=[\"/5\"]"), ParseOverride("server.hints=[]")});
  ASSERT_EQ(s.resources.size(), 100000u);
  EXPECT_EQ(s.resources[99999].url, "/99999");
  EXPECT_EQ(s.PushSet().size(), 99999u);
}

// A million resources are over the limit (100000): rejected, quickly, without running out of
// stack. Most of the time is toml++ parsing the 60 MB text (about 4 s and 1 GB here).
TEST(ScenarioLoaderTest, RejectsMillionResourcePagePromptly) {
  std::string text = "name = \"flat\"\nresource = [\n{url=\"/\",type=\"document\",size=1},\n";
  for (int i = 1; i < 1000000; ++i) {
    text += "{url=\"/" + std::to_string(i) + "\",type=\"image\",size=1,parent=\"/\"},\n";
  }
  text += "]\n";
  const auto start = std::chrono::steady_clock::now();
  ExpectMentions(ErrorOf(text), {kFile, "resource", "too many resources: 1000000"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 30.0);
  RecordProperty("million_resource_seconds", std::to_string(seconds));
}

// ---- The repository's scenarios ------------------------------------------------------------

TEST(ScenarioLoaderTest, LoadsEveryScenarioInTheRepository) {
#ifndef WATERFALL_SOURCE_DIR
  GTEST_SKIP() << "WATERFALL_SOURCE_DIR is not defined";
#else
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(WATERFALL_SOURCE_DIR) / "scenarios";
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".toml") files.push_back(it->path());
  }
  if (files.empty()) GTEST_SKIP() << "no scenarios/*.toml in " << WATERFALL_SOURCE_DIR;
  for (const fs::path& file : files) {
    try {
      LoadScenarioFile(file.string());
    } catch (const ScenarioError& e) {
      ADD_FAILURE() << e.what();
    }
  }
#endif
}

}  // namespace
}  // namespace waterfall
