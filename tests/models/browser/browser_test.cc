// The browser model on in-memory bytes: the real Browser drives a mode's real HttpClient against
// real server sessions over MemoryLinks (10 ms each way, no bandwidth) on the fake clock. Every
// figure is counted in round trips: the connection is up at 20 ms, the document's request
// reaches the server at 30 ms and its response the browser at 40 ms.
#include "models/browser/browser.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "models/http/mode.h"
#include "models/page/scenario.h"
#include "tests/support/memory_page_load.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

using testing::Add;
using testing::MemoryPageLoad;

constexpr double kOneWayMs = 10;

// document (1000 B) -> style.css (2000 B), app.js (3000 B), referenced at its end.
Scenario Page() {
  Scenario s;
  s.name = "browser-test";
  Add(s, "/", ResourceType::kDocument, 1000);
  Add(s, "/style.css", ResourceType::kStyle, 2000, "/");
  Add(s, "/app.js", ResourceType::kScript, 3000, "/");
  return s;
}

const ModeSpec& Mode(const std::string& name) { return *FindMode(name); }

TEST(BrowserTest, PageLoadTakesTheRoundTripsEachModeNeeds) {
  // h1: the first child reuses the document's connection at 40 ms (done at 60), the second
  // opens another (up at 60, done at 80). h2: both children on one connection, done at 60.
  // push: they come with the document. hints (no think time): the 103 arrives with the 200.
  // h1-hints: the browser ignores a 103 over HTTP/1.1 (client.h1_early_hints off), as h1.
  const std::map<std::string, double> expected = {
      {"h1", 80}, {"h2", 60}, {"h2-push", 40}, {"h2-hints", 60}, {"h1-hints", 80}};
  const std::map<std::string, int> connections = {
      {"h1", 2}, {"h2", 1}, {"h2-push", 1}, {"h2-hints", 1}, {"h1-hints", 2}};
  ASSERT_EQ(AllModes().size(), expected.size());
  const Scenario page = Page();
  for (const ModeSpec& mode : AllModes()) {
    MemoryPageLoad load(page, mode, kOneWayMs);
    load.Run();
    EXPECT_TRUE(load.browser().Settled()) << mode.name;
    for (const ResourceTiming& t : load.browser().timings()) {
      EXPECT_EQ(t.status, ResourceStatus::kComplete) << mode.name << " " << t.url.path;
      EXPECT_EQ(t.body_bytes, t.size_bytes) << mode.name << " " << t.url.path;
    }
    EXPECT_EQ(load.browser().Metrics().page_load_ms, expected.at(mode.name)) << mode.name;
    EXPECT_EQ(load.browser().Metrics().ttfb_ms, 40) << mode.name;
    EXPECT_EQ(load.connections_opened, connections.at(mode.name)) << mode.name;
  }
}

TEST(BrowserTest, ProcessTimeDelaysDiscoveryOfTheChildren) {
  Scenario page = Page();
  page.resources[0].process_ms = 30;
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();
  EXPECT_EQ(load.timing("/").complete_ms, 40);
  EXPECT_EQ(load.timing("/app.js").discovered_ms, 70);
  EXPECT_EQ(load.timing("/app.js").request_ms, 70);
  EXPECT_EQ(load.browser().Metrics().page_load_ms, 90);
}

TEST(BrowserTest, ChildReferencedEarlyIsRequestedBeforeTheOthers) {
  Scenario page = Page();
  page.resources[0].size_bytes = 100000;  // several DATA frames
  page.resources[2].discover_at_bytes = 100;
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();
  // Everything arrives at 40 ms (no bandwidth), but app.js, referenced in the document's first
  // 100 bytes, is requested from the first DATA frame, before style.css (referenced at the end,
  // and listed first): it has the lower stream id.
  const ResourceTiming& app = load.timing("/app.js");
  const ResourceTiming& style = load.timing("/style.css");
  EXPECT_EQ(app.discovered_ms, 40);
  EXPECT_LT(app.where.stream_id, style.where.stream_id);
  EXPECT_EQ(app.body_bytes, 3000u);
  EXPECT_EQ(style.body_bytes, 2000u);
}

TEST(BrowserTest, CachedResourceIsNotRequested) {
  Scenario page = Page();
  page.client.cache = {"/app.js"};
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();
  const ResourceTiming& app = load.timing("/app.js");
  EXPECT_TRUE(app.from_cache);
  EXPECT_FALSE(app.request_ms.has_value());
  EXPECT_EQ(app.complete_ms, 40);  // when the document references it
  EXPECT_EQ(load.browser().Metrics().requests, 2u);
}

TEST(BrowserTest, ResetParentBlocksTheChildrenItHadNotReferenced) {
  Scenario page = Page();
  Add(page, "/font.woff2", ResourceType::kFont, 500, "/style.css");  // at style.css's end
  page.resources[1].fault = ServerFault::kReset;
  page.resources[1].fault_after_bytes = 100;
  for (const char* mode : {"h1", "h2"}) {
    MemoryPageLoad load(page, Mode(mode), kOneWayMs);
    load.Run();
    EXPECT_EQ(load.timing("/style.css").status, ResourceStatus::kReset) << mode;
    EXPECT_EQ(load.timing("/font.woff2").status, ResourceStatus::kBlocked) << mode;
    EXPECT_FALSE(load.timing("/font.woff2").request_ms.has_value()) << mode;
    EXPECT_EQ(load.timing("/app.js").status, ResourceStatus::kComplete) << mode;
    EXPECT_TRUE(load.browser().Settled()) << mode;
    EXPECT_FALSE(load.browser().Metrics().page_load_ms.has_value()) << mode;
  }
}

TEST(BrowserTest, EarlyHintsOverHttp11AreActedOnOnlyWhenTheClientSaysSo) {
  Scenario page = Page();
  page.server.think_ms = 50;
  const ModeSpec& h1_hints = *FindMode("h1-hints");
  for (bool acts : {false, true}) {
    page.client.h1_early_hints = acts;
    MemoryPageLoad load(page, h1_hints, kOneWayMs);
    load.Run();
    const ResourceTiming& style = load.timing("/style.css");
    EXPECT_EQ(style.initiator, acts ? Initiator::kEarlyHints : Initiator::kParser) << acts;
    // Hinted at 40 ms, written on a new connection (up at 60, done at 80); else requested when
    // the document is complete at 90, on its connection (done at 110).
    EXPECT_EQ(style.request_ms, acts ? 60 : 90) << acts;
    EXPECT_EQ(style.complete_ms, acts ? 80 : 110) << acts;
  }
}

TEST(BrowserTest, PreloadLinkOnTheDocumentFetchesAGrandchildEarly) {
  Scenario page = Page();
  Add(page, "/font.woff2", ResourceType::kFont, 500, "/style.css");
  page.server.preload = {"/font.woff2"};
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();
  const ResourceTiming& font = load.timing("/font.woff2");
  EXPECT_EQ(font.initiator, Initiator::kPreload);
  EXPECT_EQ(font.request_ms, 40);                        // with the document's headers
  EXPECT_EQ(font.discovered_ms, 60);                     // when style.css is whole
  EXPECT_EQ(load.browser().Metrics().page_load_ms, 60);  // instead of 80
}

TEST(BrowserTest, SettledListenerFiresOnceWhenThePageSettles) {
  const Scenario page = Page();
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  int calls = 0;
  double at = -1;
  load.browser().SetPageSettledListener([&] {
    ++calls;
    at = load.loop.NowMs();
  });
  load.Run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(at, 60);
}

}  // namespace
}  // namespace waterfall
