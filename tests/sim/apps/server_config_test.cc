// The server's socket and session settings change results the way the physics says:
// server.send_buffer_bytes decides how much a server has committed to the wire before the
// browser's RST_STREAM or the document can catch up; server.max_concurrent_streams caps the
// requests in flight; and a response nghttp2 refuses to send is reset, never silently lost.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/run/run.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

using testing::Add;
using testing::FastLink;

RunResult Load(const Scenario& s, const std::string& mode) {
  RunOptions options;
  return RunPageLoad(s, *FindMode(mode), options);
}

const ResourceTiming& Timing(const RunResult& r, const std::string& url) {
  for (const ResourceTiming& t : r.timings) {
    if (t.url.path == url) return t;
  }
  ADD_FAILURE() << "no timing for " << url;
  return r.timings.front();
}

constexpr uint32_t kLinuxMax = 4 * 1024 * 1024;  // the default: net.ipv4.tcp_wmem max
constexpr uint32_t kFrame = 16384;               // a full DATA frame (server.max_frame_bytes)

// scenarios/push-cached.toml: 100 ms RTT, 10 Mbit/s; style.css (40000) and script.js (120000)
// are cached, pushed anyway with the 15000-byte HTML and hero.jpg (30000).
Scenario PushCached(uint32_t send_buffer_bytes, uint32_t notsent_lowat_bytes = 0) {
  Scenario s = FastLink(100, 10);
  s.network.queue_packets = 100;
  Add(s, "/index.html", ResourceType::kDocument, 15000);
  Add(s, "/style.css", ResourceType::kStyle, 40000, "/index.html").render_blocking = true;
  Add(s, "/script.js", ResourceType::kScript, 120000, "/index.html");
  Add(s, "/hero.jpg", ResourceType::kImage, 30000, "/index.html");
  s.client.cache = {"/style.css", "/script.js"};
  s.server.send_buffer_bytes = send_buffer_bytes;
  s.server.notsent_lowat_bytes = notsent_lowat_bytes;
  return s;
}

TEST(ServerConfig, SmallerSendBufferWastesFewerBytesOfCancelledPushes) {
  // The server writes the 190000 pushed bytes at 150 ms (request at 100 ms + RTT/2); the
  // browser's RST_STREAM(CANCEL) for the two cached pushes leaves on their PUSH_PROMISE
  // (200 ms) and reaches the server at 250 ms. What is in the socket by then goes out anyway:
  // with 4 MiB, all of it (160000 bytes wasted, 100 %); with a buffer of B bytes, at most B
  // plus the one frame nghttp2 had started handing over.
  const uint64_t all = 40000 + 120000;
  const RunResult linux_max = Load(PushCached(kLinuxMax), "h2-push");
  EXPECT_EQ(linux_max.page.bytes_wasted, all);
  uint64_t previous = 0;
  for (uint32_t buffer : {16384u, 65536u}) {
    const RunResult r = Load(PushCached(buffer), "h2-push");
    SCOPED_TRACE("send_buffer_bytes = " + std::to_string(buffer));
    EXPECT_GT(r.page.bytes_wasted, 0u);  // the RST still comes a round trip late
    EXPECT_LE(r.page.bytes_wasted, buffer + kFrame);
    EXPECT_GE(r.page.bytes_wasted, previous);  // more buffer, more committed
    previous = r.page.bytes_wasted;
    EXPECT_EQ(r.IncompleteResources(), 0u);
  }
  // TCP_NOTSENT_LOWAT keeps the 4 MiB buffer for bytes in flight but holds back the unsent:
  // the waste is bounded the same way, and the load is not slowed by a small window.
  const RunResult lowat = Load(PushCached(kLinuxMax, 16384), "h2-push");
  EXPECT_LE(lowat.page.bytes_wasted, 16384 + kFrame);
  EXPECT_LT(*lowat.page.page_load_ms, *linux_max.page.page_load_ms);
}

