// HTTP/1.1 mode, in memory: the H1Client pool and H1ServerSession talk through hand-pumped
// byte pipes (random-size pieces, fixed seed) on a hand-cranked clock. No ns-3.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "models/http/h1/h1_client.h"
#include "models/http/h1/h1_server.h"
#include "models/http/mode.h"
#include "models/http/protocols.h"
#include "models/http/server_session.h"
#include "models/page/scenario.h"
#include "models/server/site_content.h"
#include "tests/support/fake_loop.h"

namespace waterfall {
namespace {

using testing::FakeLoop;

// Records the connections the pool asks for; the test brings them up (H1Net::Connect).
class RecordingOpener : public ConnectionOpener {
 public:
  struct Asked {
    OriginKey origin;
    ByteStream* stream;
    std::function<void()> on_up;
  };
  std::vector<int> opened;
  std::map<int, Asked> asked;

 protected:
  void DoOpen(int id, const OriginKey& origin, ByteStream& stream,
              std::function<void()> on_up) override {
    opened.push_back(id);
    asked[id] = Asked{origin, &stream, std::move(on_up)};
  }
};

struct Exchange {
  std::vector<StreamRef> sent;
  double sent_ms = -1;
  bool waited_for_connection = false;
  std::vector<int> interim_status;
  std::vector<std::string> interim_preload;
  int status = 0;
  int headers = 0;
  double headers_ms = -1;
  std::vector<std::string> preload;
  uint64_t body_bytes = 0;
  int complete = 0;
  double complete_ms = -1;
  int reset = 0;
};

// Records what the client reports, and checks each connection carries one request at a time.
class RecordingSink : public ResponseSink {
 public:
  explicit RecordingSink(const EventLoop& loop) : loop_(loop) {}

  void OnRequestSent(const Url& full_url, StreamRef where, bool waited_for_connection) override {
    const std::string& url = full_url.path;
    Exchange& e = log[url];
    e.waited_for_connection = waited_for_connection;
    e.sent.push_back(where);
    e.sent_ms = loop_.NowMs();
    connection_of_[url] = where.connection;
    int& n = in_flight_[where.connection];
    ++n;
    max_in_flight_per_connection = std::max(max_in_flight_per_connection, n);
  }
  void OnInterimResponse(const Url& full_url, int status,
                         const std::vector<std::string>& preload) override {
    const std::string& url = full_url.path;
    Exchange& e = log[url];
    e.interim_status.push_back(status);
    e.interim_preload.insert(e.interim_preload.end(), preload.begin(), preload.end());
  }
  void OnResponseHeaders(const Url& full_url, int status,
                         const std::vector<std::string>& preload) override {
    const std::string& url = full_url.path;
    Exchange& e = log[url];
    ++e.headers;
    e.status = status;
    e.headers_ms = loop_.NowMs();
    e.preload = preload;
  }
  void OnResponseData(const Url& full_url, uint64_t body_bytes) override {
    const std::string& url = full_url.path;
    log[url].body_bytes += body_bytes;
    total_body_bytes += body_bytes;
  }
  void OnResponseComplete(const Url& full_url) override {
    const std::string& url = full_url.path;
    Exchange& e = log[url];
    ++e.complete;
    e.complete_ms = loop_.NowMs();
    --in_flight_[connection_of_[url]];
    if (on_complete) on_complete(url);
  }
  void OnResponseReset(const Url& full_url) override {
    const std::string& url = full_url.path;
    ++log[url].reset;
    --in_flight_[connection_of_[url]];
  }
  bool OnPushPromise(const Url& full_url, StreamRef) override {
    const std::string& url = full_url.path;
    ADD_FAILURE() << "push over HTTP/1.1: " << url;
    return false;
  }
  void OnWastedPushBytes(uint64_t bytes) override {
    ADD_FAILURE() << "wasted push bytes over HTTP/1.1: " << bytes;
  }

  std::map<std::string, Exchange> log;
  uint64_t total_body_bytes = 0;
  int max_in_flight_per_connection = 0;
  std::function<void(const std::string&)> on_complete;

 private:
  const EventLoop& loop_;
  std::map<std::string, int> connection_of_;
  std::map<int, int> in_flight_;
};

// How the pipe cuts bytes: pulls and deliveries of 1..max bytes, random or always max.
struct Chunking {
  size_t max_bytes = 37;
  bool random = true;
};

// One TCP connection: moves bytes between a client stream and a server stream the way
// sim/SocketPump does (pull when told there is output, and after every Receive).
class Pipe {
 public:
  Pipe(ByteStream& client, std::unique_ptr<ByteStream> server, Chunking chunking, std::mt19937& rng)
      : client_(client), server_(std::move(server)), chunking_(chunking), rng_(rng) {
    client_.SetOutputListener([this] { client_has_output_ = true; });
    server_->SetOutputListener([this] { server_has_output_ = true; });
  }
  ~Pipe() {
    client_.SetOutputListener(nullptr);
    server_->SetOutputListener(nullptr);
  }

