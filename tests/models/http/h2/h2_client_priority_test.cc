// What the H2Client puts on the wire for a request's priority: the RFC 7540 priority fields of
// each HEADERS frame (Chrome's dependency chain) and, when asked, RFC 9218's `priority` header
// field. The client's bytes are decoded by an nghttp2 server session in the test; the server's
// answers (headers only, END_STREAM) go back to close streams.
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/http/h2/h2_client.h"
#include "models/http/http_client.h"

namespace waterfall {
namespace {

// Keeps the connection's on_up; the test brings it up.
class Opener : public ConnectionOpener {
 public:
  std::function<void()> on_up;

 protected:
  void DoOpen(int, const OriginKey&, ByteStream&, std::function<void()> up) override {
    on_up = std::move(up);
  }
};

class Sink : public ResponseSink {
 public:
  std::vector<std::string> completed;
  void OnRequestSent(const Url&, StreamRef, bool) override {}
  void OnInterimResponse(const Url&, int, const std::vector<std::string>&) override {}
  void OnResponseHeaders(const Url&, int, const std::vector<std::string>&) override {}
  void OnResponseData(const Url&, uint64_t) override {}
  void OnResponseComplete(const Url& url) override { completed.push_back(url.path); }
  void OnResponseReset(const Url& url) override { ADD_FAILURE() << "reset " << url.path; }
  bool OnPushPromise(const Url&, StreamRef) override { return true; }
  void OnWastedPushBytes(uint64_t) override {}
};

// A request's HEADERS frame as the server decoded it.
struct Seen {
  bool has_priority = false;  // the PRIORITY flag
  int32_t parent = -1;
  int32_t weight = 0;
  bool exclusive = false;
  std::map<std::string, std::string> fields;
};

// An nghttp2 server session reading the client's bytes.
class Server {
 public:
  std::map<int32_t, Seen> seen;

  Server() {
    nghttp2_session_callbacks* cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
    nghttp2_session_server_new(&session_, cb, this);
    nghttp2_session_callbacks_del(cb);
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
  }
  ~Server() { nghttp2_session_del(session_); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Everything the client has to send goes to the server; the server's answers come back.
  void Exchange(H2Client& client) {
    uint8_t buf[65536];
    for (size_t n; (n = client.Pull(buf, sizeof buf)) > 0;) {
      ASSERT_GE(nghttp2_session_mem_recv(session_, buf, n), 0);
    }
    const uint8_t* out;
    for (ssize_t n; (n = nghttp2_session_mem_send(session_, &out)) > 0;) {
      ASSERT_TRUE(client.Receive(out, static_cast<size_t>(n)));
    }
  }
  // A 200 with no body: the stream closes at both ends.
  void Answer(int32_t stream_id) {
    const nghttp2_nv status[] = {{const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(":status")),
                                  const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>("200")), 7,
                                  3, NGHTTP2_NV_FLAG_NONE}};
    ASSERT_EQ(nghttp2_submit_response(session_, stream_id, status, 1, nullptr), 0);
  }

 private:
  static int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* self) {
    static_cast<Server*>(self)
        ->seen[frame->hd.stream_id]
        .fields[std::string(reinterpret_cast<const char*>(name), namelen)] =
        std::string(reinterpret_cast<const char*>(value), valuelen);
    return 0;
  }
  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* self) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    Seen& s = static_cast<Server*>(self)->seen[frame->hd.stream_id];
    s.has_priority = (frame->hd.flags & NGHTTP2_FLAG_PRIORITY) != 0;
    s.parent = frame->headers.pri_spec.stream_id;
    s.weight = frame->headers.pri_spec.weight;
    s.exclusive = frame->headers.pri_spec.exclusive != 0;
    return 0;
  }
  nghttp2_session* session_ = nullptr;
};

const OriginKey kOrigin{"http", "waterfall.test", 80};

Request Get(const std::string& path, RequestPriority level, bool incremental = false) {
  Request r;
  r.url = Url{kOrigin, path};
  r.priority.level = level;
  r.priority.incremental = incremental;
  return r;
}

