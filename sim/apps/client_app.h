// The browser as an ns-3 application on the client node: it owns the Browser model (which owns
// the mode's connection pools) and opens the TCP connections the pools ask for, one
// SocketPump per connection.
#pragma once

#include <ns3/application.h>
#include <ns3/ipv4-address.h>
#include <ns3/socket.h>

#include <memory>
#include <vector>

#include "models/browser/browser.h"
#include "models/http/http_client.h"
#include "models/http/mode.h"
#include "sim/apps/ns3_event_loop.h"
#include "sim/apps/socket_pump.h"

namespace waterfall {

class BrowserApp : public ns3::Application, public ConnectionOpener {
 public:
  BrowserApp(const Scenario& scenario, const ModeSpec& mode, ns3::Ipv4Address server,
             uint16_t port);
  ~BrowserApp() override;

  Browser& browser() { return *browser_; }
  int connections() const { return opened(); }
  uint64_t bytes_received() const;
  uint64_t bytes_sent() const;
  // Simulated time at which navigation started (later than 0 with a warm connection).
  ns3::Time navigation_start() const { return navigation_start_; }
  void SetSettledListener(std::function<void()> fn) { on_settled_ = std::move(fn); }

 private:
  struct Connection {
    ns3::Ptr<ns3::Socket> socket;
    ByteStream* stream = nullptr;  // owned by a pool of the browser
    std::function<void()> on_up;
    std::unique_ptr<SocketPump> pump;
    bool connected = false;
  };

  // ConnectionOpener: every connection goes to the one server address (one origin today).
  void DoOpen(int id, const OriginKey& origin, ByteStream& stream,
              std::function<void()> on_up) override;
  void StartApplication() override;
  void StopApplication() override;
  void DoDispose() override;
  void OnConnected(ns3::Ptr<ns3::Socket> socket);
  void OnConnectFailed(ns3::Ptr<ns3::Socket> socket);
  void Navigate();

  const Scenario& scenario_;
  const ModeSpec& mode_;
  ns3::Ipv4Address server_;
  uint16_t port_;
  Ns3EventLoop loop_;
  std::unique_ptr<Browser> browser_;
  std::vector<Connection> connections_;  // by id
  ns3::Time navigation_start_;
  bool navigated_ = false;
  std::function<void()> on_settled_;
};

}  // namespace waterfall
