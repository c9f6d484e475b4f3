// The recursive resolver as an ns-3 application on its own node: a UDP socket bound to port 53
// (RFC 1035 4.2.1) whose datagrams go to a RecursiveResolver, and whose answers go back to the
// address and port each query came from.
#pragma once

#include <ns3/address.h>
#include <ns3/application.h>
#include <ns3/socket.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/dns/recursive_resolver.h"
#include "sim/apps/ns3_event_loop.h"

namespace waterfall {

class DnsServerApp : public ns3::Application {
 public:
  static constexpr uint16_t kDnsPort = 53;  // RFC 1035 4.2.1

  explicit DnsServerApp(std::map<std::string, RecursiveResolver::HostRecord> records,
                        uint16_t port = kDnsPort);
  ~DnsServerApp() override;

  const RecursiveResolver& resolver() const { return resolver_; }

 private:
  void StartApplication() override;
  void StopApplication() override {}
  void DoDispose() override;
  void OnReceive(ns3::Ptr<ns3::Socket> socket);
  RecursiveResolver::Peer PeerOf(const ns3::Address& from);

  uint16_t port_;
  Ns3EventLoop loop_;
  RecursiveResolver resolver_;
  ns3::Ptr<ns3::Socket> socket_;
  std::vector<ns3::Address> peers_;  // a Peer is an index into this
  std::vector<uint8_t> buffer_;
};

}  // namespace waterfall
