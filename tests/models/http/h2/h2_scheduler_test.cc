// server.scheduler: the order in which an H2ServerSession sends the DATA of its open responses.
// A raw nghttp2 client session (no browser) sends GETs with RFC 7540 priority specs as Chrome
// builds them and/or RFC 9218 `priority` headers; the bytes are pumped between the two in
// memory. Every request of a test reaches the server in one flight, before the server writes
// anything, so every response is queued when the first DATA frame is chosen: the order is the
// scheduler's alone. Each body is 64 KiB = 4 DATA frames of 16384 bytes (server.max_frame_bytes
// and the client's SETTINGS_MAX_FRAME_SIZE), and the client's windows are 16 MiB, so flow
// control never holds a stream back.
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/http/h2/h2_server.h"
#include "models/http/h2/nghttp2_glue.h"
#include "models/http/mode.h"
#include "models/page/scenario.h"
#include "models/scenario/scenario_loader.h"
#include "models/server/site_content.h"
#include "tests/support/fake_loop.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

using testing::Add;
using testing::FakeLoop;
using Order = std::vector<int32_t>;  // the stream of each DATA frame, in arrival order

constexpr uint64_t kBodyBytes = 4 * 16384;
constexpr int32_t kWindowBytes = 16 * 1024 * 1024;

// Chrome's RFC 7540 weights (net/spdy/spdy_http_utils.cc ConvertRequestPriorityToSpdyPriority,
// then quiche's spdy_protocol.cc Spdy3PriorityToHttp2Weight): HIGHEST 256, MEDIUM 220,
// LOWEST 147; its RFC 9218 urgencies (models/http/request_priority.h): 0, 1, 3.
constexpr int32_t kHighest = 256;
constexpr int32_t kMedium = 220;
constexpr int32_t kLowest = 147;

Scenario Page(StreamScheduler scheduler) {
  Scenario s;
  s.name = "h2-scheduler-test";
  Add(s, "/", ResourceType::kDocument, 1000);
  for (const char* url : {"/a", "/b", "/c", "/d"}) {
    Add(s, url, ResourceType::kImage, kBodyBytes, "/");
  }
  s.server.scheduler = scheduler;
  return s;
}

// An nghttp2 client session that records which stream each DATA frame it receives is on.
class RawClient {
 public:
  RawClient() {
    nghttp2_session_callbacks* cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
    nghttp2_session_client_new(&session_, cb, this);
    nghttp2_session_callbacks_del(cb);
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(kWindowBytes)}};
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 1);
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, kWindowBytes);
  }
  ~RawClient() { nghttp2_session_del(session_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // GET path; spec (RFC 7540) may be null, priority ("u=0", "u=1, i") empty for none.
  int32_t Get(const std::string& path, const nghttp2_priority_spec* spec,
              const std::string& priority = "") {
    NvList nva;
    nva.Add(":method", "GET").Add(":scheme", "http").Add(":authority", "example.test");
    nva.Add(":path", path);
    if (!priority.empty()) nva.Add("priority", priority);
    return nghttp2_submit_request(session_, spec, nva.data(), nva.size(), nullptr, nullptr);
  }
  // Everything the client has to send, into the server.
  void SendTo(H2ServerSession& server) {
    const uint8_t* data;
    ssize_t n;
    while ((n = nghttp2_session_mem_send(session_, &data)) > 0) {
      ASSERT_TRUE(server.Receive(data, static_cast<size_t>(n)));
    }
  }
  // Everything the server has to send, into the client.
  void ReceiveFrom(H2ServerSession& server) {
    uint8_t buffer[4096];
    while (size_t n = server.Pull(buffer, sizeof buffer)) {
      ASSERT_EQ(nghttp2_session_mem_recv(session_, buffer, n), static_cast<ssize_t>(n));
    }
  }
  nghttp2_session* session() { return session_; }
  const Order& data_frames() const { return data_frames_; }

 private:
  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* self) {
    if (frame->hd.type == NGHTTP2_DATA && frame->hd.length > 0) {
      static_cast<RawClient*>(self)->data_frames_.push_back(frame->hd.stream_id);
    }
    return 0;
  }

  nghttp2_session* session_ = nullptr;
  Order data_frames_;
};

// One server connection for the page of `scheduler`, and the raw client talking to it.
struct Connection {
  explicit Connection(StreamScheduler scheduler)
      : page(Page(scheduler)), content(page, *FindMode("h2")), server(content, loop) {}
  // The requests submitted so far reach the server, then all it writes reaches the client.
  Order Exchange() {
    client.SendTo(server);
    client.ReceiveFrom(server);
    return client.data_frames();
  }

