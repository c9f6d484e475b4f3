// An origin server as an ns-3 application on a server node: it listens on one port and runs
// one server session per accepted TCP connection, speaking the HTTP version the mode makes of
// the node's origins (VersionFor). It serves every origin on the node (by Host / :authority).
// On an https origin's port each session speaks through TLS (models/tls), with the node's
// identity (sim/apps/origin_tls.h).
#pragma once

#include <ns3/application.h>
#include <ns3/socket.h>

#include <memory>
#include <vector>

#include "models/http/mode.h"
#include "models/server/site_content.h"
#include "models/tls/tls_stream.h"
#include "sim/apps/ns3_event_loop.h"
#include "sim/apps/socket_pump.h"

namespace waterfall {

class OriginServerApp : public ns3::Application {
 public:
  // origin: one of the node's origins on port (https: its TLS configuration is the node's).
  OriginServerApp(const Scenario& scenario, const ModeSpec& mode, HttpVersion version,
                  const Origin& origin);
  ~OriginServerApp() override;

 private:
  struct Connection {
    ns3::Ptr<ns3::Socket> socket;
    std::unique_ptr<ByteStream> session;
    std::unique_ptr<TlsStream> tls;  // https: between the session and the socket
    std::unique_ptr<SocketPump> pump;
  };

  void StartApplication() override;
  void StopApplication() override {}
  void DoDispose() override;
  void OnAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);

  const Scenario& scenario_;
  HttpVersion version_;
  SiteContent content_;
  Origin origin_;
  uint16_t port_;
  Ns3EventLoop loop_;
  ns3::Ptr<ns3::Socket> listener_;
  std::vector<Connection> connections_;
};

}  // namespace waterfall
