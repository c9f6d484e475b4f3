// An origin server as an ns-3 application on a server node: it listens on one port and runs
// one server session per accepted TCP connection, speaking the HTTP version the mode makes of
// the node's origins (VersionFor). It serves every origin on the node (by Host / :authority).
#pragma once

#include <ns3/application.h>
#include <ns3/socket.h>

#include <memory>
#include <vector>

#include "models/http/mode.h"
#include "models/server/site_content.h"
#include "sim/apps/ns3_event_loop.h"
#include "sim/apps/socket_pump.h"

namespace waterfall {

class OriginServerApp : public ns3::Application {
 public:
  OriginServerApp(const Scenario& scenario, const ModeSpec& mode, HttpVersion version,
                  uint16_t port);
  ~OriginServerApp() override;

 private:
  struct Connection {
    ns3::Ptr<ns3::Socket> socket;
    std::unique_ptr<ByteStream> session;
    std::unique_ptr<SocketPump> pump;
  };

  void StartApplication() override;
  void StopApplication() override {}
  void DoDispose() override;
  void OnAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);

  const Scenario& scenario_;
  HttpVersion version_;
  SiteContent content_;
  uint16_t port_;
  Ns3EventLoop loop_;
  ns3::Ptr<ns3::Socket> listener_;
  std::vector<Connection> connections_;
};

}  // namespace waterfall