  Scenario page;
  SiteContent content;
  FakeLoop loop;
  H2ServerSession server;
  RawClient client;
};

nghttp2_priority_spec Spec(int32_t parent, int32_t weight, bool exclusive) {
  nghttp2_priority_spec spec;
  nghttp2_priority_spec_init(&spec, parent, weight, exclusive ? 1 : 0);
  return spec;
}

// Two requests as Chrome sends them, both signals (Chrome's HTTP/2 priorities: the new stream
// depends exclusively on the most recent open stream of equal or higher priority, else on 0):
//   stream 1 /a LOWEST:  parent 0, weight 147, exclusive;  priority: u=3
//   stream 3 /b HIGHEST: no open stream as high -> parent 0, weight 256, exclusive, which
//                        makes 1 its child (root -> 3 -> 1);  priority: u=0
Order LowestThenHighest(StreamScheduler scheduler) {
  Connection c(scheduler);
  const nghttp2_priority_spec lowest = Spec(0, kLowest, true);
  const nghttp2_priority_spec highest = Spec(0, kHighest, true);
  EXPECT_EQ(c.client.Get("/a", &lowest, "u=3"), 1);
  EXPECT_EQ(c.client.Get("/b", &highest, "u=0"), 3);
  return c.Exchange();
}

TEST(H2SchedulerTest, Rfc7540SendsTheHighestStreamEntirelyBeforeItsExclusiveChild) {
  // Stream 1 hangs below 3: nghttp2 serves a stream's descendants only while it has no DATA
  // to send, so all of 3's four frames, then 1's.
  EXPECT_EQ(LowestThenHighest(StreamScheduler::kRfc7540), (Order{3, 3, 3, 3, 1, 1, 1, 1}));
}

TEST(H2SchedulerTest, Rfc9218SendsUrgencyZeroBeforeUrgencyThree) {
  // u=0 is served while it has DATA; the RFC 7540 specs are ignored.
  EXPECT_EQ(LowestThenHighest(StreamScheduler::kRfc9218), (Order{3, 3, 3, 3, 1, 1, 1, 1}));
}

TEST(H2SchedulerTest, FifoSendsInRequestOrderWhateverTheClientAsks) {
  // Both streams at one urgency, non-incremental, both signals ignored: in the order opened.
  EXPECT_EQ(LowestThenHighest(StreamScheduler::kFifo), (Order{1, 1, 1, 1, 3, 3, 3, 3}));
}

TEST(H2SchedulerTest, RoundRobinInterleavesWhateverTheClientAsks) {
  // Both incremental at one urgency, starting at cycle 0; 1 was opened first so wins the tie;
  // each 16384-byte frame moves its stream 16384 back: 1 3 1 3 ...
  EXPECT_EQ(LowestThenHighest(StreamScheduler::kRoundRobin), (Order{1, 3, 1, 3, 1, 3, 1, 3}));
}

// Three of Chrome's requests: the RFC 7540 tree puts the MEDIUM one between the two others.
//   stream 1 /a HIGHEST: parent 0, weight 256, exclusive;                  u=0
//   stream 3 /b LOWEST:  parent 1 (open, higher), weight 147, exclusive;   u=3
//   stream 5 /c MEDIUM:  parent 1 (the latest open stream as high), weight 220, exclusive,
//                        so 3 moves below 5: root -> 1 -> 5 -> 3;          u=1
Order HighestLowestMedium(StreamScheduler scheduler) {
  Connection c(scheduler);
  const nghttp2_priority_spec highest = Spec(0, kHighest, true);
  const nghttp2_priority_spec lowest = Spec(1, kLowest, true);
  const nghttp2_priority_spec medium = Spec(1, kMedium, true);
  EXPECT_EQ(c.client.Get("/a", &highest, "u=0"), 1);
  EXPECT_EQ(c.client.Get("/b", &lowest, "u=3"), 3);
  EXPECT_EQ(c.client.Get("/c", &medium, "u=1"), 5);
  return c.Exchange();
}

TEST(H2SchedulerTest, Rfc7540FollowsTheChainChromeBuilds) {
  EXPECT_EQ(HighestLowestMedium(StreamScheduler::kRfc7540),
            (Order{1, 1, 1, 1, 5, 5, 5, 5, 3, 3, 3, 3}));
}

TEST(H2SchedulerTest, Rfc9218FollowsUrgencies) {
  // u=0, then u=1, then u=3.
  EXPECT_EQ(HighestLowestMedium(StreamScheduler::kRfc9218),
            (Order{1, 1, 1, 1, 5, 5, 5, 5, 3, 3, 3, 3}));
}