void ExpectPriority(const Seen& s, int32_t parent, int32_t weight) {
  EXPECT_TRUE(s.has_priority);
  EXPECT_EQ(s.parent, parent);
  EXPECT_EQ(s.weight, weight);
  EXPECT_TRUE(s.exclusive);
}

TEST(H2ClientPriority, HeadersCarryChromesChainAndThePriorityField) {
  Opener opener;
  Sink sink;
  H2ClientSettings settings;
  settings.priority_header = true;
  H2Client client(kOrigin, settings, sink, opener);
  EXPECT_TRUE(client.CarriesPriorities());
  Server server;

  client.Fetch(Get("/", RequestPriority::kHighest));               // stream 1
  client.Fetch(Get("/style.css", RequestPriority::kHighest));      // 3
  client.Fetch(Get("/hero.jpg", RequestPriority::kLowest, true));  // 5
  client.Fetch(Get("/app.js", RequestPriority::kMedium));          // 7
  ASSERT_TRUE(opener.on_up);
  opener.on_up();
  server.Exchange(client);

  ASSERT_EQ(server.seen.size(), 4u);
  ExpectPriority(server.seen[1], 0, 256);  // HIGHEST, nothing open: root
  ExpectPriority(server.seen[3], 1, 256);  // HIGHEST: after 1, the newest HIGHEST
  ExpectPriority(server.seen[5], 3, 147);  // LOWEST: no LOWEST/LOW/MEDIUM; newest HIGHEST 3
  ExpectPriority(server.seen[7], 3, 220);  // MEDIUM: no MEDIUM; newest HIGHEST 3 (above 5)
  EXPECT_EQ(server.seen[1].fields["priority"], "u=0");
  EXPECT_EQ(server.seen[3].fields["priority"], "u=0");
  EXPECT_EQ(server.seen[5].fields["priority"], "i");  // u=3 is the default, left out
  EXPECT_EQ(server.seen[7].fields["priority"], "u=1");

  // 1 and 3 complete: they leave the chain.
  server.Answer(1);
  server.Answer(3);
  server.Exchange(client);
  EXPECT_EQ(sink.completed, (std::vector<std::string>{"/", "/style.css"}));

  client.Fetch(Get("/late.js", RequestPriority::kLow));         // 9
  client.Fetch(Get("/font.woff2", RequestPriority::kHighest));  // 11
  client.Fetch(Get("/below.jpg", RequestPriority::kLowest));    // 13, not incremental
  server.Exchange(client);
  ExpectPriority(server.seen[9], 7, 183);   // LOW: no LOW; newest MEDIUM 7
  ExpectPriority(server.seen[11], 0, 256);  // HIGHEST: none open any more: root
  ExpectPriority(server.seen[13], 5, 147);  // LOWEST: newest LOWEST 5
  EXPECT_EQ(server.seen[9].fields["priority"], "u=2");
  EXPECT_EQ(server.seen[11].fields["priority"], "u=0");
  EXPECT_EQ(server.seen[13].fields.count("priority"), 0u);  // u=3, not incremental: empty
}

TEST(H2ClientPriority, NoPriorityFieldUnlessAsked) {
  Opener opener;
  Sink sink;
  H2Client client(kOrigin, H2ClientSettings{}, sink, opener);
  Server server;
  client.Fetch(Get("/", RequestPriority::kHighest));
  client.Fetch(Get("/a.jpg", RequestPriority::kLowest, true));
  opener.on_up();
  server.Exchange(client);
  ASSERT_EQ(server.seen.size(), 2u);
  ExpectPriority(server.seen[1], 0, 256);  // the RFC 7540 fields go regardless
  ExpectPriority(server.seen[3], 1, 147);
  EXPECT_EQ(server.seen[1].fields.count("priority"), 0u);
  EXPECT_EQ(server.seen[3].fields.count("priority"), 0u);
}

}  // namespace
}  // namespace waterfall
