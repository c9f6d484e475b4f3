// The seam between the browser and its HTTP stacks (models/http/http_client.h): pools per origin,
// connections opened through a ConnectionOpener that takes the pool's byte stream, page-wide
// connection ids, and the origin carried into the request's bytes. No ns-3.
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "models/browser/browser.h"
#include "models/http/http_client.h"
#include "models/http/mode.h"
#include "models/http/protocols.h"
#include "models/http/server_session.h"
#include "models/page/scenario.h"
#include "models/page/url.h"
#include "models/server/site_content.h"
#include "tests/support/fake_loop.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

class ManualLoop : public EventLoop {
 public:
  double NowMs() const override { return 0; }
  TimerId After(double, std::function<void()>) override {
    ADD_FAILURE() << "no timers here";
    return TimerId{};
  }
  void Cancel(TimerId) override {}
};

// Keeps what each pool asked for; the test brings connections up by calling on_up.
class RecordingOpener : public ConnectionOpener {
 public:
  struct Asked {
    int id;
    OriginKey origin;
    ByteStream* stream;
    std::function<void()> on_up;
  };
  std::vector<Asked> asked;

 protected:
  void DoOpen(int id, const OriginKey& origin, ByteStream& stream,
              std::function<void()> on_up) override {
    asked.push_back({id, origin, &stream, std::move(on_up)});
  }
};

struct Sent {
  Url url;
  StreamRef where;
  bool waited_for_connection;
};

class RecordingSink : public ResponseSink {
 public:
  void OnRequestSent(const Url& url, StreamRef where, bool waited) override {
    sent.push_back({url, where, waited});
  }
  void OnInterimResponse(const Url&, int, const std::vector<std::string>&) override {}
  void OnResponseHeaders(const Url&, int, const std::vector<std::string>&) override {}
  void OnResponseData(const Url&, uint64_t) override {}
  void OnResponseComplete(const Url&) override {}
  void OnResponseReset(const Url& url) override { ADD_FAILURE() << "reset " << url.ToString(); }
  bool OnPushPromise(const Url&, StreamRef) override { return false; }
  void OnWastedPushBytes(uint64_t) override {}
  std::vector<Sent> sent;
};

std::string PullAll(ByteStream& stream) {
  std::string out;
  uint8_t buf[4096];
  while (size_t n = stream.Pull(buf, sizeof buf)) out.append(reinterpret_cast<char*>(buf), n);
  return out;
}

void Fetch(ConnectionPool& pool, const std::string& path) {
  Request r;
  r.url = Url{pool.origin(), path};
  pool.Fetch(r);
}

const OriginKey kA{"http", "a.example", 80};
const OriginKey kB{"http", "b.example", 8080};
const OriginKey kC{"https", "c.example", 443};

TEST(ConnectionSeam, ConnectionIdsAreUniqueInThePageAcrossPools) {
  Scenario scenario;
  RecordingOpener opener;
  RecordingSink sink;
  auto a = MakeConnectionPool(*FindMode("h1"), scenario, kA, sink, opener);
  auto b = MakeConnectionPool(*FindMode("h1"), scenario, kB, sink, opener);
  auto c = MakeConnectionPool(*FindMode("h2"), scenario, kC, sink, opener);
  Fetch(*a, "/1");
  Fetch(*a, "/2");  // a second connection for a
  Fetch(*b, "/1");
  Fetch(*c, "/1");
  Fetch(*c, "/2");  // multiplexed: no second connection for c
  Fetch(*a, "/3");  // a third for a
  ASSERT_EQ(opener.asked.size(), 5u);
  const OriginKey expected_origin[] = {kA, kA, kB, kC, kA};
  for (size_t i = 0; i < opener.asked.size(); ++i) {
    EXPECT_EQ(opener.asked[i].id, static_cast<int>(i));
    EXPECT_EQ(opener.asked[i].origin, expected_origin[i]) << i;
  }
  for (RecordingOpener::Asked& up : opener.asked) {
    up.on_up();
    PullAll(*up.stream);  // the HTTP/2 request is sent when its HEADERS frame is pulled
  }
  ASSERT_EQ(sink.sent.size(), 6u);
  std::set<int> used;
  for (const Sent& s : sink.sent) {
    ASSERT_GE(s.where.connection, 0);
    ASSERT_LT(s.where.connection, 5);
    // Each request went out on a connection opened for its own origin.
    EXPECT_EQ(opener.asked[s.where.connection].origin, s.url.origin) << s.url.ToString();
    used.insert(s.where.connection);
  }
  EXPECT_EQ(used, (std::set<int>{0, 1, 2, 3, 4}));
}

