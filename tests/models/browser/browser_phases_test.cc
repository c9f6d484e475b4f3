// The browser's record of each fetch's phases (README, "Results"), driven by hand: the test
// plays the HTTP stack and the transport, calling the browser as they would, on a clock it
// sets. No sessions, no ns-3.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/browser/browser.h"
#include "models/page/scenario.h"

namespace waterfall {
namespace {

class ManualLoop : public EventLoop {
 public:
  double NowMs() const override { return now_ms; }
  TimerId After(double, std::function<void()>) override {
    ADD_FAILURE() << "no timers here";
    return TimerId{};
  }
  void Cancel(TimerId) override {}
  double now_ms = 0;
};

// Records the paths the browser asks for; sends nothing by itself.
class FetchLog : public ConnectionPool {
 public:
  const OriginKey& origin() const override { return ScenarioOrigin(); }
  void Fetch(const Request& request) override { fetched.push_back(request.url.path); }
  void Preconnect() override {}
  bool Idle() const override { return true; }
  std::vector<std::string> fetched;
};

// Hands the browser `log` as its one pool (log outlives the browser).
ConnectionPoolFactory Into(FetchLog& log) {
  struct Forward : ConnectionPool {
    explicit Forward(FetchLog& l) : log(l) {}
    const OriginKey& origin() const override { return log.origin(); }
    void Fetch(const Request& r) override { log.Fetch(r); }
    void Preconnect() override {}
    bool Idle() const override { return true; }
    FetchLog& log;
  };
  return [&log](const OriginKey&, ResponseSink&) { return std::make_unique<Forward>(log); };
}

Url At(const std::string& path) { return Url{ScenarioOrigin(), path}; }

// The document references /a.css and /b.js at its end; /c.png is cached.
Scenario Page() {
  Scenario s;
  s.name = "phases";
  auto add = [&](const std::string& url, ResourceType type, const std::string& parent) {
    Resource r;
    r.url = url;
    r.type = type;
    r.size_bytes = 100;
    r.parent = parent;
    s.resources.push_back(r);
  };
  add("/", ResourceType::kDocument, "");
  add("/a.css", ResourceType::kStyle, "/");
  add("/b.js", ResourceType::kScript, "/");
  add("/c.png", ResourceType::kImage, "/");
  s.client.cache = {"/c.png"};
  return s;
}

const ResourceTiming& Of(const Browser& b, const std::string& url) {
  for (const ResourceTiming& t : b.timings()) {
    if (t.url.path == url) return t;
  }
  throw std::runtime_error(url);
}

TEST(BrowserPhases, ConnectIsTheHandshakeTheRequestWaitedForAndOnlyThat) {
  const Scenario s = Page();
  ManualLoop loop;
  FetchLog client;
  Browser browser(s, BrowserPolicy{}, loop, Into(client));

  browser.Navigate();  // t = 0: the document is asked for; the stack opens connection 0
  browser.OnConnectStart(0);
  ASSERT_EQ(client.fetched, std::vector<std::string>{"/"});
  loop.now_ms = 100;  // connection 0 is up, the request goes out on it
  browser.OnConnectEnd(0);
  browser.OnRequestSent(At("/"), {0, 1}, /*waited_for_connection=*/true);
  loop.now_ms = 120;  // the stack opens connection 1 (say, for a preload), still connecting
  browser.OnConnectStart(1);
  loop.now_ms = 200;  // the document arrives whole: /a.css and /b.js are found and asked for
  browser.OnResponseHeaders(At("/"), 200, {});
  browser.OnResponseData(At("/"), 100);
  browser.OnResponseComplete(At("/"));
  // /a.css goes out at once on connection 0, which is up: no connect phase.
  browser.OnRequestSent(At("/a.css"), {0, 2}, /*waited_for_connection=*/false);
  loop.now_ms = 250;  // connection 1 is up; /b.js, waiting since 200, goes out on it
  browser.OnConnectEnd(1);
  browser.OnRequestSent(At("/b.js"), {1, 1}, /*waited_for_connection=*/true);

  const ResourceTiming& doc = Of(browser, "/");
  EXPECT_EQ(doc.queued_ms, 0);
  EXPECT_EQ(doc.connect_start_ms, 0);
  EXPECT_EQ(doc.connect_end_ms, 100);
  EXPECT_EQ(doc.request_ms, 100);
  EXPECT_EQ(doc.first_byte_ms, 200);

  const ResourceTiming& css = Of(browser, "/a.css");
  EXPECT_EQ(css.queued_ms, 200);
  EXPECT_FALSE(css.connect_start_ms || css.connect_end_ms);
  EXPECT_EQ(css.request_ms, 200);

  // /b.js found the handshake under way: it waited for the part after it was queued.
  const ResourceTiming& js = Of(browser, "/b.js");
  EXPECT_EQ(js.queued_ms, 200);
  EXPECT_EQ(js.connect_start_ms, 200);
  EXPECT_EQ(js.connect_end_ms, 250);
  EXPECT_EQ(js.request_ms, 250);

  // The cache hit was never asked of the network.
  const ResourceTiming& png = Of(browser, "/c.png");
  EXPECT_TRUE(png.from_cache);
  EXPECT_FALSE(png.queued_ms || png.connect_start_ms || png.request_ms);
  EXPECT_EQ(png.complete_ms, 200);
}

TEST(BrowserPhases, AConnectionUpBeforeNavigationHasNoHandshakeToWaitFor) {
  // client.connection = "warm": the transport reports no handshake during the page.
  const Scenario s = Page();
  ManualLoop loop;
  FetchLog client;
  Browser browser(s, BrowserPolicy{}, loop, Into(client));
  browser.Navigate();
  browser.OnConnectEnd(0);  // an end without a start (ignored)
  browser.OnRequestSent(At("/"), {0, 1}, /*waited_for_connection=*/true);
  const ResourceTiming& doc = Of(browser, "/");
  EXPECT_EQ(doc.request_ms, 0);
  EXPECT_FALSE(doc.connect_start_ms || doc.connect_end_ms);
}

TEST(BrowserPhases, APushIsQueuedAndRequestedWhenItsPromiseArrives) {
  const Scenario s = Page();
  ManualLoop loop;
  FetchLog client;
  Browser browser(s, BrowserPolicy{}, loop, Into(client));
  browser.Navigate();
  browser.OnConnectStart(0);
  loop.now_ms = 100;
  browser.OnConnectEnd(0);
  browser.OnRequestSent(At("/"), {0, 1}, true);
  loop.now_ms = 150;
  ASSERT_TRUE(browser.OnPushPromise(At("/b.js"), {0, 2}));
  const ResourceTiming& js = Of(browser, "/b.js");
  EXPECT_EQ(js.queued_ms, 150);
  EXPECT_EQ(js.request_ms, 150);
  EXPECT_FALSE(js.connect_start_ms);
  EXPECT_FALSE(js.discovered_ms);  // the parser has not found it yet
}

}  // namespace
}  // namespace waterfall
