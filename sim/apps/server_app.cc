#include "sim/apps/server_app.h"

#include <ns3/inet-socket-address.h>
#include <ns3/tcp-socket-factory.h>
#include <ns3/uinteger.h>

#include "models/http/server_session.h"
#include "sim/apps/origin_tls.h"

namespace waterfall {

OriginServerApp::OriginServerApp(const Scenario& scenario, const ModeSpec& mode,
                                 HttpVersion version, const Origin& origin)
    : scenario_(scenario),
      version_(version),
      content_(scenario, mode),
      origin_(origin),
      port_(origin.key.port) {}

OriginServerApp::~OriginServerApp() = default;

void OriginServerApp::StartApplication() {
  listener_ = ns3::Socket::CreateSocket(GetNode(), ns3::TcpSocketFactory::GetTypeId());
  // The server's send buffer is the scenario's (server.send_buffer_bytes); accepted sockets are
  // forked from the listener and keep it, as SO_SNDBUF on a Linux listener is inherited. The
  // client's sockets keep ConfigureTcp's default.
  listener_->SetAttribute("SndBufSize", ns3::UintegerValue(scenario_.server.send_buffer_bytes));
  listener_->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port_));
  listener_->Listen();
  listener_->SetAcceptCallback(
      ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
      ns3::MakeCallback(&OriginServerApp::OnAccept, this));
}

void OriginServerApp::OnAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address&) {
  // An accepted socket does not inherit the listener's callbacks: the pump sets its own.
  Connection c;
  c.socket = socket;
  c.session = MakeServerSession(version_, content_, loop_);
  ByteStream* wire = c.session.get();
  if (origin_.UsesTls()) {
    TlsServerOptions options;
    options.identity = &IdentityOf(scenario_, origin_);
    options.config = origin_.tls;
    options.alpn = ServerAlpn(version_);
    c.tls = TlsStream::Server(*c.session, std::move(options), nullptr);
    wire = c.tls.get();
  }
  c.pump = std::make_unique<SocketPump>(socket, *wire, scenario_.server.notsent_lowat_bytes);
  c.pump->Flush();  // the server's SETTINGS (over TLS: nothing before the ClientHello)
  connections_.push_back(std::move(c));
}

void OriginServerApp::DoDispose() {
  for (Connection& c : connections_) {
    c.pump.reset();
    c.tls.reset();
    c.session.reset();
    c.socket->Close();
  }
  connections_.clear();
  if (listener_) listener_->Close();
  listener_ = nullptr;
  ns3::Application::DoDispose();
}

}  // namespace waterfall
