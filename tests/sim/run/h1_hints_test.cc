// The h1-hints mode end to end over ns-3: the HTTP/1.1 server sends a 103 Early Hints before
// the document, and the browser acts on it only when client.h1_early_hints says so (Chrome
// ignores 103 over HTTP/1.1). The page is scenarios/early-hints-think.toml at 300 ms of think
// time: 50 ms RTT, 20 Mbit/s, the HTML (12000 B), style.css and app.js in it, a font in
// style.css; the 103 hints all three.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/run/run.h"

namespace waterfall {
namespace {

constexpr double kRttMs = 50;
// One full-size segment at the 20 Mbit/s bottleneck: 1502 B on the wire.
constexpr double kSegmentMs = 1502 * 8 / (20 * 1e3);

Scenario Page(bool h1_early_hints) {
  return LoadScenarioFile(
      std::string(WATERFALL_SOURCE_DIR) + "/scenarios/early-hints-think.toml",
      {{"server.think_ms", "300"}, {"client.h1_early_hints", h1_early_hints ? "true" : "false"}});
}

const ResourceTiming& Timing(const RunResult& r, const std::string& url) {
  for (const ResourceTiming& t : r.timings) {
    if (t.url.path == url) return t;
  }
  throw std::runtime_error("no resource " + url);
}

const std::vector<std::string> kHinted = {"/style.css", "/app.js", "/font.woff2"};

TEST(H1Hints, ChromeIgnoresThe103OverHttp11AndLoadsAsH1Does) {
  const Scenario page = Page(false);
  const RunResult h1 = RunPageLoad(page, *FindMode("h1"), RunOptions{});
  const RunResult hints = RunPageLoad(page, *FindMode("h1-hints"), RunOptions{});
  ASSERT_EQ(hints.IncompleteResources(), 0u);
  const double html_first_byte = *Timing(hints, "/index.html").first_byte_ms;
  for (const std::string& url : kHinted) {
    const ResourceTiming& t = Timing(hints, url);
    EXPECT_EQ(t.initiator, Initiator::kParser) << url;
    EXPECT_GT(*t.queued_ms, html_first_byte) << url << ": found in the HTML, not in the 103";
  }
  // The 103 is on the wire (its bytes arrive), but costs at most their serialization, which
  // happens during the server's think time.
  EXPECT_GT(hints.bytes_down, h1.bytes_down);
  EXPECT_EQ(hints.connections, h1.connections);
  EXPECT_NEAR(*hints.page.page_load_ms, *h1.page.page_load_ms, kSegmentMs);
}

TEST(H1Hints, WithH1EarlyHintsTheBrowserFetchesTheHintedResourcesWhileTheServerThinks) {
  const Scenario page = Page(true);
  const RunResult h1 = RunPageLoad(page, *FindMode("h1"), RunOptions{});
  const RunResult hints = RunPageLoad(page, *FindMode("h1-hints"), RunOptions{});
  ASSERT_EQ(hints.IncompleteResources(), 0u);
  const ResourceTiming& html = Timing(hints, "/index.html");
  for (const std::string& url : kHinted) {
    const ResourceTiming& t = Timing(hints, url);
    EXPECT_EQ(t.initiator, Initiator::kEarlyHints) << url;
    EXPECT_LT(*t.complete_ms, *html.first_byte_ms) << url << ": loaded during the think time";
  }
  // Connection 0 waits for the HTML, so each hinted resource opens one of its own (6 allowed).
  EXPECT_EQ(hints.connections, 1 + static_cast<int>(kHinted.size()));
  // Nothing is left to fetch once the HTML is in: the page loads with it.
  EXPECT_NEAR(*hints.page.page_load_ms, *html.complete_ms, kSegmentMs);
  // Under h1 style.css and then its font still cost a round trip each after the HTML.
  EXPECT_GE(*h1.page.page_load_ms - *hints.page.page_load_ms, 2 * kRttMs);
  // The plain h1 mode sends no 103, so the setting changes nothing there.
  const Scenario chrome = Page(false);
  const RunResult h1_chrome = RunPageLoad(chrome, *FindMode("h1"), RunOptions{});
  EXPECT_EQ(*h1.page.page_load_ms, *h1_chrome.page.page_load_ms);
}

}  // namespace
}  // namespace waterfall
