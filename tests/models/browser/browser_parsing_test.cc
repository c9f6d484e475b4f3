// The document's parser, the preload scanner and the main thread (docs/scenario-format.md
// "Parsing"), on in-memory bytes: the real Browser drives HTTP/2 against real server sessions
// over MemoryLinks (10 ms each way, no bandwidth) on the fake clock. The connection is up at
// 20 ms, the document (all of it) arrives at 40 ms, a request sent at 40 ms is answered at 60.
#include <gtest/gtest.h>

#include <string>

#include "models/browser/browser.h"
#include "models/http/mode.h"
#include "models/page/scenario.h"
#include "tests/support/memory_page_load.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

using testing::Add;
using testing::MemoryPageLoad;

constexpr double kOneWayMs = 10;

const ModeSpec& H2() { return *FindMode("h2"); }

// document (10000 B) -> app.js at byte 100 (3000 B, runs 50 ms), a.png at byte 200 and b.png at
// the end (1000 B each). The head ends at the first image: byte 200.
Scenario ScriptThenImages() {
  Scenario s;
  s.name = "parsing-test";
  Add(s, "/", ResourceType::kDocument, 10000);
  Resource& app = Add(s, "/app.js", ResourceType::kScript, 3000, "/");
  app.discover_at_bytes = 100;
  app.process_ms = 50;
  Add(s, "/a.png", ResourceType::kImage, 1000, "/").discover_at_bytes = 200;
  Add(s, "/b.png", ResourceType::kImage, 1000, "/");
  return s;
}

TEST(BrowserParsingTest, ABlockingScriptHoldsTheParserButNotThePreloadScanner) {
  Scenario page = ScriptThenImages();
  page.resources[1].blocking = true;
  MemoryPageLoad load(page, H2(), kOneWayMs);
  load.Run();
  const ResourceTiming& app = load.timing("/app.js");
  EXPECT_EQ(app.discovered_ms, 40);  // the parser reaches it with the document's bytes
  EXPECT_EQ(app.complete_ms, 60);    // requested at 40, a round trip
  for (const char* image : {"/a.png", "/b.png"}) {
    const ResourceTiming& t = load.timing(image);
    // The preload scanner found them behind the blocked parser at 40: fetched at once...
    EXPECT_EQ(t.queued_ms, 40) << image;
    EXPECT_EQ(t.initiator, Initiator::kPreloadScanner) << image;
    EXPECT_EQ(t.complete_ms, 60) << image;
    // ...but the parser reaches them only after app.js has downloaded (60) and run (50 ms).
    EXPECT_EQ(t.discovered_ms, 110) << image;
  }
  const PageMetrics m = load.browser().Metrics();
  EXPECT_EQ(m.dom_content_loaded_ms, 110);
  EXPECT_EQ(m.start_render_ms, 110);  // a blocking script of the head (byte 100 < 200) ran
  EXPECT_EQ(m.page_load_ms, 110);
}

TEST(BrowserParsingTest, WithoutThePreloadScannerTheImagesWouldWaitForTheScript) {
  // The images the scanner cannot see (inserted by app.js when it runs) are discovered only
  // when it has run: 110, requested then, complete a round trip later at 130.
  Scenario page = ScriptThenImages();
  page.resources[1].blocking = true;
  page.resources[2].parent = "/app.js";
  page.resources[2].discover_at_bytes.reset();
  MemoryPageLoad load(page, H2(), kOneWayMs);
  load.Run();
  EXPECT_EQ(load.timing("/a.png").queued_ms, 110);
  EXPECT_EQ(load.timing("/a.png").complete_ms, 130);
  EXPECT_EQ(load.timing("/b.png").queued_ms, 40);  // in the HTML: the scanner's
  EXPECT_EQ(load.browser().Metrics().page_load_ms, 130);
}

TEST(BrowserParsingTest, DeferDoesNotHoldTheParser) {
  Scenario page = ScriptThenImages();
  page.resources[1].defer = true;
  MemoryPageLoad load(page, H2(), kOneWayMs);
  load.Run();
  for (const char* image : {"/a.png", "/b.png"}) {
    EXPECT_EQ(load.timing(image).discovered_ms, 40) << image;  // the parser went on
    EXPECT_EQ(load.timing(image).initiator, Initiator::kParser) << image;
    EXPECT_EQ(load.timing(image).complete_ms, 60) << image;
  }
  const PageMetrics m = load.browser().Metrics();
  // app.js arrives at 60 and runs after parsing (done at 40): 60 -> 110, then DOMContentLoaded.
  EXPECT_EQ(m.dom_content_loaded_ms, 110);
  EXPECT_EQ(m.start_render_ms, 40);  // nothing but the document holds the first paint
  EXPECT_EQ(m.page_load_ms, 110);
}

TEST(BrowserParsingTest, AsyncRunsWhenItArrivesAndDoesNotHoldDomContentLoaded) {
  Scenario page = ScriptThenImages();
  page.resources[1].async = true;
  MemoryPageLoad load(page, H2(), kOneWayMs);
  load.Run();
  const PageMetrics m = load.browser().Metrics();
  EXPECT_EQ(m.dom_content_loaded_ms, 40);  // parsed at 40; app.js does not count
  EXPECT_EQ(m.page_load_ms, 110);          // but the load event waits for it to run: 60 + 50
}