  // Moves bytes until neither side has anything to say.
  void Pump() {
    while (client_has_output_ || server_has_output_) {
      if (client_has_output_) {
        client_has_output_ = false;
        if (Move(client_, *server_, client_wire, &server_ok)) server_has_output_ = true;
      }
      if (server_has_output_) {
        server_has_output_ = false;
        if (Move(*server_, client_, server_wire, &client_ok)) client_has_output_ = true;
      }
    }
  }
  bool has_output() const { return client_has_output_ || server_has_output_; }

  // The first bytes each side wrote (a large body is not kept).
  std::string client_wire;
  std::string server_wire;
  bool client_ok = true;  // what the client's Receive returned
  bool server_ok = true;

 private:
  static constexpr size_t kKeptBytes = 1 << 16;

  size_t Size() {
    if (!chunking_.random) return chunking_.max_bytes;
    return std::uniform_int_distribution<size_t>(1, chunking_.max_bytes)(rng_);
  }

  // Pulls everything from `from` and hands it to `to`; true if `to` received anything.
  bool Move(ByteStream& from, ByteStream& to, std::string& wire, bool* to_ok) {
    bool moved = false;
    std::vector<uint8_t> buffer(chunking_.max_bytes);
    for (;;) {
      size_t n = from.Pull(buffer.data(), Size());
      if (n == 0) return moved;
      if (wire.size() < kKeptBytes) {
        wire.append(reinterpret_cast<const char*>(buffer.data()),
                    std::min(n, kKeptBytes - wire.size()));
      }
      for (size_t offset = 0; offset < n && *to_ok;) {
        size_t piece = std::min(n - offset, Size());
        *to_ok = to.Receive(buffer.data() + offset, piece);
        offset += piece;
        moved = true;
      }
    }
  }

  ByteStream& client_;
  std::unique_ptr<ByteStream> server_;
  Chunking chunking_;
  std::mt19937& rng_;
  bool client_has_output_ = false;
  bool server_has_output_ = false;
};

// A server that answers the first request it reads with canned bytes.
class CannedServer : public ByteStream {
 public:
  explicit CannedServer(std::string reply) : reply_(std::move(reply)) {}
  bool Receive(const uint8_t* data, size_t len) override {
    request_.append(reinterpret_cast<const char*>(data), len);
    if (request_.find("\r\n\r\n") != std::string::npos) ready_ = true;
    return true;
  }
  size_t Pull(uint8_t* out, size_t max_bytes) override {
    if (!ready_) return 0;
    size_t n = std::min(max_bytes, reply_.size() - offset_);
    std::memcpy(out, reply_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string reply_;
  std::string request_;
  size_t offset_ = 0;
  bool ready_ = false;
};

Resource MakeResource(const std::string& url, ResourceType type, uint64_t size,
                      double think_ms = 0) {
  Resource r;
  r.url = url;
  r.type = type;
  r.size_bytes = size;
  r.think_ms = think_ms;
  if (type != ResourceType::kDocument) r.parent = "/";
  return r;
}

// A page: the document "/" and `others`.
Scenario MakeScenario(uint64_t document_bytes, std::vector<Resource> others = {}) {
  Scenario s;
  s.name = "h1-test";
  s.resources.push_back(MakeResource("/", ResourceType::kDocument, document_bytes));
  for (Resource& r : others) s.resources.push_back(std::move(r));
  return s;
}

const ModeSpec& H1() { return *FindMode("h1"); }

// The whole in-memory setup: browser-side pool, one server session per connection.
class H1Net {
 public:
  // `scenario` must outlive the net (SiteContent keeps a reference).
  H1Net(const Scenario& scenario, const ModeSpec& mode, Chunking chunking = {})
      : mode_(mode), content_(scenario, mode), sink(loop), chunking_(chunking), rng_(20240601) {
    client = MakeConnectionPool(mode_, scenario, ScenarioOrigin(), sink, opener);
  }

  // Asks the pool for path on its origin.
  void Fetch(const std::string& path, RequestPriority level = RequestPriority::kLowest) {
    Request request;
    request.url = Url{client->origin(), path};
    request.priority.level = level;
    client->Fetch(request);
  }

  // Completes the handshake of every connection the pool has opened, as sim/BrowserApp does:
  // the stream it handed over is wired up before the pool hears the connection is up.
  void Connect() {
    for (int id : opener.opened) {
      if (pipes.count(id)) continue;
      std::unique_ptr<ByteStream> server =
          server_factory ? server_factory() : MakeServerSession(mode_, content_, loop);
      pipes[id] =
          std::make_unique<Pipe>(*opener.asked.at(id).stream, std::move(server), chunking_, rng_);
      std::function<void()> on_up = opener.asked.at(id).on_up;
      on_up();
    }
  }

  void Pump() {
    bool again = true;
    while (again) {
      for (auto& [id, pipe] : pipes) pipe->Pump();
      again = false;
      for (auto& [id, pipe] : pipes) again = again || pipe->has_output();
    }
  }

  // Runs until nothing is left to do: connects, moves bytes, fires timers.
  void Run() {
    do {
      Connect();
      Pump();
      Connect();  // a connection opened from a callback
      Pump();
    } while (loop.RunNext());
  }

  FakeLoop loop;
  RecordingOpener opener;

 private:
  const ModeSpec& mode_;
  SiteContent content_;

 public:
  RecordingSink sink;
  std::unique_ptr<ConnectionPool> client;
  std::map<int, std::unique_ptr<Pipe>> pipes;
  std::function<std::unique_ptr<ByteStream>()> server_factory;

 private:
  Chunking chunking_;
  std::mt19937 rng_;
};

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

TEST(H1Test, RoundTripDeliversEveryBodyByteAndCompletes) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/x", ResourceType::kScript, 54321)});
  H1Net net(scenario, H1());

  net.Fetch("/x");
  EXPECT_FALSE(net.client->Idle());
  net.Run();

  const Exchange& x = net.sink.log["/x"];
  ASSERT_EQ(x.sent.size(), 1u);
  EXPECT_EQ(x.sent[0].connection, 0);
  EXPECT_EQ(x.sent[0].stream_id, 1);
  EXPECT_EQ(x.status, 200);
  EXPECT_EQ(x.headers, 1);
  EXPECT_EQ(x.body_bytes, 54321u);
  EXPECT_EQ(x.complete, 1);
  EXPECT_EQ(x.reset, 0);
  EXPECT_TRUE(net.client->Idle());
  EXPECT_EQ(net.opener.opened, std::vector<int>{0});
}

TEST(H1Test, WireCarriesRealHttp11RequestAndResponse) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/x", ResourceType::kStyle, 10)});
  H1Net net(scenario, H1());

