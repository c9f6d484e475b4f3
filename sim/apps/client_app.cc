#include "sim/apps/client_app.h"

#include <ns3/inet-socket-address.h>
#include <ns3/simulator.h>
#include <ns3/tcp-socket-factory.h>

#include "models/browser/browser_policy.h"
#include "models/http/protocols.h"
#include "sim/apps/dns_server_app.h"
#include "sim/apps/origin_tls.h"

namespace waterfall {

namespace {
// Chrome gives up on a TLS handshake after 30 s (net/socket/ssl_connect_job.cc,
// kSSLHandshakeTimeoutInSeconds): a handshake cut by an outage fails instead of hanging.
constexpr double kTlsHandshakeTimeoutS = 30;
}  // namespace

BrowserApp::BrowserApp(const Scenario& scenario, const ModeSpec& mode,
                       std::map<OriginKey, ns3::Ipv4Address> servers,
                       std::optional<ns3::Ipv4Address> resolver)
    : scenario_(scenario), mode_(mode), servers_(std::move(servers)), resolver_(resolver) {
  browser_ = std::make_unique<Browser>(scenario, MakeBrowserPolicy(mode, scenario), loop_,
                                       ConnectionPools(mode, scenario, *this));
  browser_->SetPageSettledListener([this] {
    if (on_settled_) on_settled_();
  });
}

BrowserApp::~BrowserApp() = default;

void BrowserApp::StartApplication() {
  if (resolver_) {
    dns_socket_ = std::make_unique<UdpDatagramSocket>(
        GetNode(), ns3::InetSocketAddress(*resolver_, DnsServerApp::kDnsPort));
    dns_ = std::make_unique<StubResolver>(
        loop_, [this](std::vector<uint8_t> datagram) { dns_socket_->Send(datagram); });
    dns_socket_->SetReceiver(
        [this](const uint8_t* data, size_t size) { dns_->OnDatagram(data, size); });
    // client.dns_cache: hosts the browser resolved on an earlier visit.
    for (const std::string& host : scenario_.client.dns_cache) {
      for (const auto& [origin, address] : servers_) {
        if (origin.host == host) dns_->Remember(host, address.Get());
      }
    }
  }
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
    c.tls.reset();
    if (c.socket) {
      c.socket->SetConnectCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                                   ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
      c.socket->Close();
    }
  }
  connections_.clear();
  browser_.reset();  // and the pools with it
  dns_.reset();
  dns_socket_.reset();
  ns3::Application::DoDispose();
}

void BrowserApp::DoOpen(int id, const OriginKey& origin, ByteStream& stream,
                        std::function<void()> on_up) {
  if (id >= static_cast<int>(connections_.size())) connections_.resize(id + 1);
  Connection& c = connections_[id];
  c.origin = origin;
  c.stream = &stream;
  c.wire = &stream;
  c.on_up = std::move(on_up);
  if (navigated_) browser_->OnConnectionOpened(id, origin);
  SetUpTls(id);
  if (tls_failed_.count(origin) > 0) {
    // Its server failed a handshake already: the browser has failed what was asked of it, and
    // does not try again. (Failing this connection would have the HTTP/1.1 pool open another
    // at the same instant, without end.)
    return;
  }
  if (dns_) {
    ResolveThenConnect(id);
    return;
  }
  auto server = servers_.find(origin);
  if (server == servers_.end()) {
    // No server has this origin (a Link header naming an undeclared one; the loader lets
    // none through): as a SYN nobody answers, the connection never comes up. (Failing it at
    // once would have the HTTP/1.1 pool open another at the same instant, without end.)
    return;
  }
  Connect(id, server->second);
}

void BrowserApp::SetUpTls(int id) {
  Connection& c = connections_[id];
  const Origin* origin = scenario_.FindOrigin(c.origin);
  if (origin == nullptr || !origin->UsesTls()) return;
  const HttpVersion version = VersionFor(mode_, scenario_, c.origin);
  TlsClientOptions options;
  options.server_name = c.origin.host;
  options.alpn = ClientAlpn(version);
  options.false_start = scenario_.client.tls_false_start;
  if (scenario_.client.connection == ConnectionStart::kResumed) {
    auto ticket = tickets_.find(c.origin);
    if (ticket == tickets_.end()) {
      ticket =
          tickets_.emplace(c.origin, TicketFromEarlierVisit(scenario_, *origin, version)).first;
    }
    options.resume_session = ticket->second;
    options.early_data = scenario_.client.early_data && !options.resume_session.empty();
    c.zero_rtt = options.early_data;
  }
  if (keylog_enabled_) {
    options.keylog = [this](std::string_view line) { keylog_.emplace_back(line); };
  }
  c.tls_watch = std::make_unique<TlsWatch>(*this, id);
  c.tls = TlsStream::Client(*c.stream, std::move(options), c.tls_watch.get());
  c.wire = c.tls.get();
}

