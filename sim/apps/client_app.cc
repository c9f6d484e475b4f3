#include "sim/apps/client_app.h"

#include <ns3/inet-socket-address.h>
#include <ns3/simulator.h>
#include <ns3/tcp-socket-factory.h>

#include "models/browser/browser_policy.h"
#include "models/http/protocols.h"

namespace waterfall {

BrowserApp::BrowserApp(const Scenario& scenario, const ModeSpec& mode,
                       std::map<OriginKey, ns3::Ipv4Address> servers)
    : scenario_(scenario), mode_(mode), servers_(std::move(servers)) {
  browser_ = std::make_unique<Browser>(scenario, MakeBrowserPolicy(mode, scenario), loop_,
                                       ConnectionPools(mode, scenario, *this));
  browser_->SetPageSettledListener([this] {
    if (on_settled_) on_settled_();
  });
}

BrowserApp::~BrowserApp() = default;

void BrowserApp::StartApplication() {
  if (scenario_.client.connection == ConnectionStart::kWarm) {
    browser_->Preconnect(browser_->origin());  // navigation starts once it is up
  } else {
    Navigate();
  }
}

void BrowserApp::Navigate() {
  navigated_ = true;
  navigation_start_ = ns3::Simulator::Now();
  loop_.StartClockNow();
  browser_->Navigate();
}

void BrowserApp::StopApplication() {}

void BrowserApp::DoDispose() {
  for (Connection& c : connections_) {
    c.pump.reset();
    if (c.socket) {
      c.socket->SetConnectCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                                   ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
      c.socket->Close();
    }
  }
  connections_.clear();
  browser_.reset();  // and the pools with it
  ns3::Application::DoDispose();
}

void BrowserApp::DoOpen(int id, const OriginKey& origin, ByteStream& stream,
                        std::function<void()> on_up) {
  if (id >= static_cast<int>(connections_.size())) connections_.resize(id + 1);
  Connection& c = connections_[id];
  c.origin = origin;
  c.stream = &stream;
  c.on_up = std::move(on_up);
  if (navigated_) browser_->OnConnectionOpened(id, origin);
  auto server = servers_.find(origin);
  if (server == servers_.end()) {
    // No server has this origin (a Link header naming an undeclared one): as a failed
    // connection, on the next event (never inside Open).
    ns3::Simulator::ScheduleNow([this, id] { connections_[id].stream->OnPeerClosed(); });
    return;
  }
  Connect(id, server->second);
}

void BrowserApp::Connect(int id, ns3::Ipv4Address address) {
  Connection& c = connections_[id];
  c.socket = ns3::Socket::CreateSocket(GetNode(), ns3::TcpSocketFactory::GetTypeId());
  c.socket->Bind();
  c.socket->SetConnectCallback(ns3::MakeCallback(&BrowserApp::OnConnected, this),
                               ns3::MakeCallback(&BrowserApp::OnConnectFailed, this));
  c.socket->Connect(ns3::InetSocketAddress(address, c.origin.port));
  // The SYN leaves now; a warm connection's handshake, before navigation, is not the page's.
  if (navigated_) browser_->OnConnectStart(id);
}

void BrowserApp::OnConnected(ns3::Ptr<ns3::Socket> socket) {
  for (size_t id = 0; id < connections_.size(); ++id) {
    Connection& c = connections_[id];
    if (c.socket != socket) continue;
    c.connected = true;
    if (navigated_) browser_->OnConnectEnd(static_cast<int>(id));  // before any request goes out
    c.pump = std::make_unique<SocketPump>(socket, *c.stream, 0);
    // What follows may open more connections (connections_ grows: c is not to be used).
    std::function<void()> on_up = std::move(c.on_up);
    if (!navigated_) {
      // Warm start: the connection was up before navigation. Navigation starts now; the pool
      // hears that its connection is up on the next event, with the document's request
      // waiting for it.
      ns3::Simulator::ScheduleNow(std::move(on_up));
      Navigate();
    } else {
      on_up();
    }
    return;
  }
}

void BrowserApp::OnConnectFailed(ns3::Ptr<ns3::Socket> socket) {
  // TCP gave up connecting (SYN retries exhausted, e.g. during a link outage): the pool
  // treats it as a closed connection (HTTP/1.1 opens another for what is queued; HTTP/2
  // resets its streams).
  for (Connection& c : connections_) {
    if (c.socket != socket) continue;
    c.stream->OnPeerClosed();
    return;
  }
}

uint64_t BrowserApp::bytes_received() const {
  uint64_t total = 0;
  for (const Connection& c : connections_) total += c.pump ? c.pump->bytes_received() : 0;
  return total;
}

std::map<OriginKey, BrowserApp::OriginTraffic> BrowserApp::TrafficByOrigin() const {
  std::map<OriginKey, OriginTraffic> traffic;
  for (const Connection& c : connections_) {
    OriginTraffic& t = traffic[c.origin];
    ++t.connections;
    if (c.pump) {
      t.bytes_received += c.pump->bytes_received();
      t.bytes_sent += c.pump->bytes_sent();
    }
  }
  return traffic;
}

uint64_t BrowserApp::bytes_sent() const {
  uint64_t total = 0;
  for (const Connection& c : connections_) total += c.pump ? c.pump->bytes_sent() : 0;
  return total;
}

}  // namespace waterfall