TEST(BrowserParsingTest, TheMainThreadRunsOneScriptAtATime) {
  // a.js (50 ms) and b.js (30 ms) both arrive at 60: a runs 60 -> 110, b 110 -> 140; b inserts
  // img.png, requested at 140 and complete at 160.
  Scenario s;
  s.name = "main-thread";
  Add(s, "/", ResourceType::kDocument, 1000);
  Add(s, "/a.js", ResourceType::kScript, 1000, "/").process_ms = 50;
  Add(s, "/b.js", ResourceType::kScript, 1000, "/").process_ms = 30;
  Add(s, "/img.png", ResourceType::kImage, 1000, "/b.js");
  MemoryPageLoad load(s, H2(), kOneWayMs);
  load.Run();
  EXPECT_EQ(load.timing("/b.js").complete_ms, 60);
  EXPECT_EQ(load.timing("/img.png").discovered_ms, 140);
  EXPECT_EQ(load.timing("/img.png").complete_ms, 160);
  EXPECT_EQ(load.browser().Metrics().page_load_ms, 160);
}

TEST(BrowserParsingTest, ABlockingScriptRunsAfterTheStylesheetBeforeIt) {
  // style.css (server think 100 ms) is referenced before app.js: app.js arrives at 60 but runs
  // only when style.css has (at 160): 160 -> 210. The first paint waits for both.
  Scenario page = ScriptThenImages();
  page.resources[1].blocking = true;
  Resource style;
  style.url = "/style.css";
  style.type = ResourceType::kStyle;
  style.size_bytes = 1000;
  style.parent = "/";
  style.discover_at_bytes = 50;
  style.render_blocking = true;
  style.think_ms = 100;
  page.resources.push_back(style);
  MemoryPageLoad load(page, H2(), kOneWayMs);
  load.Run();
  EXPECT_EQ(load.timing("/style.css").complete_ms, 160);
  EXPECT_EQ(load.timing("/a.png").discovered_ms, 210);
  const PageMetrics m = load.browser().Metrics();
  EXPECT_EQ(m.dom_content_loaded_ms, 210);
  EXPECT_EQ(m.start_render_ms, 210);
}

TEST(BrowserParsingTest, ABlockingScriptAtTheEndOfAPageWithoutImagesHoldsTheFirstPaint) {
  // The testbed-like page: a style sheet and a blocking script at the end of the HTML, no
  // image, so the head is the whole document (as the page generator writes it: <body> after
  // them). Both arrive at 60; app.js runs 60 -> 110 and the first paint waits for it.
  Scenario s;
  s.name = "testbed-like";
  Add(s, "/", ResourceType::kDocument, 1500);
  Add(s, "/style.css", ResourceType::kStyle, 10000, "/").render_blocking = true;
  Resource& app = Add(s, "/app.js", ResourceType::kScript, 20000, "/");
  app.blocking = true;
  app.process_ms = 50;
  MemoryPageLoad load(s, H2(), kOneWayMs);
  load.Run();
  const PageMetrics m = load.browser().Metrics();
  EXPECT_EQ(m.start_render_ms, 110);
  EXPECT_EQ(m.dom_content_loaded_ms, 110);
  EXPECT_EQ(m.page_load_ms, 110);
}

TEST(BrowserParsingTest, RendererTimeDelaysEachStep) {
  // navigation_ms 5: the document is asked for at 5; dispatch_ms 2: it reaches its pool at 7
  // (connection up 27, document at 47); discovery_ms 3: its references are acted on at 50,
  // reach the pool at 52 and are answered at 72; paint_ms 7 and load_event_ms 4 come on top of
  // what they wait for.
  Scenario page = ScriptThenImages();
  page.client.navigation_ms = 5;
  page.client.discovery_ms = 3;
  page.client.dispatch_ms = 2;
  page.client.paint_ms = 7;
  page.client.load_event_ms = 4;
  MemoryPageLoad load(page, H2(), kOneWayMs);
  load.Run();
  EXPECT_EQ(load.timing("/").queued_ms, 5);
  EXPECT_EQ(load.timing("/").request_ms, 27);
  EXPECT_EQ(load.timing("/").complete_ms, 47);
  EXPECT_EQ(load.timing("/a.png").discovered_ms, 50);
  EXPECT_EQ(load.timing("/a.png").queued_ms, 50);
  EXPECT_EQ(load.timing("/a.png").request_ms, 52);
  EXPECT_EQ(load.timing("/a.png").complete_ms, 72);
  const PageMetrics m = load.browser().Metrics();
  EXPECT_EQ(m.start_render_ms, 47 + 7);
  // app.js (not blocking) arrives at 72 and runs 50 ms: the load event at 122 + 4.
  EXPECT_EQ(m.page_load_ms, 126);
  // The largest image (a.png, the first of two equal) is ready at 72, painted 7 ms later.
  EXPECT_EQ(m.largest_contentful_ms, 79);
}

TEST(BrowserParsingTest, TheLcpKeyNamesTheElement) {
  Scenario page = ScriptThenImages();
  page.resources[1].blocking = true;
  page.resources[2].parent = "/app.js";  // a.png comes late: 130
  page.resources[2].discover_at_bytes.reset();
  page.resources[3].lcp = true;  // b.png: scanner-fetched, complete 60, reached at 110
  MemoryPageLoad load(page, H2(), kOneWayMs);
  load.Run();
  EXPECT_EQ(load.browser().Metrics().largest_contentful_ms, 110);
  page.resources[3].lcp = false;
  page.resources[2].lcp = true;
  MemoryPageLoad load2(page, H2(), kOneWayMs);
  load2.Run();
  EXPECT_EQ(load2.browser().Metrics().largest_contentful_ms, 130);
}

}  // namespace
}  // namespace waterfall