// scenarios/early-hints-think.toml at 300 ms RTT and 400 ms of think time, with a 500 KB
// app.js: 20 Mbit/s (0.6 ms per segment), hints for style.css, app.js and font.woff2.
Scenario BigHints(uint32_t send_buffer_bytes, uint32_t notsent_lowat_bytes = 0) {
  Scenario s = FastLink(300, 20);
  s.network.queue_packets = 100;
  Add(s, "/index.html", ResourceType::kDocument, 12000);
  Add(s, "/style.css", ResourceType::kStyle, 8000, "/index.html").render_blocking = true;
  Add(s, "/app.js", ResourceType::kScript, 500000, "/index.html").render_blocking = true;
  Add(s, "/font.woff2", ResourceType::kFont, 6000, "/style.css");
  s.server.think_ms = 400;
  s.resources.front().think_ms = 400;
  s.server.hints = std::vector<std::string>{"/style.css", "/app.js", "/font.woff2"};
  s.server.send_buffer_bytes = send_buffer_bytes;
  s.server.notsent_lowat_bytes = notsent_lowat_bytes;
  return s;
}

TEST(ServerConfig, SmallerSendBufferLetsTheDocumentOvertakeHintedBytes) {
  // Request at 300 ms reaches the server at 450: the 103 goes out, the hinted requests come
  // back at 750, the HTML is ready at 850 (450 + 400 think). Meanwhile the 514000 hinted
  // bytes (355 segments) were written at 750. With 4 MiB they all sit in the socket ahead of
  // the HTML, which leaves only after them: slow start sends 11, 22, 44, 88, 176 segments in
  // the rounds starting at 750, 1050, 1350, 1650, 1950 (341 in all), so the HTML's first
  // byte cannot leave before the round at 2250 and arrives after 2250 + 150 = 2400 ms.
  // With a 16 KiB buffer (or TCP_NOTSENT_LOWAT 16 KiB) the rest waits in nghttp2, which puts
  // the HTML's HEADERS first: they leave with the first ACKs (1050) and arrive at ~1200.
  const double big = *Load(BigHints(kLinuxMax), "h2-hints").page.ttfb_ms;
  const double small = *Load(BigHints(16384), "h2-hints").page.ttfb_ms;
  const double lowat = *Load(BigHints(kLinuxMax, 16384), "h2-hints").page.ttfb_ms;
  EXPECT_GT(big, 2400);
  EXPECT_LT(small, 1050 + 150 + 100);
  EXPECT_LT(lowat, 1050 + 150 + 100);
  // The document alone (h2): handshake, request, think, response = 300 + 300 + 400.
  EXPECT_NEAR(*Load(BigHints(kLinuxMax), "h2").page.ttfb_ms, 1000, 5);
}

TEST(ServerConfig, OneConcurrentStreamSerializesRequests) {
  // Four 100-byte images found at the end of a 100-byte HTML, at 100 ms RTT and 1 Gbit/s:
  // with 100 streams allowed they go together (handshake + HTML + one round trip = 300 ms);
  // with one, each waits for the one before (handshake + HTML + 4 round trips = 600 ms).
  Scenario s = FastLink(100);
  Add(s, "/index.html", ResourceType::kDocument, 100);
  for (int i = 0; i < 4; ++i) {
    Add(s, "/" + std::to_string(i) + ".png", ResourceType::kImage, 100, "/index.html");
  }
  const RunResult parallel = Load(s, "h2");
  EXPECT_NEAR(*parallel.page.page_load_ms, 300, 6);
  s.server.max_concurrent_streams = 1;
  const RunResult serial = Load(s, "h2");
  EXPECT_NEAR(*serial.page.page_load_ms, 600, 12);
  for (int i = 1; i < 4; ++i) {
    const double gap = *Timing(serial, "/" + std::to_string(i) + ".png").first_byte_ms -
                       *Timing(serial, "/" + std::to_string(i - 1) + ".png").first_byte_ms;
    EXPECT_NEAR(gap, 100, 2) << "image " << i;
  }
  EXPECT_EQ(serial.IncompleteResources(), 0u);
}

