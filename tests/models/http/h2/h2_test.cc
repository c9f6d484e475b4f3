// HTTP/2, in memory: the browser's H2Client and the H2ServerSession exchange real nghttp2 bytes
// over a MemoryLink (10 ms each way) on the fake clock. No ns-3, no bandwidth: each figure is
// round trips and think time. Cold start: the connection is up at 20 ms (one round trip); the
// document's request goes out then and reaches the server at 30 ms.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/browser/browser.h"
#include "models/http/h2/h2_client.h"
#include "models/http/h2/h2_server.h"
#include "models/http/mode.h"
#include "models/http/server_session.h"
#include "models/page/scenario.h"
#include "models/server/site_content.h"
#include "tests/support/fake_loop.h"
#include "tests/support/memory_page_load.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

using testing::Add;
using testing::FakeLoop;
using testing::MemoryPageLoad;

constexpr double kOneWayMs = 10;

// document (1000 B) -> style.css (2000 B), app.js (3000 B), referenced at its end.
Scenario Page() {
  Scenario s;
  s.name = "h2-test";
  Add(s, "/", ResourceType::kDocument, 1000);
  Add(s, "/style.css", ResourceType::kStyle, 2000, "/");
  Add(s, "/app.js", ResourceType::kScript, 3000, "/");
  return s;
}

const ModeSpec& Mode(const std::string& name) { return *FindMode(name); }

