// In-memory harness shared by the protocol-session fuzzer and its seed maker: a browser (real
// Browser, real connection pool of a mode) or an origin server session, fed the peer's bytes on a
// hand-cranked clock. No ns-3, no sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/browser/browser.h"
#include "models/browser/browser_policy.h"
#include "models/http/mode.h"
#include "models/http/protocols.h"
#include "models/http/server_session.h"
#include "models/page/scenario.h"
#include "models/server/site_content.h"
#include "tests/support/fake_loop.h"
#include "tests/support/page_builder.h"

namespace waterfall::fuzz {

// Timers run in order when the harness says so; bounded, so a timer storm cannot hang a run.
using testing::FakeLoop;
constexpr int kMaxTimersPerPump = 10000;

// document -> style (at byte 100) -> image; document -> script; the script is pushed and
// hinted, the style preloaded. One HTTP/1.1 connection, so every byte is on connection 0.
inline Scenario FuzzPage() {
  Scenario s;
  s.name = "fuzz";
  s.source_path = "fuzz";
  testing::Add(s, "/", ResourceType::kDocument, 3000).render_blocking = true;
  testing::Add(s, "/s.css", ResourceType::kStyle, 2000, "/").discover_at_bytes = 100;
  testing::Add(s, "/i.png", ResourceType::kImage, 500, "/s.css");
  testing::Add(s, "/a.js", ResourceType::kScript, 0, "/");
  s.server.push = std::vector<std::string>{"/a.js"};
  s.server.preload = {"/s.css"};
  s.client.h1_connections = 1;
  return s;
}

// Brings connections up when the next Pump() runs, never re-entrantly inside Fetch.
class LaterOpener : public ConnectionOpener {
 public:
  struct Asked {
    ByteStream* stream;
    std::function<void()> on_up;
  };
  std::vector<Asked> pending;
  ByteStream* first = nullptr;  // connection 0's stream: the one the fuzzer's bytes go to

 protected:
  void DoOpen(int id, const OriginKey&, ByteStream& stream, std::function<void()> on_up) override {
    if (id == 0) first = &stream;
    pending.push_back({&stream, std::move(on_up)});
  }
};

// The browser side: navigates at once; Feed() hands it bytes from the server, Output()
// collects what it sends on connection 0.
class BrowserSide {
 public:
  BrowserSide(const Scenario& scenario, const ModeSpec& mode)
      : browser_(scenario, MakeBrowserPolicy(mode, scenario), loop_,
                 ConnectionPools(mode, scenario, opener_)) {
    browser_.Navigate();
    Pump();
  }
  void Feed(const uint8_t* data, size_t len) {
    if (opener_.first != nullptr) opener_.first->Receive(data, len);
    Pump();
  }
  void Close() {
    if (opener_.first != nullptr) opener_.first->OnPeerClosed();
    Pump();
  }
  Browser& browser() { return browser_; }
  std::string& output() { return output_; }

 private:
  void Pump() {
    for (int round = 0; round < 100; ++round) {
      std::vector<LaterOpener::Asked> opening = std::move(opener_.pending);
      opener_.pending.clear();
      for (LaterOpener::Asked& a : opening) a.on_up();
      loop_.RunAll(kMaxTimersPerPump);
      uint8_t buf[16384];
      size_t n;
      while (opener_.first != nullptr && (n = opener_.first->Pull(buf, sizeof buf)) > 0) {
        output_.append(reinterpret_cast<const char*>(buf), n);
      }
      if (opener_.pending.empty()) return;
    }
  }

  FakeLoop loop_;
  LaterOpener opener_;
  Browser browser_;
  std::string output_;
};

// The server side: Feed() hands it bytes from the browser, Output() collects its answer.
class ServerSide {
 public:
  ServerSide(const Scenario& scenario, const ModeSpec& mode)
      : content_(scenario, mode), session_(MakeServerSession(mode, content_, loop_)) {
    Pump();
  }
  void Feed(const uint8_t* data, size_t len) {
    session_->Receive(data, len);
    Pump();
  }
  std::string& output() { return output_; }

 private:
  void Pump() {
    loop_.RunAll(kMaxTimersPerPump);
    uint8_t buf[16384];
    size_t n;
    // Bounded: a hostile client may ask for the same resource many times.
    while (output_.size() < (64u << 20) && (n = session_->Pull(buf, sizeof buf)) > 0) {
      output_.append(reinterpret_cast<const char*>(buf), n);
    }
  }

  FakeLoop loop_;
  SiteContent content_;
  std::unique_ptr<ByteStream> session_;
  std::string output_;
};

}  // namespace waterfall::fuzz