  net.Fetch("/x");
  net.Run();

  const Pipe& pipe = *net.pipes.at(0);
  EXPECT_TRUE(StartsWith(pipe.client_wire, "GET /x HTTP/1.1\r\n"));
  EXPECT_EQ(pipe.client_wire,
            "GET /x HTTP/1.1\r\nHost: waterfall.test\r\nAccept: */*\r\n"
            "Connection: keep-alive\r\nUser-Agent: waterfall\r\n\r\n");
  EXPECT_TRUE(StartsWith(pipe.server_wire, "HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(pipe.server_wire.find("\r\nContent-Type: text/css\r\n"), std::string::npos);
  EXPECT_NE(pipe.server_wire.find("\r\nContent-Length: 10\r\n"), std::string::npos);
  EXPECT_EQ(pipe.server_wire.substr(pipe.server_wire.size() - 14), "\r\n\r\nxxxxxxxxxx");
}

TEST(H1Test, TenFetchesOpenSixConnectionsAndTheRestWaitForAnIdleOne) {
  std::vector<Resource> images;
  for (int i = 0; i < 10; ++i) {
    images.push_back(MakeResource("/i" + std::to_string(i), ResourceType::kImage, 3000 + i, 10));
  }
  Scenario scenario = MakeScenario(1000, images);
  ASSERT_EQ(scenario.client.h1_connections, 6u);
  H1Net net(scenario, H1());

  for (int i = 0; i < 10; ++i) net.Fetch("/i" + std::to_string(i));
  // Six handshakes under way; nothing is written before a connection is up.
  EXPECT_EQ(net.opener.opened, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(net.sink.log.empty());

  net.Connect();
  net.Pump();
  // One request on each connection, in order; the other four wait.
  for (int i = 0; i < 6; ++i) {
    const Exchange& e = net.sink.log["/i" + std::to_string(i)];
    ASSERT_EQ(e.sent.size(), 1u) << i;
    EXPECT_EQ(e.sent[0].connection, i);
    EXPECT_EQ(e.sent[0].stream_id, 1);
  }
  for (int i = 6; i < 10; ++i) EXPECT_EQ(net.sink.log.count("/i" + std::to_string(i)), 0u) << i;

  net.Run();
  EXPECT_EQ(net.opener.opened.size(), 6u);
  EXPECT_EQ(net.sink.max_in_flight_per_connection, 1);
  for (int i = 0; i < 10; ++i) {
    const Exchange& e = net.sink.log["/i" + std::to_string(i)];
    ASSERT_EQ(e.sent.size(), 1u) << i;
    EXPECT_EQ(e.complete, 1) << i;
    EXPECT_EQ(e.body_bytes, 3000u + i) << i;
    // The waiting four go out when the first responses finish (think time 10 ms), each as the
    // second request of a reused connection.
    EXPECT_EQ(e.sent_ms, i < 6 ? 0 : 10) << i;
    EXPECT_EQ(e.sent[0].stream_id, i < 6 ? 1 : 2) << i;
    EXPECT_EQ(e.complete_ms, i < 6 ? 10 : 20) << i;
  }
  EXPECT_TRUE(net.client->Idle());
}

TEST(H1Test, OnlyRequestsSentAsTheirConnectionComesUpWaitedForIt) {
  // Ten fetches, six connections: the first six go out as the handshakes complete (they
  // waited for them); the other four go out later on connections that are already up, and so
  // does a fetch made once everything is idle.
  std::vector<Resource> images;
  for (int i = 0; i < 11; ++i) {
    images.push_back(MakeResource("/i" + std::to_string(i), ResourceType::kImage, 100, 10));
  }
  Scenario scenario = MakeScenario(1000, images);
  H1Net net(scenario, H1());
  for (int i = 0; i < 10; ++i) net.Fetch("/i" + std::to_string(i));
  net.Run();
  net.Fetch("/i10");
  net.Run();
  for (int i = 0; i < 11; ++i) {
    const Exchange& e = net.sink.log["/i" + std::to_string(i)];
    ASSERT_EQ(e.sent.size(), 1u) << i;
    EXPECT_EQ(e.waited_for_connection, i < 6) << i;
  }
}

TEST(H1Test, ConnectionLimitComesFromTheScenario) {
  std::vector<Resource> images;
  for (int i = 0; i < 5; ++i) {
    images.push_back(MakeResource("/i" + std::to_string(i), ResourceType::kImage, 100));
  }
  Scenario scenario = MakeScenario(1000, images);
  scenario.client.h1_connections = 2;
  H1Net net(scenario, H1());

  for (int i = 0; i < 5; ++i) net.Fetch("/i" + std::to_string(i));
  EXPECT_EQ(net.opener.opened, (std::vector<int>{0, 1}));
  net.Run();
  EXPECT_EQ(net.opener.opened.size(), 2u);
  EXPECT_EQ(net.sink.max_in_flight_per_connection, 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(net.sink.log["/i" + std::to_string(i)].complete, 1);
}

TEST(H1Test, FewerRequestsThanTheLimitOpenOnlyAsManyConnections) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/a", ResourceType::kScript, 10),
                                          MakeResource("/b", ResourceType::kScript, 10)});
  H1Net net(scenario, H1());

  net.Fetch("/a");
  net.Fetch("/b");
  EXPECT_EQ(net.opener.opened, (std::vector<int>{0, 1}));
  net.Run();
  EXPECT_EQ(net.sink.log["/a"].complete, 1);
  EXPECT_EQ(net.sink.log["/b"].complete, 1);
}

TEST(H1Test, RequestMadeWhenAResponseCompletesReusesThatConnection) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/a", ResourceType::kScript, 500),
                                          MakeResource("/b", ResourceType::kScript, 700)});
  H1Net net(scenario, H1());
  // Like the browser discovering a child: fetch from inside the completion callback.
  net.sink.on_complete = [&](const std::string& url) {
    if (url == "/a") net.Fetch("/b");
  };