TEST(H2Test, PageLoadsCompletelyOverOneConnection) {
  const Scenario page = Page();
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();

  EXPECT_TRUE(load.browser().Settled());
  for (const Resource& r : page.resources) {
    const ResourceTiming& t = load.timing(r.url);
    EXPECT_EQ(t.status, ResourceStatus::kComplete) << r.url;
    EXPECT_EQ(t.body_bytes, r.size_bytes) << r.url;
    EXPECT_EQ(t.where.connection, 0) << r.url;
  }
  EXPECT_EQ(load.connections_opened, 1);
  // The document's response reaches the browser at 40 ms; the children, requested then, at 60.
  EXPECT_EQ(load.timing("/").first_byte_ms, 40);
  EXPECT_EQ(load.timing("/app.js").request_ms, 40);
  EXPECT_EQ(load.browser().Metrics().page_load_ms, 60);
  EXPECT_EQ(load.browser().Metrics().requests, 3u);
  // Real HTTP/2 on the wire: the client connection preface, then frames.
  EXPECT_EQ(load.link(0).client_wire().rfind("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0), 0u);
}

TEST(H2Test, PushDeliversThePromisedResourcesWithTheDocument) {
  const Scenario page = Page();  // push set: the document's children
  MemoryPageLoad load(page, Mode("h2-push"), kOneWayMs);
  load.Run();

  for (const char* url : {"/style.css", "/app.js"}) {
    const ResourceTiming& t = load.timing(url);
    EXPECT_TRUE(t.pushed) << url;
    EXPECT_EQ(t.initiator, Initiator::kPush) << url;
    EXPECT_EQ(t.status, ResourceStatus::kComplete) << url;
    EXPECT_EQ(t.request_ms, 40) << url;  // the PUSH_PROMISE arrived with the document
    EXPECT_EQ(t.complete_ms, 40) << url;
    EXPECT_EQ(t.where.stream_id % 2, 0) << url;  // server-initiated stream
  }
  const PageMetrics m = load.browser().Metrics();
  EXPECT_EQ(m.requests, 1u);  // only the document was asked for
  EXPECT_EQ(m.bytes_pushed, 5000u);
  EXPECT_EQ(m.bytes_wasted, 0u);
  EXPECT_EQ(m.page_load_ms, 40);  // a round trip less than h2
}

TEST(H2Test, CachedPushIsCancelledAndItsBytesCountAsWasted) {
  Scenario page = Page();
  page.client.cache = {"/app.js"};
  MemoryPageLoad load(page, Mode("h2-push"), kOneWayMs);
  load.Run();

  const ResourceTiming& app = load.timing("/app.js");
  EXPECT_TRUE(app.from_cache);
  EXPECT_FALSE(app.pushed);
  EXPECT_EQ(app.status, ResourceStatus::kComplete);
  EXPECT_TRUE(load.timing("/style.css").pushed);
  // The RST_STREAM (CANCEL) reaches the server after it wrote the whole push: all 3000 body
  // bytes crossed the wire for nothing.
  const PageMetrics m = load.browser().Metrics();
  EXPECT_EQ(m.bytes_wasted, 3000u);
  EXPECT_EQ(m.bytes_pushed, 5000u);
  EXPECT_EQ(m.requests, 1u);
}

TEST(H2Test, EarlyHintsMakeTheBrowserRequestHintedUrlsBeforeThe200) {
  Scenario page = Page();
  page.server.think_ms = 50;  // the 200 leaves the server at 80 ms, the 103 at once (30 ms)
  MemoryPageLoad load(page, Mode("h2-hints"), kOneWayMs);
  load.Run();

  const ResourceTiming& doc = load.timing("/");
  EXPECT_EQ(doc.first_byte_ms, 90);
  for (const char* url : {"/style.css", "/app.js"}) {
    const ResourceTiming& t = load.timing(url);
    EXPECT_EQ(t.initiator, Initiator::kEarlyHints) << url;
    EXPECT_EQ(t.request_ms, 40) << url;
    EXPECT_LT(*t.request_ms, *doc.first_byte_ms) << url;
    EXPECT_EQ(t.complete_ms, 60) << url;
  }
  EXPECT_EQ(load.browser().Metrics().page_load_ms, 90);  // ready once the document has them
}

TEST(H2Test, WithoutHintsTheChildrenWaitForThe200) {
  Scenario page = Page();
  page.server.think_ms = 50;
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();
  EXPECT_EQ(load.timing("/app.js").initiator, Initiator::kParser);
  EXPECT_EQ(load.timing("/app.js").request_ms, 90);
  EXPECT_EQ(load.browser().Metrics().page_load_ms, 110);
}

TEST(H2Test, ServerThinkTimeDelaysTheResponseByExactlyThinkMs) {
  Scenario page = Page();
  page.resources[2].think_ms = 25;  // app.js
  page.server.think_ms = 40;        // the document
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();

  const ResourceTiming& doc = load.timing("/");
  EXPECT_EQ(doc.request_ms, 2 * kOneWayMs);  // written once the connection is up
  EXPECT_EQ(*doc.first_byte_ms - *doc.request_ms, 2 * kOneWayMs + 40);
  const ResourceTiming& app = load.timing("/app.js");
  EXPECT_EQ(*app.first_byte_ms - *app.request_ms, 2 * kOneWayMs + 25);
  const ResourceTiming& style = load.timing("/style.css");
  EXPECT_EQ(*style.first_byte_ms - *style.request_ms, 2 * kOneWayMs);
}

TEST(H2Test, FaultResetMarksTheResourceResetAfterItsBytes) {
  Scenario page = Page();
  page.resources[2].fault = ServerFault::kReset;  // app.js
  page.resources[2].fault_after_bytes = 1000;
  MemoryPageLoad load(page, Mode("h2"), kOneWayMs);
  load.Run();

  const ResourceTiming& app = load.timing("/app.js");
  EXPECT_EQ(app.status, ResourceStatus::kReset);
  EXPECT_EQ(app.body_bytes, 1000u);
  EXPECT_FALSE(app.complete_ms.has_value());
  EXPECT_EQ(load.timing("/style.css").status, ResourceStatus::kComplete);  // same connection
  EXPECT_TRUE(load.browser().Settled());
  EXPECT_FALSE(load.browser().Metrics().page_load_ms.has_value());
}

// The server session on its own: its think-time timer goes with it.
TEST(H2ServerTest, DestroyingTheSessionCancelsItsThinkTimer) {
  Scenario page = Page();
  page.server.think_ms = 500;
  const ModeSpec& h2 = Mode("h2");
  SiteContent origin(page, h2);
  FakeLoop loop;
  // The browser's bytes for GET /: a real H2Client behind a real Browser.
  struct HoldingOpener : ConnectionOpener {
    ByteStream* stream = nullptr;
    std::function<void()> on_up;

   protected:
    void DoOpen(int, const OriginKey&, ByteStream& s, std::function<void()> up) override {
      stream = &s;
      on_up = std::move(up);
    }
  } opener;
  Browser browser(page, BrowserPolicy{}, loop, ConnectionPools(h2, page, opener));
  browser.Navigate();
  ASSERT_NE(opener.stream, nullptr);
  opener.on_up();
  std::vector<uint8_t> request;
  uint8_t buffer[4096];
  while (size_t n = opener.stream->Pull(buffer, sizeof buffer))
    request.insert(request.end(), buffer, buffer + n);
  ASSERT_FALSE(request.empty());
  {
    H2ServerSession server(origin, loop);
    ASSERT_TRUE(server.Receive(request.data(), request.size()));
    EXPECT_EQ(loop.pending(), 1u);  // the document's 500 ms
  }
  EXPECT_EQ(loop.pending(), 0u);
  EXPECT_FALSE(loop.RunNext());
}

}  // namespace
}  // namespace waterfall