void BrowserApp::TlsWatch::OnTlsHandshakeDone(const TlsHandshakeResult& result) {
  app_.OnTlsDone(id_, result);
}

void BrowserApp::TlsWatch::OnTlsFailed(const std::string& reason) { app_.OnTlsFailed(id_, reason); }

void BrowserApp::OnTlsDone(int id, const TlsHandshakeResult& result) {
  Connection& c = connections_[id];
  if (result.alpn != AlpnId(VersionFor(mode_, scenario_, c.origin))) {
    // Both ends follow VersionFor (origin_tls.h): a different protocol is a bug, not a page.
    OnTlsFailed(id, "alpn negotiated \"" + result.alpn + "\"");
    return;
  }
  c.tls_timeout.Cancel();
  if (navigated_) browser_->OnTlsEnd(id);
  ConnectionUp(id);  // nothing to do when it was up already (0-RTT)
}

void BrowserApp::OnTlsFailed(int id, const std::string& reason) {
  const OriginKey origin = connections_[id].origin;
  connections_[id].tls_timeout.Cancel();
  tls_failed_.insert(origin);
  if (!navigated_) {
    // The warm connection failed: navigate anyway; the document fails with it.
    connections_[id].on_up = nullptr;
    Navigate();
  }
  // The browser fails what was asked of the origin's server, and fails at once whatever is
  // asked later. The session is not told its connection is gone: an HTTP/1.1 pool would open
  // another for its queue, which a browser does not do after a certificate or protocol error.
  browser_->OnTlsFailed(id, origin, reason);
}

void BrowserApp::ConnectionUp(int id) {
  // What follows may open more connections (connections_ grows: no reference is kept).
  std::function<void()> on_up = std::move(connections_[id].on_up);
  connections_[id].on_up = nullptr;
  if (!on_up) return;
  if (!navigated_) {
    // Warm start: the connection was up before navigation. Navigation starts now; the pool
    // hears that its connection is up on the next event, with the document's request
    // waiting for it.
    ns3::Simulator::ScheduleNow(std::move(on_up));
    Navigate();
  } else {
    on_up();
  }
}

void BrowserApp::ResolveThenConnect(int id) {
  // The answer comes at once for a host known already (no DNS phase), else later.
  auto in_open = std::make_shared<bool>(true);
  auto waited = std::make_shared<bool>(false);
  dns_->Resolve(
      connections_[id].origin.host, [this, id, in_open, waited](std::optional<uint32_t> ipv4) {
        if (*waited && navigated_) browser_->OnDnsEnd(id);
        if (ipv4) {
          // The resolver answers one address per host, its first origin's node. A
          // host with origins on several nodes (http://h and https://h, or two ports)
          // is served by each origin's own: connect there, the lookup paid.
          auto server = servers_.find(connections_[id].origin);
          Connect(id, server != servers_.end() ? server->second : ns3::Ipv4Address(*ipv4));
        } else if (!*in_open) {
          connections_[id].stream->OnPeerClosed();  // not found, or no attempt answered
        }
        // A host whose lookup failed earlier this page fails again at once: this
        // connection is left unanswered instead, until the page's time limit. (Failing it
        // would have the HTTP/1.1 pool open another at the same instant, and so on
        // without end.)
      });
  *in_open = false;
  if (connections_[id].socket == nullptr && !dns_->LookupEndMs(connections_[id].origin.host)) {
    *waited = true;  // the lookup is under way: this connection waits for it from now
    if (navigated_) browser_->OnDnsStart(id);
  }
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
    c.pump = std::make_unique<SocketPump>(socket, *c.wire, 0);
    if (!c.tls) {
      ConnectionUp(static_cast<int>(id));
      return;
    }
    if (navigated_) browser_->OnTlsStart(static_cast<int>(id));
    c.tls_timeout = ns3::Simulator::Schedule(ns3::Seconds(kTlsHandshakeTimeoutS), [this, id] {
      Connection& timed_out = connections_[id];
      timed_out.pump.reset();  // nothing more moves on it
      timed_out.socket->Close();
      OnTlsFailed(static_cast<int>(id), "handshake timed out after 30 s");
    });
    // 0-RTT: the pool sends its first request now, into the ClientHello's flight.
    if (c.zero_rtt) ConnectionUp(static_cast<int>(id));
    connections_[id].pump->Flush();  // the ClientHello
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