  net.Fetch("/a");
  net.Run();

  EXPECT_EQ(net.opener.opened, std::vector<int>{0});
  const Exchange& b = net.sink.log["/b"];
  ASSERT_EQ(b.sent.size(), 1u);
  EXPECT_EQ(b.sent[0].connection, 0);
  EXPECT_EQ(b.sent[0].stream_id, 2);
  EXPECT_EQ(b.body_bytes, 700u);
  EXPECT_EQ(b.complete, 1);
  EXPECT_TRUE(net.client->Idle());
}

TEST(H1Test, AWaitingRequestTakesTheBusyConnectionWhenItFreesFirst) {
  // Chrome's late binding: /b, made while connection 0 carries /a, has a new connection opened
  // for it but is not tied to it. /a's response ends (think 10 ms) before connection 1's
  // handshake is done, so /b goes on connection 0 (its second request) and connection 1, up
  // later with nobody waiting, stays idle.
  Scenario scenario = MakeScenario(1000, {MakeResource("/a", ResourceType::kScript, 500, 10),
                                          MakeResource("/b", ResourceType::kScript, 700)});
  H1Net net(scenario, H1());
  net.Fetch("/a");
  net.Connect();
  net.Pump();
  ASSERT_EQ(net.sink.log["/a"].sent.size(), 1u);
  net.Fetch("/b");
  EXPECT_EQ(net.opener.opened, (std::vector<int>{0, 1}));  // a connection is opened for /b
  // Only connection 0 is wired: run its think timer and move its bytes; /a completes.
  ASSERT_TRUE(net.loop.RunNext());
  net.Pump();
  EXPECT_EQ(net.sink.log["/a"].complete, 1);
  const Exchange& b = net.sink.log["/b"];
  ASSERT_EQ(b.sent.size(), 1u);
  EXPECT_EQ(b.sent[0].connection, 0);
  EXPECT_EQ(b.sent[0].stream_id, 2);
  EXPECT_FALSE(b.waited_for_connection);  // it waited for a response, not for a handshake
  // Connection 1 comes up now: nothing is written on it.
  net.Run();
  EXPECT_EQ(b.complete, 1);
  ASSERT_EQ(net.pipes.count(1), 1u);
  EXPECT_EQ(net.pipes.at(1)->client_wire, "");
  EXPECT_TRUE(net.client->Idle());
  // The idle connection 1 is not wasted: with connection 0 busy again, the next request takes
  // it at once without opening a third.
  net.Fetch("/a");
  net.Fetch("/b");
  net.Pump();
  EXPECT_EQ(net.opener.opened.size(), 2u);
  EXPECT_TRUE(StartsWith(net.pipes.at(1)->client_wire, "GET /b HTTP/1.1\r\n"));
}

