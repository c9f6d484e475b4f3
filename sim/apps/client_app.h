// The browser as an ns-3 application on the client node: it owns the Browser model (which owns
// the mode's connection pools) and opens the TCP connections the pools ask for, one
// SocketPump per connection, to the server node of each connection's origin: looked up with
// DNS first when the scenario has [dns] (one lookup per host and page; hosts in
// client.dns_cache are known), else known from the topology.
#pragma once

#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/ipv4-address.h>
#include <ns3/socket.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/browser/browser.h"
#include "models/dns/stub_resolver.h"
#include "models/http/http_client.h"
#include "models/http/mode.h"
#include "models/tls/tls_stream.h"
#include "sim/apps/ns3_event_loop.h"
#include "sim/apps/socket_pump.h"
#include "sim/apps/udp_datagram_socket.h"

namespace waterfall {

class BrowserApp : public ns3::Application, public ConnectionOpener {
 public:
  // servers: each origin's server address; the origins' ports are their own. resolver: the
  // recursive resolver's address when the scenario has [dns]: a host is then connected to at
  // the address its lookup returns (client.dns_cache hosts at once).
  BrowserApp(const Scenario& scenario, const ModeSpec& mode,
             std::map<OriginKey, ns3::Ipv4Address> servers,
             std::optional<ns3::Ipv4Address> resolver = std::nullopt);
  ~BrowserApp() override;

  Browser& browser() { return *browser_; }
  int connections() const { return opened(); }
  uint64_t bytes_received() const;
  uint64_t bytes_sent() const;
  // Per origin: connections opened and the payload bytes they carried.
  struct OriginTraffic {
    int connections = 0;
    uint64_t bytes_received = 0;
    uint64_t bytes_sent = 0;
  };
  std::map<OriginKey, OriginTraffic> TrafficByOrigin() const;
  // Simulated time at which navigation started (later than 0 with a warm connection).
  ns3::Time navigation_start() const { return navigation_start_; }
  void SetSettledListener(std::function<void()> fn) { on_settled_ = std::move(fn); }
  // Records the TLS secrets of every connection, as NSS key-log lines (--keylog).
  void EnableKeylog() { keylog_enabled_ = true; }
  const std::vector<std::string>& keylog() const { return keylog_; }

 private:
  // Hears one connection's TLS handshake.
  class TlsWatch : public TlsObserver {
   public:
    TlsWatch(BrowserApp& app, int id) : app_(app), id_(id) {}
    void OnTlsHandshakeDone(const TlsHandshakeResult& result) override;
    void OnTlsFailed(const std::string& reason) override;

   private:
    BrowserApp& app_;
    int id_;
  };
  struct Connection {
    OriginKey origin;
    ns3::Ptr<ns3::Socket> socket;
    ByteStream* stream = nullptr;  // owned by a pool of the browser
    // https: TLS between the session (stream) and the socket; the pump carries *wire.
    std::unique_ptr<TlsWatch> tls_watch;
    std::unique_ptr<TlsStream> tls;
    ByteStream* wire = nullptr;
    bool zero_rtt = false;  // the first request rides the ClientHello
    ns3::EventId tls_timeout;
    std::function<void()> on_up;
    std::unique_ptr<SocketPump> pump;
    bool connected = false;
  };

  // ConnectionOpener: a connection to origin's server.
  void DoOpen(int id, const OriginKey& origin, ByteStream& stream,
              std::function<void()> on_up) override;
  // Opens connection id's TCP connection to address (its origin's port).
  void Connect(int id, ns3::Ipv4Address address);
  // Looks up connection id's host, then connects (or fails the connection).
  void ResolveThenConnect(int id);
  void StartApplication() override;
  void StopApplication() override;
  void DoDispose() override;
  void OnConnected(ns3::Ptr<ns3::Socket> socket);
  void OnConnectFailed(ns3::Ptr<ns3::Socket> socket);
  // Connection id can carry requests: TCP is up (and TLS, for https). A warm start navigates.
  void ConnectionUp(int id);
  void OnTlsDone(int id, const TlsHandshakeResult& result);
  void OnTlsFailed(int id, const std::string& reason);
  // Wraps connection id's session in TLS when its origin is https.
  void SetUpTls(int id);
  void Navigate();

  const Scenario& scenario_;
  const ModeSpec& mode_;
  std::map<OriginKey, ns3::Ipv4Address> servers_;
  std::optional<ns3::Ipv4Address> resolver_;
  std::unique_ptr<UdpDatagramSocket> dns_socket_;
  std::unique_ptr<StubResolver> dns_;  // with [dns]: the browser's own resolver
  Ns3EventLoop loop_;
  std::unique_ptr<Browser> browser_;
  std::vector<Connection> connections_;  // by id
  ns3::Time navigation_start_;
  bool navigated_ = false;
  bool keylog_enabled_ = false;
  std::vector<std::string> keylog_;
  std::set<OriginKey> tls_failed_;  // origins whose handshake failed: never connected again
  std::map<OriginKey, std::vector<uint8_t>> tickets_;  // resumed: from an earlier visit
  std::function<void()> on_settled_;
};

}  // namespace waterfall
