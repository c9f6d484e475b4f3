// What the HTTP/2 server's scheduler (server.scheduler, docs/priorities.md) does to a page of
// 100 images behind one render-blocking stylesheet, against figures worked out from the bytes
// the server sends ahead of the stylesheet. The browser sends Chrome's priorities: the CSS
// HIGHEST, the images LOWEST, each HEADERS frame exclusive on the one before.
#include <gtest/gtest.h>

#include <string>

#include "models/http/mode.h"
#include "sim/run/run.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

using testing::Add;
using testing::FastLink;

// 20 ms RTT, 10 Mbit/s: the bandwidth-delay product (25,000 B, 17 segments) is below what
// slow start opens in its first round after the handshake... close enough that the link is
// busy from the first image on; queue large enough to lose nothing.
Scenario ImagesBehindCss(StreamScheduler scheduler) {
  Scenario s = FastLink(20, 10);
  s.server.scheduler = scheduler;
  // What a server that means its priorities does: it keeps unsent responses in the HTTP/2
  // session, not in a 4 MiB socket buffer (where what was written first goes first, whatever
  // the scheduler says).
  s.server.notsent_lowat_bytes = 16384;
  s.client.priority_header = true;  // for rfc9218
  Add(s, "/index.html", ResourceType::kDocument, 10000);
  Resource& css = Add(s, "/style.css", ResourceType::kStyle, 30000, "/index.html");
  css.discover_at_bytes = 500;
  css.render_blocking = true;
  for (int i = 0; i < 100; ++i) {
    Add(s, "/img/" + std::to_string(i) + ".jpg", ResourceType::kImage, 10000, "/index.html")
        .discover_at_bytes = 1000 + 90 * i;
  }
  return s;
}

RunResult Load(const Scenario& s) {
  RunOptions options;
  options.seed = 1;
  return RunPageLoad(s, *FindMode("h2"), options);
}

double CssCompleteMs(const RunResult& r) {
  for (const ResourceTiming& t : r.timings) {
    if (t.url.path == "/style.css") return t.complete_ms.value_or(-1);
  }
  return -1;
}

TEST(ServerScheduler, PrioritiesSendTheStylesheetBeforeTheImages) {
  const RunResult rfc7540 = Load(ImagesBehindCss(StreamScheduler::kRfc7540));
  const RunResult rfc9218 = Load(ImagesBehindCss(StreamScheduler::kRfc9218));
  const RunResult round_robin = Load(ImagesBehindCss(StreamScheduler::kRoundRobin));
  const RunResult fifo = Load(ImagesBehindCss(StreamScheduler::kFifo));
  // Round-robin shares DATA frame by frame: the CSS's first 16,384-byte frame, then one
  // 10,000-byte frame of each of the 100 images (each image's cycle, 10,000, stays below the
  // CSS's 16,384), then the CSS's last 13,616 bytes. So 100 images' responses go ahead of
  // the CSS's end: 100 x (10,000 B body + 9 B DATA frame header) plus their HEADERS frames
  // (9 B + a few bytes of HPACK), ~1,002,000 B of HTTP/2, 692 segments, each 1,502 B on the
  // wire (1,448 + 54 B of headers): 1,039,400 B at 10 Mbit/s = 831.5 ms.
  // With priorities (rfc7540 from the frames, rfc9218 from the header) nothing goes ahead of
  // it: the CSS completes ~830 ms earlier.
  const double ahead_ms = 1002000.0 / 1448 * 1502 * 8 / 10e3;  // 831.5
  EXPECT_NEAR(CssCompleteMs(round_robin) - CssCompleteMs(rfc7540), ahead_ms, 0.03 * ahead_ms);
  EXPECT_NEAR(CssCompleteMs(rfc9218), CssCompleteMs(rfc7540), 5);
  // FIFO: the CSS was requested first (its reference at byte 500, the images' from 1000), so
  // it goes first, as with priorities.
  EXPECT_NEAR(CssCompleteMs(fifo), CssCompleteMs(rfc7540), 5);
  // And the page's first paint waits for the CSS.
  ASSERT_TRUE(round_robin.page.start_render_ms && rfc7540.page.start_render_ms);
  EXPECT_GT(*round_robin.page.start_render_ms - *rfc7540.page.start_render_ms, 0.9 * ahead_ms);
  // The images are the same bytes either way: the page is complete at about the same time.
  EXPECT_NEAR(*round_robin.page.page_load_ms, *rfc7540.page.page_load_ms, 25);
}

}  // namespace
}  // namespace waterfall