TEST(H1Test, ANewConnectionUpFirstTakesTheWaitingRequest) {
  // The other order: connection 1's handshake finishes while /a's think time still runs, so /b
  // goes on connection 1 as its first request, having waited for that handshake.
  Scenario scenario = MakeScenario(1000, {MakeResource("/a", ResourceType::kScript, 500, 10),
                                          MakeResource("/b", ResourceType::kScript, 700)});
  H1Net net(scenario, H1());
  net.Fetch("/a");
  net.Connect();
  net.Pump();
  net.Fetch("/b");
  net.Connect();  // connection 1 up at 0 ms, /a answers at 10 ms
  net.Pump();
  const Exchange& b = net.sink.log["/b"];
  ASSERT_EQ(b.sent.size(), 1u);
  EXPECT_EQ(b.sent[0].connection, 1);
  EXPECT_EQ(b.sent[0].stream_id, 1);
  EXPECT_TRUE(b.waited_for_connection);
  net.Run();
  EXPECT_EQ(b.complete, 1);
  EXPECT_EQ(net.sink.log["/a"].sent.size(), 1u);
}

TEST(H1Test, WaitingRequestsGoHighestPriorityFirstThenInOrder) {
  // One connection: /a (IDLE) goes on it; the rest wait and are sent one per completed response in
  // priority order (HIGHEST /h1 and /h2 in the order asked, MEDIUM /m, then LOWEST /l1, /l2),
  // not in the order asked (/l1 /h1 /m /l2 /h2).
  std::vector<Resource> rs;
  for (const char* p : {"/a", "/l1", "/h1", "/m", "/l2", "/h2"}) {
    rs.push_back(MakeResource(p, ResourceType::kScript, 100, 10));
  }
  Scenario scenario = MakeScenario(1000, rs);
  scenario.client.h1_connections = 1;
  H1Net net(scenario, H1());
  net.Fetch("/a", RequestPriority::kIdle);
  net.Connect();
  net.Pump();  // /a is on the connection before the others are asked for
  net.Fetch("/l1", RequestPriority::kLowest);
  net.Fetch("/h1", RequestPriority::kHighest);
  net.Fetch("/m", RequestPriority::kMedium);
  net.Fetch("/l2", RequestPriority::kLowest);
  net.Fetch("/h2", RequestPriority::kHighest);
  net.Run();
  EXPECT_EQ(net.opener.opened.size(), 1u);
  // Each request is the n-th on connection 0 and is sent when the (n-1)-th completes, every
  // 10 ms of think time.
  const std::vector<std::string> order = {"/a", "/h1", "/h2", "/m", "/l1", "/l2"};
  for (size_t i = 0; i < order.size(); ++i) {
    const Exchange& e = net.sink.log[order[i]];
    ASSERT_EQ(e.sent.size(), 1u) << order[i];
    EXPECT_EQ(e.sent[0].stream_id, static_cast<int32_t>(i + 1)) << order[i];
    EXPECT_EQ(e.sent_ms, 10.0 * i) << order[i];
    EXPECT_EQ(e.complete, 1) << order[i];
  }
}

TEST(H1Test, AFreedConnectionGoesToTheRequestAlreadyWaitingNotToOneMadeOnHearingItsEnd) {
  // The seed page's case: /logo (LOWEST) waits for a new connection while connection 0 carries
  // /style; /style's end makes the browser ask for /script (HIGHEST). Chrome hands the freed
  // socket to /logo, which was waiting when it was released; the renderer asks for /script only
  // after it has the stylesheet. So /logo goes on connection 0 and /script waits for
  // connection 1 (no third connection: one is being opened and nothing else waits for it),
  // which comes up while /logo's think time still holds connection 0.
  Scenario scenario = MakeScenario(1000, {MakeResource("/style", ResourceType::kStyle, 500, 10),
                                          MakeResource("/logo", ResourceType::kImage, 700, 10),
                                          MakeResource("/script", ResourceType::kScript, 900)});
  H1Net net(scenario, H1());
  net.sink.on_complete = [&](const std::string& url) {
    if (url == "/style") net.Fetch("/script", RequestPriority::kHighest);
  };
  net.Fetch("/style", RequestPriority::kHighest);
  net.Connect();
  net.Pump();
  net.Fetch("/logo", RequestPriority::kLowest);
  ASSERT_TRUE(net.loop.RunNext());  // /style's think time; connection 1 is not up
  net.Pump();
  const Exchange& logo = net.sink.log["/logo"];
  ASSERT_EQ(logo.sent.size(), 1u);
  EXPECT_EQ(logo.sent[0].connection, 0);
  EXPECT_EQ(logo.sent[0].stream_id, 2);
  EXPECT_EQ(net.sink.log["/script"].sent.size(), 0u);
  EXPECT_EQ(net.opener.opened, (std::vector<int>{0, 1}));
  net.Run();
  const Exchange& script = net.sink.log["/script"];
  ASSERT_EQ(script.sent.size(), 1u);
  EXPECT_EQ(script.sent[0].connection, 1);
  EXPECT_TRUE(script.waited_for_connection);
  EXPECT_EQ(script.complete, 1);
  EXPECT_EQ(logo.complete, 1);
  EXPECT_EQ(net.sink.max_in_flight_per_connection, 1);
}