TEST(H2SchedulerTest, FifoIgnoresTheChain) {
  EXPECT_EQ(HighestLowestMedium(StreamScheduler::kFifo),
            (Order{1, 1, 1, 1, 3, 3, 3, 3, 5, 5, 5, 5}));
}

TEST(H2SchedulerTest, RoundRobinIgnoresTheChain) {
  // Three streams at cycle 0, by opening order; each frame moves its stream 16384 back.
  EXPECT_EQ(HighestLowestMedium(StreamScheduler::kRoundRobin),
            (Order{1, 3, 5, 1, 3, 5, 1, 3, 5, 1, 3, 5}));
}

TEST(H2SchedulerTest, Rfc9218InterleavesIncrementalStreamsOfOneUrgency) {
  // stream 1 u=3 (non-incremental), 3 and 5 u=1 incremental, 7 u=0: first all of 7; then
  // 3 and 5 alternate (both enter u=1 at cycle 0, 3 wins the tie by opening order, each frame
  // sends its stream 16384 back); then 1.
  Connection c(StreamScheduler::kRfc9218);
  c.client.Get("/a", nullptr, "u=3");
  c.client.Get("/b", nullptr, "u=1, i");
  c.client.Get("/c", nullptr, "u=1, i");
  c.client.Get("/d", nullptr, "u=0");
  EXPECT_EQ(c.Exchange(), (Order{7, 7, 7, 7, 3, 5, 3, 5, 3, 5, 3, 5, 1, 1, 1, 1}));
}

// Two requests without a priority header (RFC 9218's default: u=3, non-incremental), then,
// in a later flight, a PRIORITY_UPDATE raising stream 3 to u=0 (RFC 9218 section 7.1). The
// client sends it only once it knows the server uses RFC 9218 priorities (nghttp2 1.52's
// nghttp2_submit_priority_update does nothing before SETTINGS_NO_RFC7540_PRIORITIES = 1 came).
Order TwoRequestsThenPriorityUpdate(StreamScheduler scheduler) {
  Connection c(scheduler);
  c.Exchange();  // the connection prefaces and SETTINGS
  EXPECT_EQ(nghttp2_session_get_remote_settings(c.client.session(),
                                                NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES),
            1u);
  EXPECT_EQ(c.client.Get("/a", nullptr), 1);
  EXPECT_EQ(c.client.Get("/b", nullptr), 3);
  c.client.SendTo(c.server);
  const std::string urgent = "u=0";
  EXPECT_EQ(nghttp2_submit_priority_update(c.client.session(), NGHTTP2_FLAG_NONE, 3,
                                           reinterpret_cast<const uint8_t*>(urgent.data()),
                                           urgent.size()),
            0);
  return c.Exchange();
}

TEST(H2SchedulerTest, Rfc9218FollowsPriorityUpdate) {
  // Without the update: 1 then 3 (equal urgency, non-incremental, opening order).
  EXPECT_EQ(TwoRequestsThenPriorityUpdate(StreamScheduler::kRfc9218),
            (Order{3, 3, 3, 3, 1, 1, 1, 1}));
}

TEST(H2SchedulerTest, FifoIgnoresPriorityUpdate) {
  EXPECT_EQ(TwoRequestsThenPriorityUpdate(StreamScheduler::kFifo), (Order{1, 1, 1, 1, 3, 3, 3, 3}));
}

TEST(H2SchedulerTest, RoundRobinIgnoresPriorityUpdate) {
  EXPECT_EQ(TwoRequestsThenPriorityUpdate(StreamScheduler::kRoundRobin),
            (Order{1, 3, 1, 3, 1, 3, 1, 3}));
}

TEST(H2SchedulerTest, OnlyRfc7540LeavesOutSettingsNoRfc7540Priorities) {
  // nghttp2 reads a SETTINGS frame without the setting as 0 (nghttp2_session_on_settings_
  // received); rfc9218, fifo and round-robin announce 1 (the RFC 9218 scheduler's switch).
  for (StreamScheduler scheduler : {StreamScheduler::kRfc7540, StreamScheduler::kRfc9218,
                                    StreamScheduler::kFifo, StreamScheduler::kRoundRobin}) {
    Connection c(scheduler);
    c.Exchange();
    EXPECT_EQ(nghttp2_session_get_remote_settings(c.client.session(),
                                                  NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES),
              scheduler == StreamScheduler::kRfc7540 ? 0u : 1u)
        << ToString(scheduler);
  }
}

