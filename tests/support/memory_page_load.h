// A whole page load in memory: the real Browser with the mode's connection pools, one server
// session per connection, each connection a MemoryLink on one FakeLoop. A connection is up one
// round trip after the client asks for it (the TCP handshake), as in sim/BrowserApp; no ns-3.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/browser/browser.h"
#include "models/browser/browser_policy.h"
#include "models/http/http_client.h"
#include "models/http/mode.h"
#include "models/http/protocols.h"
#include "models/http/server_session.h"
#include "models/page/scenario.h"
#include "models/server/site_content.h"
#include "tests/support/fake_loop.h"
#include "tests/support/memory_link.h"

namespace waterfall::testing {

class MemoryPageLoad : public ConnectionOpener {
 public:
  // scenario and mode must outlive the load (Browser and SiteContent keep references).
  MemoryPageLoad(const Scenario& scenario, const ModeSpec& mode, double one_way_ms = 0)
      : mode_(mode),
        one_way_ms_(one_way_ms),
        origin_(scenario, mode),
        browser_(scenario, MakeBrowserPolicy(mode, scenario), loop,
                 ConnectionPools(mode, scenario, *this)) {}

  // Navigates and runs the clock until nothing is left to do; then marks what never finished
  // as timed out (Browser::Finish), as sim/run/run.cc does.
  void Run() {
    browser_.Navigate();
    loop.RunAll();
    browser_.Finish();
  }

  Browser& browser() { return browser_; }
  const ResourceTiming& timing(const std::string& url) const {
    for (const ResourceTiming& t : browser_.timings()) {
      if (t.url.path == url) return t;
    }
    throw std::out_of_range("no resource " + url);
  }
  // The connection's link, in the order the connections came up.
  const MemoryLink& link(size_t i) const { return *links_.at(i).link; }

  FakeLoop loop;
  int connections_opened = 0;

 protected:
  // ConnectionOpener: the connection is up a round trip later.
  void DoOpen(int, const OriginKey&, ByteStream& stream, std::function<void()> on_up) override {
    ++connections_opened;
    loop.After(2 * one_way_ms_, [this, &stream, on_up = std::move(on_up)] {
      Connection c;
      c.server = MakeServerSession(mode_, origin_, loop);
      c.link = std::make_unique<MemoryLink>(loop, stream, *c.server, one_way_ms_);
      links_.push_back(std::move(c));
      on_up();
    });
  }

 private:
  struct Connection {
    std::unique_ptr<ByteStream> server;
    std::unique_ptr<MemoryLink> link;  // after server: goes first
  };

  const ModeSpec& mode_;
  double one_way_ms_;
  SiteContent origin_;
  Browser browser_;
  std::vector<Connection> links_;
};

}  // namespace waterfall::testing
