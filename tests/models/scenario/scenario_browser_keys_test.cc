// The scenario keys of the Chrome browser model (docs/scenario-format.md, "Priorities",
// "Parsing" and "Renderer time"): a resource's priority, blocking, defer, async, lcp and
// head_bytes; server.scheduler; client.priority_header and the renderer's times. Each rule with
// the exact message it fails with, and the overrides that set these keys.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/scenario/scenario_loader.h"
#include "tests/support/scenario_text.h"

namespace waterfall {
namespace {

constexpr const char* kFile = testing::kScenarioFile;

// Lines 1-6: the name, a blank line, then the document's [[resource]] (its size on line 6);
// `doc_fields` go on line 7 and after.
std::string Page(const std::string& doc_fields = "") {
  return "name = \"t\"\n\n[[resource]]\nurl = \"/index.html\"\ntype = \"document\"\nsize = "
         "14000\n" +
         doc_fields;
}

// A [[resource]] child of the document: [[resource]] on its first line, then url, type, size,
// parent, and `fields` from its sixth line on.
std::string Child(const std::string& url, const std::string& type, const std::string& fields) {
  return "[[resource]]\nurl = \"" + url + "\"\ntype = \"" + type +
         "\"\nsize = 1000\nparent = \"/index.html\"\n" + fields;
}

using testing::ErrorOf;
using testing::Load;

// ---- Valid files ----------------------------------------------------------------------------

TEST(ScenarioBrowserKeys, LoadsEveryKeyIntoItsField) {
  const Scenario s = Load(
      "name = \"t\"\n[server]\nscheduler = \"rfc9218\"\n[client]\npriority_header = true\n"
      "navigation_ms = 40\ndiscovery_ms = 20\ndispatch_ms = 15.5\npaint_ms = 35\n"
      "load_event_ms = 10\n"
      "[[resource]]\nurl = \"/index.html\"\ntype = \"document\"\nsize = 14000\n"
      "head_bytes = 3000\nlcp = true\n" +
      Child("/a.js", "script", "blocking = true\npriority = \"very-high\"\n") +
      Child("/b.js", "script", "defer = true\n") +
      Child("/c.js", "script", "async = true\nblocking = false\ndefer = false\n") +
      Child("/d.png", "image", "priority = \"very-low\"\n"));
  EXPECT_EQ(s.server.scheduler, StreamScheduler::kRfc9218);
  EXPECT_TRUE(s.client.priority_header);
  EXPECT_EQ(s.client.navigation_ms, 40);
  EXPECT_EQ(s.client.discovery_ms, 20);
  EXPECT_EQ(s.client.dispatch_ms, 15.5);
  EXPECT_EQ(s.client.paint_ms, 35);
  EXPECT_EQ(s.client.load_event_ms, 10);
  const Resource& doc = s.resources[0];
  EXPECT_EQ(doc.head_bytes, 3000u);
  EXPECT_TRUE(doc.lcp);
  EXPECT_EQ(doc.priority, std::nullopt);
  const Resource& a = *s.Find("/a.js");
  EXPECT_TRUE(a.blocking);
  EXPECT_FALSE(a.defer);
  EXPECT_FALSE(a.async);
  EXPECT_EQ(a.priority, LoadPriority::kVeryHigh);
  EXPECT_FALSE(a.lcp);
  const Resource& b = *s.Find("/b.js");
  EXPECT_TRUE(b.defer);
  EXPECT_FALSE(b.blocking);
  EXPECT_FALSE(b.async);
  // blocking = false and defer = false beside async = true: one of them is true.
  const Resource& c = *s.Find("/c.js");
  EXPECT_TRUE(c.async);
  EXPECT_FALSE(c.blocking);
  EXPECT_FALSE(c.defer);
  EXPECT_EQ(s.Find("/d.png")->priority, LoadPriority::kVeryLow);
  EXPECT_EQ(s.Find("/d.png")->head_bytes, std::nullopt);
}

TEST(ScenarioBrowserKeys, AbsentKeysGiveTheDefaultsOfScenarioH) {
  const Scenario s = Load(Page() + Child("/a.js", "script", ""));
  EXPECT_EQ(s.server.scheduler, StreamScheduler::kRfc7540);
  EXPECT_FALSE(s.client.priority_header);
  for (double ms : {s.client.navigation_ms, s.client.discovery_ms, s.client.dispatch_ms,
                    s.client.paint_ms, s.client.load_event_ms}) {
    EXPECT_EQ(ms, 0);
  }
  for (const Resource& r : s.resources) {
    EXPECT_EQ(r.priority, std::nullopt);
    EXPECT_FALSE(r.blocking || r.defer || r.async || r.lcp);
    EXPECT_EQ(r.head_bytes, std::nullopt);
  }
}

TEST(ScenarioBrowserKeys, EachPriorityWordIsTheLoadPriorityOfThatName) {
  for (const char* word : {"very-low", "low", "medium", "high", "very-high"}) {
    SCOPED_TRACE(word);
    const Scenario s = Load(Page() + "priority = \"" + std::string(word) + "\"\n");
    ASSERT_TRUE(s.resources[0].priority);
    EXPECT_STREQ(ToString(*s.resources[0].priority), word);
  }
}

TEST(ScenarioBrowserKeys, EachSchedulerWordIsTheStreamSchedulerOfThatName) {
  for (const char* word : {"rfc7540", "rfc9218", "fifo", "round-robin"}) {
    SCOPED_TRACE(word);
    const Scenario s = Load("name = \"t\"\n[server]\nscheduler = \"" + std::string(word) + "\"\n" +
                            Page().substr(11));
    EXPECT_STREQ(ToString(s.server.scheduler), word);
  }
}

TEST(ScenarioBrowserKeys, HeadBytesMayBeTheWholeDocument) {
  EXPECT_EQ(Load(Page("head_bytes = 14000\n")).resources[0].head_bytes, 14000u);
  EXPECT_EQ(Load(Page("head_bytes = 0\n")).resources[0].head_bytes, 0u);
}

// ---- Rules and their messages -----------------------------------------------------------------

TEST(ScenarioBrowserKeys, RejectsAnUnknownPriorityWord) {
  // Line 7, `priority = "hgh"`: the value starts at column 12.
  EXPECT_EQ(ErrorOf(Page("priority = \"hgh\"\n")),
            "test.toml:7:12: resource[0].priority (\"/index.html\"): expected one of \"very-low\", "
            "\"low\", \"medium\", \"high\", \"very-high\", got \"hgh\"; did you mean \"high\"?");
  EXPECT_EQ(ErrorOf(Page("priority = 3\n")),
            "test.toml:7:12: resource[0].priority (\"/index.html\"): expected one of \"very-low\", "
            "\"low\", \"medium\", \"high\", \"very-high\", got an integer (3)");
}

TEST(ScenarioBrowserKeys, ScriptKeysAreOnlyForScripts) {
  // The child's sixth line is line 12 of the file; `defer = ` is 8 columns.
  EXPECT_EQ(ErrorOf(Page() + Child("/style.css", "style", "defer = true\n")),
            "test.toml:12:9: resource[1].defer (\"/style.css\"): only allowed on type = \"script\" "
            "(it says when the HTML parser runs the script)");
  // Even `false`: the key says nothing about a stylesheet.
  EXPECT_EQ(ErrorOf(Page() + Child("/a.png", "image", "blocking = false\n")),
            "test.toml:12:12: resource[1].blocking (\"/a.png\"): only allowed on type = "
            "\"script\" (it says when the HTML parser runs the script)");
  EXPECT_EQ(ErrorOf(Page("async = true\n")),
            "test.toml:7:9: resource[0].async (\"/index.html\"): only allowed on type = "
            "\"script\" (it says when the HTML parser runs the script)");
}

TEST(ScenarioBrowserKeys, AScriptIsBlockingDeferOrAsyncAtMostOneOfThem) {
  // Line 12 defer, line 13 async: the second true one is the error, at its value (column 9).
  EXPECT_EQ(ErrorOf(Page() + Child("/app.js", "script", "defer = true\nasync = true\n")),
            "test.toml:13:9: resource[1].async (\"/app.js\"): defer = true and async = true: a "
            "script is blocking, defer or async, at most one of them");
  // In schema order whatever the file order: blocking is read first, so defer is the error.
  EXPECT_EQ(ErrorOf(Page() + Child("/app.js", "script", "defer = true\nblocking = true\n")),
            "test.toml:12:9: resource[1].defer (\"/app.js\"): blocking = true and defer = true: a "
            "script is blocking, defer or async, at most one of them");
  EXPECT_EQ(ErrorOf(Page() + Child("/app.js", "script", "blocking = 1\n")),
            "test.toml:12:12: resource[1].blocking (\"/app.js\"): expected true or false, got an "
            "integer (1)");
}

TEST(ScenarioBrowserKeys, APageHasAtMostOneLcpResource) {
  // resource[1] on lines 7-12, resource[2] on lines 13-18: its `lcp = true` is line 18, col 7.
  EXPECT_EQ(ErrorOf(Page() + Child("/a.png", "image", "lcp = true\n") +
                    Child("/b.png", "image", "lcp = true\n")),
            "test.toml:18:7: resource[2].lcp (\"/b.png\"): a second lcp resource; resource[1] "
            "(\"/a.png\") is already the largest contentful paint element and a page has at most "
            "one");
  // lcp = false is no claim.
  const Scenario s = Load(Page() + Child("/a.png", "image", "lcp = true\n") +
                          Child("/b.png", "image", "lcp = false\n"));
  EXPECT_TRUE(s.Find("/a.png")->lcp);
  EXPECT_FALSE(s.Find("/b.png")->lcp);
}

TEST(ScenarioBrowserKeys, HeadBytesIsTheDocumentsAndWithinIt) {
  EXPECT_EQ(ErrorOf(Page() + Child("/app.js", "script", "head_bytes = 10\n")),
            "test.toml:12:14: resource[1].head_bytes (\"/app.js\"): only allowed on the document "
            "(the bytes of the HTML before <body>)");
  // The document is 14000 bytes.
  EXPECT_EQ(ErrorOf(Page("head_bytes = 14001\n")),
            "test.toml:7:14: resource[0].head_bytes (\"/index.html\"): expected an integer in [0, "
            "14000], got 14001");
  EXPECT_EQ(ErrorOf(Page("head_bytes = -1\n")),
            "test.toml:7:14: resource[0].head_bytes (\"/index.html\"): expected an integer in [0, "
            "14000], got -1");
}

TEST(ScenarioBrowserKeys, RejectsAnUnknownScheduler) {
  EXPECT_EQ(ErrorOf("name = \"t\"\n[server]\nscheduler = \"fcfs\"\n" + Page().substr(11)),
            "test.toml:3:13: server.scheduler: expected one of \"rfc7540\", \"rfc9218\", \"fifo\", "
            "\"round-robin\", got \"fcfs\"; did you mean \"fifo\"?");
}

TEST(ScenarioBrowserKeys, RendererTimesAreMillisecondsInTheServerTimeRange) {
  EXPECT_EQ(ErrorOf("name = \"t\"\n[client]\npaint_ms = -1\n" + Page().substr(11)),
            "test.toml:3:12: client.paint_ms: expected a number in [0, 600000], got -1");
  EXPECT_EQ(ErrorOf(Page(), {{"client.navigation_ms", "600001"}}),
            "test.toml: client.navigation_ms: expected a number in [0, 600000], got 600001 (from "
            "--set client.navigation_ms=600001)");
  EXPECT_EQ(ErrorOf(Page(), {{"client.priority_header", "yes"}}),
            "test.toml: client.priority_header: expected true or false, got a string (\"yes\") "
            "(from --set client.priority_header=yes)");
}

// ---- Overrides (--set and sweep axes) -------------------------------------------------------

TEST(ScenarioBrowserKeys, OverridesTakeEnumWordsUnquotedAndResourceKeysByUrl) {
  const Scenario s =
      Load(Page() + Child("/app.js", "script", ""),
           {ParseOverride("server.scheduler=fifo"), ParseOverride("client.discovery_ms=14"),
            ParseOverride("client.priority_header=true"),
            ParseOverride("resource[/app.js].priority=very-high"),
            ParseOverride("resource[/app.js].defer=true"),
            ParseOverride("resource[/index.html].head_bytes=500"),
            ParseOverride("resource[/index.html].lcp=true")});
  EXPECT_EQ(s.server.scheduler, StreamScheduler::kFifo);
  EXPECT_EQ(s.client.discovery_ms, 14);
  EXPECT_TRUE(s.client.priority_header);
  EXPECT_EQ(s.Find("/app.js")->priority, LoadPriority::kVeryHigh);
  EXPECT_TRUE(s.Find("/app.js")->defer);
  EXPECT_EQ(s.resources[0].head_bytes, 500u);
  EXPECT_TRUE(s.resources[0].lcp);
  // "round-robin" is no TOML value: a bare word all the same.
  EXPECT_EQ(Load(Page(), {ParseOverride("server.scheduler=round-robin")}).server.scheduler,
            StreamScheduler::kRoundRobin);
}

TEST(ScenarioBrowserKeys, AnOverrideIsCheckedAgainstTheFilesKeys) {
  // blocking (from --set) is read before async (line 12 of the file), so async is the error.
  EXPECT_EQ(ErrorOf(Page() + Child("/app.js", "script", "async = true\n"),
                    {ParseOverride("resource[/app.js].blocking=true")}),
            "test.toml:12:9: resource[1].async (\"/app.js\"): blocking = true and async = true: a "
            "script is blocking, defer or async, at most one of them");
}

}  // namespace
}  // namespace waterfall