TEST(ConnectionSeam, AnH1PoolOpensThroughTheOpenerAndNamesItsOriginInTheRequest) {
  Scenario scenario;
  RecordingOpener opener;
  RecordingSink sink;
  auto pool = MakeConnectionPool(*FindMode("h1"), scenario, kB, sink, opener);
  Fetch(*pool, "/x.css");
  ASSERT_EQ(opener.asked.size(), 1u);
  EXPECT_EQ(opener.asked[0].origin, kB);
  ByteStream& stream = *opener.asked[0].stream;
  EXPECT_EQ(PullAll(stream), "");  // nothing is written before the connection is up
  EXPECT_TRUE(sink.sent.empty());
  opener.asked[0].on_up();
  EXPECT_EQ(PullAll(stream),
            "GET /x.css HTTP/1.1\r\nHost: b.example:8080\r\nAccept: */*\r\n"
            "Connection: keep-alive\r\nUser-Agent: waterfall\r\n\r\n");
  ASSERT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(sink.sent[0].url.ToString(), "http://b.example:8080/x.css");
  EXPECT_EQ(sink.sent[0].where.connection, 0);
  EXPECT_TRUE(sink.sent[0].waited_for_connection);
  EXPECT_FALSE(pool->Idle());
}

// The request headers of the client's first HEADERS frame, as an HTTP/2 server decodes them.
std::map<std::string, std::string> DecodeRequestHeaders(const std::string& client_bytes) {
  std::map<std::string, std::string> headers;
  nghttp2_session_callbacks* cb;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_header_callback(
      cb, [](nghttp2_session*, const nghttp2_frame*, const uint8_t* name, size_t namelen,
             const uint8_t* value, size_t valuelen, uint8_t, void* user) {
        auto& h = *static_cast<std::map<std::string, std::string>*>(user);
        h.emplace(std::string(reinterpret_cast<const char*>(name), namelen),
                  std::string(reinterpret_cast<const char*>(value), valuelen));
        return 0;
      });
  nghttp2_session* server;
  nghttp2_session_server_new(&server, cb, &headers);
  nghttp2_session_callbacks_del(cb);
  const ssize_t read = nghttp2_session_mem_recv(
      server, reinterpret_cast<const uint8_t*>(client_bytes.data()), client_bytes.size());
  EXPECT_EQ(read, static_cast<ssize_t>(client_bytes.size()));
  nghttp2_session_del(server);
  return headers;
}

TEST(ConnectionSeam, AnH2PoolTakesTheAuthorityFromTheRequestsOrigin) {
  Scenario scenario;
  RecordingOpener opener;
  RecordingSink sink;
  auto pool = MakeConnectionPool(*FindMode("h2"), scenario, kB, sink, opener);
  Fetch(*pool, "/app.js");
  ASSERT_EQ(opener.asked.size(), 1u);
  EXPECT_EQ(opener.asked[0].origin, kB);
  opener.asked[0].on_up();
  const std::map<std::string, std::string> h =
      DecodeRequestHeaders(PullAll(*opener.asked[0].stream));
  EXPECT_EQ(h.at(":authority"), "b.example:8080");
  EXPECT_EQ(h.at(":path"), "/app.js");
  EXPECT_EQ(h.at(":scheme"), "https");  // as always sent; TLS will make it the origin's
  ASSERT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(sink.sent[0].url.ToString(), "http://b.example:8080/app.js");
}

TEST(ConnectionSeam, APreconnectedConnectionIsTheOneTheFirstRequestTakes) {
  for (const char* mode : {"h1", "h2"}) {
    Scenario scenario;
    RecordingOpener opener;
    RecordingSink sink;
    auto pool = MakeConnectionPool(*FindMode(mode), scenario, kA, sink, opener);
    pool->Preconnect();
    ASSERT_EQ(opener.asked.size(), 1u) << mode;
    opener.asked[0].on_up();
    PullAll(*opener.asked[0].stream);
    Fetch(*pool, "/");
    PullAll(*opener.asked[0].stream);
    EXPECT_EQ(opener.asked.size(), 1u) << mode;  // no second connection
    ASSERT_EQ(sink.sent.size(), 1u) << mode;
    EXPECT_EQ(sink.sent[0].where.connection, 0) << mode;
    EXPECT_FALSE(sink.sent[0].waited_for_connection) << mode;  // it was up already
  }
}

// A pool that only counts what the browser asks of it.
class CountingPool : public ConnectionPool {
 public:
  explicit CountingPool(const OriginKey& origin) : origin_(origin) {}
  const OriginKey& origin() const override { return origin_; }
  void Fetch(const Request& r) override { fetched.push_back(r.url); }
  void Preconnect() override { ++preconnects; }
  bool Idle() const override { return true; }
  std::vector<Url> fetched;
  int preconnects = 0;

 private:
  OriginKey origin_;
};