TEST(H1Test, WarmConnectionOpenedBeforeTheFirstRequestCarriesIt) {
  Scenario scenario = MakeScenario(1000);
  H1Net net(scenario, H1());
  // A warm start: sim/BrowserApp has the pool open a connection before navigation.
  net.client->Preconnect();
  ASSERT_EQ(net.opener.opened, std::vector<int>{0});

  net.Fetch("/");
  EXPECT_EQ(net.opener.opened, std::vector<int>{0});  // waits for the warm one, opens none
  net.Run();
  EXPECT_EQ(net.sink.log["/"].sent.at(0).connection, 0);
  EXPECT_EQ(net.sink.log["/"].complete, 1);
  EXPECT_EQ(net.sink.log["/"].body_bytes, 1000u);
}

TEST(H1Test, EarlyHintsThenFinalResponseGiveOneInterimAndOneFinal) {
  Scenario scenario = MakeScenario(20000, {MakeResource("/style.css", ResourceType::kStyle, 300),
                                           MakeResource("/app.js", ResourceType::kScript, 400)});
  scenario.server.think_ms = 50;
  const ModeSpec& hints = *FindMode("h1-hints");
  H1Net net(scenario, hints, Chunking{5, true});  // split the Link header across pieces

  net.Fetch("/");
  net.Run();

  const Exchange& doc = net.sink.log["/"];
  EXPECT_EQ(doc.interim_status, std::vector<int>{103});
  EXPECT_EQ(doc.interim_preload, (std::vector<std::string>{"/style.css", "/app.js"}));
  EXPECT_EQ(doc.headers, 1);
  EXPECT_EQ(doc.status, 200);
  EXPECT_EQ(doc.headers_ms, 50);
  EXPECT_EQ(doc.body_bytes, 20000u);
  EXPECT_EQ(doc.complete, 1);
  EXPECT_EQ(net.opener.opened, std::vector<int>{0});

  const std::string& wire = net.pipes.at(0)->server_wire;
  EXPECT_TRUE(StartsWith(wire,
                         "HTTP/1.1 103 Early Hints\r\n"
                         "Link: </style.css>; rel=preload; as=style, </app.js>; rel=preload; "
                         "as=script\r\n\r\nHTTP/1.1 200 OK\r\n"));
}

TEST(H1Test, EarlyHintsArriveBeforeTheThinkTimeIsOver) {
  Scenario scenario = MakeScenario(100, {MakeResource("/style.css", ResourceType::kStyle, 300)});
  scenario.server.think_ms = 50;
  const ModeSpec& hints = *FindMode("h1-hints");
  H1Net net(scenario, hints);

  net.Fetch("/");
  net.Connect();
  net.Pump();
  EXPECT_EQ(net.sink.log["/"].interim_preload, std::vector<std::string>{"/style.css"});
  EXPECT_EQ(net.sink.log["/"].headers, 0);
  net.Run();
  EXPECT_EQ(net.sink.log["/"].complete, 1);
}

TEST(H1Test, PlainH1ModeSendsNoEarlyHintsAndNoPushes) {
  Scenario scenario = MakeScenario(100, {MakeResource("/style.css", ResourceType::kStyle, 300)});
  H1Net net(scenario, H1());

  net.Fetch("/");
  net.Run();
  EXPECT_TRUE(net.sink.log["/"].interim_status.empty());
  EXPECT_TRUE(StartsWith(net.pipes.at(0)->server_wire, "HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(net.sink.log["/"].complete, 1);
}

TEST(H1Test, DocumentPreloadLinksReachTheFinalResponse) {
  Scenario scenario = MakeScenario(100, {MakeResource("/a.js", ResourceType::kScript, 300)});
  scenario.server.preload = {"/a.js"};
  H1Net net(scenario, H1());

  net.Fetch("/");
  net.Run();
  EXPECT_EQ(net.sink.log["/"].preload, std::vector<std::string>{"/a.js"});
}

TEST(H1Test, ServerThinkTimeDelaysTheResponseByExactlyThinkMs) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/slow", ResourceType::kScript, 800, 25)});
  H1Net net(scenario, H1());

  net.Fetch("/slow");
  net.Run();

  const Exchange& e = net.sink.log["/slow"];
  EXPECT_EQ(e.sent_ms, 0);
  EXPECT_EQ(e.headers_ms, 25);
  EXPECT_EQ(e.complete_ms, 25);
  EXPECT_EQ(e.body_bytes, 800u);
}

TEST(H1Test, DocumentThinkTimeComesFromTheServerConfig) {
  Scenario scenario = MakeScenario(1000);
  scenario.server.think_ms = 40;
  H1Net net(scenario, H1());

  net.Fetch("/");
  net.Run();
  EXPECT_EQ(net.sink.log["/"].headers_ms, 40);
  EXPECT_EQ(net.sink.log["/"].complete, 1);
}

TEST(H1Test, UnknownPathCompletesWithA404) {
  Scenario scenario = MakeScenario(1000);
  H1Net net(scenario, H1());

  net.Fetch("/missing");
  net.Run();

  const Exchange& e = net.sink.log["/missing"];
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.body_bytes, 0u);
  EXPECT_EQ(e.complete, 1);
  EXPECT_EQ(e.reset, 0);
  EXPECT_TRUE(StartsWith(net.pipes.at(0)->server_wire, "HTTP/1.1 404 Not Found\r\n"));
}