// Push: the document (64 KiB, 50 ms of think time) promises /a (64 KiB) before it is produced
// (push_order "before"), so the push's DATA starts at once. After its first frame the
// document's response is submitted; where its four frames go among the push's last three is
// the scheduler's pushed-stream policy. The client asks for the document as Chrome does:
// HIGHEST (parent 0, weight 256, exclusive) and u=0.
Order PushThenDocument(StreamScheduler scheduler) {
  Scenario page;
  page.name = "h2-scheduler-push";
  Add(page, "/", ResourceType::kDocument, kBodyBytes);
  Add(page, "/a", ResourceType::kScript, kBodyBytes, "/");
  page.server.scheduler = scheduler;
  page.server.think_ms = 50;
  page.server.push = std::vector<std::string>{"/a"};
  page.server.push_order = PushOrder::kBefore;
  SiteContent content(page, *FindMode("h2-push"));
  FakeLoop loop;
  H2ServerSession server(content, loop);
  RawClient client;
  const nghttp2_priority_spec highest = Spec(0, kHighest, true);
  EXPECT_EQ(client.Get("/", &highest, "u=0"), 1);
  client.SendTo(server);
  // The server's bytes up to the end of the push's first DATA frame (SessionOutput hands out
  // one nghttp2_session_mem_send at a time, so nothing of the next frame is read yet).
  uint8_t buffer[64];
  while (client.data_frames().empty()) {
    const size_t n = server.Pull(buffer, sizeof buffer);
    if (n == 0) break;
    EXPECT_EQ(nghttp2_session_mem_recv(client.session(), buffer, n), static_cast<ssize_t>(n));
  }
  EXPECT_EQ(client.data_frames(), Order{2});
  EXPECT_TRUE(loop.RunNext());  // 50 ms: the document's response
  client.ReceiveFrom(server);
  return client.data_frames();
}

TEST(H2SchedulerTest, Rfc7540HoldsThePushBehindItsDocument) {
  // The pushed stream 2 is nghttp2's child of stream 1 (weight 16): once 1 has DATA, 2 waits.
  EXPECT_EQ(PushThenDocument(StreamScheduler::kRfc7540), (Order{2, 1, 1, 1, 1, 2, 2, 2}));
}

TEST(H2SchedulerTest, Rfc9218SendsTheUrgentDocumentBeforeThePush) {
  // The document at u=0, the push at nghttp2's default u=3.
  EXPECT_EQ(PushThenDocument(StreamScheduler::kRfc9218), (Order{2, 1, 1, 1, 1, 2, 2, 2}));
}

TEST(H2SchedulerTest, FifoSendsTheDocumentFirstAsItsStreamOpenedFirst) {
  // Stream 1 opened before the promise opened 2; both at cycle 0: 1 goes ahead once ready.
  EXPECT_EQ(PushThenDocument(StreamScheduler::kFifo), (Order{2, 1, 1, 1, 1, 2, 2, 2}));
}

TEST(H2SchedulerTest, RoundRobinSharesBetweenThePushAndTheDocument) {
  // After its first frame the push is at cycle 16384; the document enters at the queue's first
  // cycle, 16384, and wins the tie (opened first); then they alternate.
  EXPECT_EQ(PushThenDocument(StreamScheduler::kRoundRobin), (Order{2, 1, 2, 1, 2, 1, 2, 1}));
}

// scenarios/images-100.toml, the page scenarios/sweeps/priorities.toml sweeps over the
// schedulers: the CSS early in the HTML, then 100 images after it.
TEST(H2SchedulerTest, TheImages100ScenarioLoads) {
  const Scenario s =
      LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/images-100.toml");
  ASSERT_EQ(s.resources.size(), 102u);  // the HTML, the CSS, 100 images
  EXPECT_EQ(s.network.rtt_ms, 100);
  EXPECT_EQ(s.network.bandwidth_mbps, 10);
  EXPECT_EQ(s.resources[0].size_bytes, 10000u);
  const Resource& css = s.resources[1];
  EXPECT_EQ(css.type, ResourceType::kStyle);
  EXPECT_EQ(css.size_bytes, 30000u);
  EXPECT_TRUE(css.render_blocking);
  uint64_t image_bytes = 0;
  for (size_t i = 2; i < s.resources.size(); ++i) {
    const Resource& image = s.resources[i];
    EXPECT_EQ(image.type, ResourceType::kImage) << image.url;
    EXPECT_GT(image.discover_at_bytes, css.discover_at_bytes) << image.url;
    image_bytes += image.size_bytes;
  }
  EXPECT_EQ(image_bytes, 1000000u);                          // 100 x 10 KB
  EXPECT_EQ(s.server.scheduler, StreamScheduler::kRfc7540);  // the sweep sets it
}

}  // namespace
}  // namespace waterfall