TEST(ConnectionSeam, TheBrowserMakesOnePoolPerOriginFromTheFactoryItWasGiven) {
  Scenario s;
  for (const char* path : {"/", "/a.css", "/b.js"}) {
    Resource r;
    r.url = path;
    r.type = std::string(path) == "/" ? ResourceType::kDocument : ResourceType::kScript;
    r.size_bytes = 10;
    r.parent = std::string(path) == "/" ? "" : "/";
    r.discover_at_bytes = 0;  // found as soon as the document's headers arrive
    s.resources.push_back(r);
  }
  std::map<OriginKey, CountingPool*> made;
  ManualLoop loop;
  Browser browser(s, BrowserPolicy{}, loop, [&](const OriginKey& origin, ResponseSink&) {
    EXPECT_EQ(made.count(origin), 0u) << "a second pool for " << origin.ToString();
    auto pool = std::make_unique<CountingPool>(origin);
    made[origin] = pool.get();
    return pool;
  });
  EXPECT_TRUE(made.empty());             // made when first needed
  browser.Preconnect(ScenarioOrigin());  // a warm start
  browser.Navigate();
  browser.OnResponseHeaders(Url{ScenarioOrigin(), "/"}, 200, {});
  browser.Preconnect(kC);
  ASSERT_EQ(made.size(), 2u);
  CountingPool& page = *made.at(ScenarioOrigin());
  EXPECT_EQ(page.preconnects, 1);
  ASSERT_EQ(page.fetched.size(), 3u);
  EXPECT_EQ(page.fetched[0].ToString(), "http://waterfall.test/");
  EXPECT_EQ(page.fetched[2].ToString(), "http://waterfall.test/b.js");
  EXPECT_EQ(made.at(kC)->preconnects, 1);
  EXPECT_TRUE(made.at(kC)->fetched.empty());
}

}  // namespace
}  // namespace waterfall

namespace waterfall {
namespace {

// The :authority of every PUSH_PROMISE in a server's output: walks its frames and inflates
// every header block in order with one HPACK decoder, as a client would.
std::vector<std::string> PromisedAuthorities(const std::string& out) {
  nghttp2_hd_inflater* inflater = nullptr;
  EXPECT_EQ(nghttp2_hd_inflate_new(&inflater), 0);
  std::vector<std::string> authorities;
  size_t at = 0;
  while (at + 9 <= out.size()) {
    const auto* p = reinterpret_cast<const uint8_t*>(out.data()) + at;
    const size_t length = (size_t{p[0]} << 16) | (size_t{p[1]} << 8) | p[2];
    const uint8_t type = p[3];
    if (at + 9 + length > out.size()) break;
    const uint8_t* payload = p + 9;
    size_t skip = 0;
    if (type == NGHTTP2_PUSH_PROMISE) skip = 4;  // the promised stream id (no padding here)
    if (type == NGHTTP2_HEADERS && (p[4] & NGHTTP2_FLAG_PRIORITY)) skip = 5;
    if (type == NGHTTP2_HEADERS || type == NGHTTP2_PUSH_PROMISE) {
      const uint8_t* in = payload + skip;
      size_t left = length - skip;
      for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        const ssize_t used = nghttp2_hd_inflate_hd2(inflater, &nv, &flags, in, left, 1);
        EXPECT_GE(used, 0);
        if (used < 0) break;
        in += used;
        left -= static_cast<size_t>(used);
        if ((flags & NGHTTP2_HD_INFLATE_EMIT) && type == NGHTTP2_PUSH_PROMISE &&
            std::string(reinterpret_cast<const char*>(nv.name), nv.namelen) == ":authority") {
          authorities.emplace_back(reinterpret_cast<const char*>(nv.value), nv.valuelen);
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
          nghttp2_hd_inflate_end_headers(inflater);
          break;
        }
        if (used == 0 && !(flags & NGHTTP2_HD_INFLATE_EMIT)) break;
      }
    }
    at += 9 + length;
  }
  nghttp2_hd_inflate_del(inflater);
  return authorities;
}

TEST(ConnectionSeam, PushesArePromisedOnTheAuthorityTheDocumentWasRequestedFrom) {
  Scenario scenario;
  testing::Add(scenario, "/", ResourceType::kDocument, 1000);
  testing::Add(scenario, "/style.css", ResourceType::kStyle, 2000, "/");
  testing::Add(scenario, "/app.js", ResourceType::kScript, 3000, "/");
  const ModeSpec& push = *FindMode("h2-push");
  RecordingOpener opener;
  RecordingSink sink;
  auto pool = MakeConnectionPool(push, scenario, kB, sink, opener);
  Fetch(*pool, "/");
  ASSERT_EQ(opener.asked.size(), 1u);
  opener.asked[0].on_up();
  const std::string request = PullAll(*opener.asked[0].stream);

  const SiteContent content(scenario, push);
  testing::FakeLoop loop;
  std::unique_ptr<ByteStream> server = MakeServerSession(push, content, loop);
  ASSERT_TRUE(server->Receive(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
  loop.RunAll();
  EXPECT_EQ(PromisedAuthorities(PullAll(*server)),
            (std::vector<std::string>{"b.example:8080", "b.example:8080"}));
}

}  // namespace
}  // namespace waterfall