TEST(H1Test, ZeroSizeResourceCompletes) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/empty", ResourceType::kOther, 0)});
  H1Net net(scenario, H1());

  net.Fetch("/empty");
  net.Run();

  const Exchange& e = net.sink.log["/empty"];
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.body_bytes, 0u);
  EXPECT_EQ(e.complete, 1);
  EXPECT_TRUE(net.client->Idle());
}

TEST(H1Test, HundredMegabyteBodyStreamsInPieces) {
  const uint64_t size = 100ull * 1024 * 1024;
  Scenario scenario = MakeScenario(1000, {MakeResource("/big", ResourceType::kOther, size)});
  H1Net net(scenario, H1(), Chunking{64 * 1024, false});

  net.Fetch("/big");
  net.Run();

  const Exchange& e = net.sink.log["/big"];
  EXPECT_EQ(e.body_bytes, size);
  EXPECT_EQ(e.complete, 1);
}

TEST(H1Test, MalformedResponseResetsTheRequestAndKillsTheConnection) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/x", ResourceType::kScript, 100),
                                          MakeResource("/y", ResourceType::kScript, 100)});
  scenario.client.h1_connections = 1;
  H1Net net(scenario, H1());
  net.server_factory = [] {
    return std::make_unique<CannedServer>("HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n");
  };

  net.Fetch("/x");
  net.Run();

  const Exchange& x = net.sink.log["/x"];
  EXPECT_EQ(x.reset, 1);
  EXPECT_EQ(x.complete, 0);
  EXPECT_FALSE(net.pipes.at(0)->client_ok);
  EXPECT_TRUE(net.client->Idle());

  // The dead connection is not reused: the next request gets a connection of its own.
  net.server_factory = nullptr;
  net.Fetch("/y");
  EXPECT_EQ(net.opener.opened, (std::vector<int>{0, 1}));
  net.Run();
  ASSERT_EQ(net.sink.log["/y"].sent.size(), 1u);
  EXPECT_EQ(net.sink.log["/y"].sent[0].connection, 1);
  EXPECT_EQ(net.sink.log["/y"].complete, 1);
}

TEST(H1Test, GarbageStatusLineResetsTheRequest) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/x", ResourceType::kScript, 100)});
  H1Net net(scenario, H1());
  net.server_factory = [] { return std::make_unique<CannedServer>("SPDY/9 what\r\n\r\n"); };

  net.Fetch("/x");
  net.Run();
  EXPECT_EQ(net.sink.log["/x"].reset, 1);
  EXPECT_EQ(net.sink.log["/x"].headers, 0);
}

TEST(H1Test, BodyBytesAreConservedAcrossManyResponses) {
  std::vector<Resource> others;
  const uint64_t sizes[] = {0, 1, 2, 17, 1448, 16384, 65535, 65536, 100001, 7, 333333, 12};
  uint64_t total = 40000;  // the document
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i) {
    others.push_back(MakeResource("/r" + std::to_string(i), ResourceType::kOther, sizes[i],
                                  static_cast<double>(i % 3)));
    total += sizes[i];
  }
  Scenario scenario = MakeScenario(40000, others);
  H1Net net(scenario, H1(), Chunking{113, true});

  net.Fetch("/");
  for (const Resource& r : others) net.Fetch(r.url);
  net.Run();

  EXPECT_EQ(net.sink.total_body_bytes, total);
  for (const Resource& r : scenario.resources) {
    EXPECT_EQ(net.sink.log[r.url].body_bytes, r.size_bytes) << r.url;
    EXPECT_EQ(net.sink.log[r.url].complete, 1) << r.url;
  }
  EXPECT_EQ(net.sink.max_in_flight_per_connection, 1);
  EXPECT_EQ(net.opener.opened.size(), 6u);
  EXPECT_TRUE(net.client->Idle());
}

