// The simulated network, built from a Scenario: a star around one router.
//
//                                  +-- server link 0: 1 Gbit/s, ------- server 0  10.1.2.2
//                                  |   rtt_0/2 - a each way
//   client ================ router +-- server link 1: rtt_1/2 - a ---- server 1  10.1.3.2
//          access link:            |   ...
//          a each way,             +-- resolver link:  -------------- resolver  ([dns] only)
//          bandwidth_mbps down,        resolver_rtt_ms/2 - a
//          uplink_mbps up, queue_packets, loss_rate, outage
//   10.1.1.1          10.1.1.2
//
// One server node per distinct [[origin]] address (an origin without one has a node of its
// own); a = the smallest one-way delay of all of them, so every origin's round trip without
// load is exactly its rtt_ms (plus serialization) and the access link, the last mile every
// origin's traffic shares, carries as much of the delay as it can. With one origin this is the
// original three-node path: all the delay on the access link, none on the server link.
#pragma once

#include <ns3/ipv4-address.h>
#include <ns3/net-device-container.h>
#include <ns3/node-container.h>

#include <string>
#include <vector>

#include "models/page/scenario.h"
#include "models/page/url.h"

namespace waterfall {

// One server machine: the origins it serves (those sharing an address) and its round trip.
struct ServerNode {
  std::vector<OriginKey> origins;
  ns3::Ptr<ns3::Node> node;
  ns3::Ipv4Address address;
  double rtt_ms = 0;
};

struct Topology {
  ns3::NodeContainer nodes;            // client, router, the server nodes, then the resolver
  ns3::NetDeviceContainer bottleneck;  // the access link: client's device, router's device
  std::vector<ServerNode> servers;     // in [[origin]] order of their first origin
  ns3::Ipv4Address server_address;     // servers[0]'s
  ns3::Ptr<ns3::Node> resolver;        // null without [dns]
  ns3::Ipv4Address resolver_address;

  ns3::Ptr<ns3::Node> client() const { return nodes.Get(0); }
  ns3::Ptr<ns3::Node> server() const { return servers.front().node; }
  // The server node of origin; nullptr when no node serves it.
  const ServerNode* ServerOf(const OriginKey& origin) const;
};

// Sets ns-3's TCP defaults from the profile (congestion control, MSS, initial window, buffers,
// timers). Call before the first socket of a run is created.
void ConfigureTcp(const LinkProfile& link);

// The scenario's star: its origins (one node per address), and a resolver when [dns] is on.
Topology BuildTopology(const Scenario& scenario);
// One origin at link.rtt_ms, no resolver (bench/'s floors).
Topology BuildTopology(const LinkProfile& link);

// Captures both ends of the access link to `prefix`-<node>-<device>.pcap: every origin's
// traffic and the DNS queries cross it.
void EnableBottleneckPcap(const Topology& topology, const std::string& prefix);

}  // namespace waterfall