// A page built in code, past the loader's check: 2500 children of the document, whose Link
// header (2500 x "</i/00000.png>; rel=preload; as=image") is 97498 bytes, over nghttp2's
// 65536-byte header block.
Scenario TooManyLinks() {
  Scenario s = FastLink(20);
  Add(s, "/index.html", ResourceType::kDocument, 1000);
  char url[32];
  for (int i = 0; i < 2500; ++i) {
    std::snprintf(url, sizeof url, "/i/%05d.png", i);
    Add(s, url, ResourceType::kImage, 1, "/index.html");
  }
  s.server.hints = std::vector<std::string>{};
  s.client.timeout_ms = 10000;
  return s;
}

TEST(ServerConfig, A103TooLargeToSendResetsTheDocumentInsteadOfVanishing) {
  // nghttp2 refuses the 103's HEADERS when it packs them (on_frame_not_send_callback); the
  // server used to ignore it, so h2-hints quietly became h2.
  Scenario s = TooManyLinks();
  s.server.hints.reset();  // the default: every child of the document
  const RunResult r = Load(s, "h2-hints");
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.timings.front().status, ResourceStatus::kReset);
}

TEST(ServerConfig, A200TooLargeToSendResetsTheDocumentInsteadOfHanging) {
  // The same for the document's 200 with 2500 preload links: it used to never arrive, and the
  // run waited for client.timeout_ms.
  Scenario s = TooManyLinks();
  for (size_t i = 1; i < s.resources.size(); ++i) s.server.preload.push_back(s.resources[i].url);
  const RunResult r = Load(s, "h2");
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.timings.front().status, ResourceStatus::kReset);
}

// The loader's limit is the stack's: a page just under it goes through nghttp2 on both ends.
std::string LinksPage(int n, const std::string& server) {
  std::string text =
      "name = \"links\"\n[network]\nrtt_ms = 20\nbandwidth_mbps = 1000\n"
      "[server]\n" +
      server +
      "\n[[resource]]\nurl = \"/index.html\"\n"
      "type = \"document\"\nsize = 14000\n";
  char url[32];
  for (int i = 0; i < n; ++i) {
    std::snprintf(url, sizeof url, "/i/%05d.png", i);
    text += "[[resource]]\nurl = \"" + std::string(url) +
            "\"\ntype = \"image\"\nsize = 1\nparent = \"/index.html\"\n";
  }
  return text;
}

TEST(ServerConfig, LinkHeadersJustUnderTheLoadersLimitAreSentAndActedOn) {
  // 1679 hints (65479 bytes of Link, the limit 65481): the 103 crosses and every image is
  // fetched on its hint.
  const Scenario hinted = LoadScenarioText(LinksPage(1679, ""), "links.toml");
  const RunResult r = Load(hinted, "h2-hints");
  EXPECT_EQ(r.IncompleteResources(), 0u);
  EXPECT_EQ(r.timings.back().initiator, Initiator::kEarlyHints);
  // One link more (65518 bytes), past the loader in code: nghttp2 refuses that 103 too.
  Scenario over = hinted;
  Add(over, "/i/01679.png", ResourceType::kImage, 1, "/index.html");
  EXPECT_EQ(Load(over, "h2-hints").timings.front().status, ResourceStatus::kReset);
  // 1676 preloads (65362 bytes, the limit 65365) on the 200, over HTTP/2 and HTTP/1.1.
  std::string preload = "hints = []\npreload = [";
  char url[32];
  for (int i = 0; i < 1676; ++i) {
    std::snprintf(url, sizeof url, "%s\"/i/%05d.png\"", i ? ", " : "", i);
    preload += url;
  }
  const Scenario preloaded = LoadScenarioText(LinksPage(1676, preload + "]"), "links.toml");
  for (const char* mode : {"h2", "h1"}) {
    const RunResult p = Load(preloaded, mode);
    EXPECT_EQ(p.IncompleteResources(), 0u) << mode;
    EXPECT_EQ(p.timings.back().initiator, Initiator::kPreload) << mode;
  }
}

}  // namespace
}  // namespace waterfall