// The server session on its own: several requests in one Receive are answered in order, even
// when a later one is ready first.
TEST(H1ServerTest, PipelinedRequestsAreAnsweredInRequestOrder) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/slow", ResourceType::kScript, 3, 20),
                                          MakeResource("/fast", ResourceType::kScript, 2)});
  SiteContent content(scenario, H1());
  FakeLoop loop;
  H1ServerSession server(content, loop);
  int notified = 0;
  server.SetOutputListener([&] { ++notified; });

  const std::string requests =
      "GET /slow HTTP/1.1\r\nHost: waterfall.test\r\n\r\n"
      "GET /fast HTTP/1.1\r\nHost: waterfall.test\r\n\r\n";
  ASSERT_TRUE(server.Receive(reinterpret_cast<const uint8_t*>(requests.data()), requests.size()));
  uint8_t buffer[4096];
  EXPECT_EQ(server.Pull(buffer, sizeof(buffer)), 0u);  // /fast waits behind /slow
  EXPECT_EQ(notified, 0);

  ASSERT_TRUE(loop.RunNext());
  EXPECT_EQ(loop.NowMs(), 20);
  EXPECT_EQ(notified, 1);
  std::string out(reinterpret_cast<const char*>(buffer), server.Pull(buffer, sizeof(buffer)));
  size_t slow = out.find("Content-Length: 3\r\n");
  size_t fast = out.find("Content-Length: 2\r\n");
  ASSERT_NE(slow, std::string::npos) << out;
  ASSERT_NE(fast, std::string::npos) << out;
  EXPECT_LT(slow, fast);
  EXPECT_TRUE(StartsWith(out, "HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(out.substr(out.size() - 2), "xx");
  EXPECT_NE(out.find("max-age=3600\r\n\r\nxxxHTTP/1.1 200 OK\r\n"), std::string::npos);
}

TEST(H1ServerTest, DestroyingTheSessionCancelsItsThinkTimer) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/slow", ResourceType::kScript, 3, 20)});
  SiteContent content(scenario, H1());
  FakeLoop loop;
  {
    H1ServerSession server(content, loop);
    const std::string request = "GET /slow HTTP/1.1\r\nHost: waterfall.test\r\n\r\n";
    ASSERT_TRUE(server.Receive(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
    EXPECT_EQ(loop.pending(), 1u);  // the 20 ms think time
  }
  EXPECT_EQ(loop.pending(), 0u);
  EXPECT_FALSE(loop.RunNext());  // nothing left that could touch the destroyed session
}

TEST(H1ServerTest, MalformedRequestFailsTheSession) {
  Scenario scenario = MakeScenario(1000);
  SiteContent content(scenario, H1());
  FakeLoop loop;
  H1ServerSession server(content, loop);
  const std::string junk = "HELLO\x01 there\r\n\r\n";
  EXPECT_FALSE(server.Receive(reinterpret_cast<const uint8_t*>(junk.data()), junk.size()));
  uint8_t buffer[64];
  EXPECT_EQ(server.Pull(buffer, sizeof(buffer)), 0u);
}

// The HTTP/1.1 server plays ResponseFault (models/server/server_fault.h) its own way: a reset
// closes the connection after fault_after_bytes of the body; a goaway, announced as Connection:
// close, lets the whole body go and then closes.
std::string ServeOne(H1ServerSession& server, const std::string& path) {
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: waterfall.test\r\n\r\n";
  EXPECT_TRUE(server.Receive(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
  std::string out;
  uint8_t buffer[700];  // several pulls, one ending at the fault's byte
  while (size_t n = server.Pull(buffer, sizeof(buffer))) {
    out.append(reinterpret_cast<const char*>(buffer), n);
  }
  return out;
}

TEST(H1ServerTest, AResetClosesTheConnectionAfterFaultAfterBytesOfTheBody) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/r", ResourceType::kScript, 3000)});
  scenario.resources[1].fault = ServerFault::kReset;
  scenario.resources[1].fault_after_bytes = 1400;
  SiteContent content(scenario, H1());
  FakeLoop loop;
  H1ServerSession server(content, loop);
  const std::string out = ServeOne(server, "/r");
  const size_t body = out.find("\r\n\r\n") + 4;
  EXPECT_EQ(out.size() - body, 1400u) << "the body is cut at the fault";
  EXPECT_EQ(out.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(server.WantsClose());
}

TEST(H1ServerTest, AGoAwaySendsConnectionCloseAndTheWholeBodyThenCloses) {
  Scenario scenario = MakeScenario(1000, {MakeResource("/r", ResourceType::kScript, 3000)});
  scenario.resources[1].fault = ServerFault::kGoAway;
  scenario.resources[1].fault_after_bytes = 1400;  // HTTP/2 sends its GOAWAY there
  SiteContent content(scenario, H1());
  FakeLoop loop;
  H1ServerSession server(content, loop);
  const std::string out = ServeOne(server, "/r");
  const size_t body = out.find("\r\n\r\n") + 4;
  EXPECT_EQ(out.size() - body, 3000u);
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out.substr(0, body);
  EXPECT_TRUE(server.WantsClose());
}

}  // namespace
}  // namespace waterfall
