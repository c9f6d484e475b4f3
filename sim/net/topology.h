// The simulated path, built from a LinkProfile:
//
//   client ======================== router ------------------- server
//          bottleneck: rtt_ms/2 each way,      1 Gbit/s (or 10 x bandwidth), 0 ms
//          bandwidth_mbps down, uplink_mbps up,
//          queue_packets, loss_rate
//   10.1.1.1                 10.1.1.2  10.1.2.1               10.1.2.2
//
// All propagation delay sits on the bottleneck so that one round trip is rtt_ms plus
// serialization; the server's access link is fast enough not to matter.
#pragma once

#include <ns3/ipv4-address.h>
#include <ns3/net-device-container.h>
#include <ns3/node-container.h>

#include <string>

#include "models/page/scenario.h"

namespace waterfall {

struct Topology {
  ns3::NodeContainer nodes;            // client, router, server
  ns3::NetDeviceContainer bottleneck;  // client's device, router's device
  ns3::Ipv4Address server_address;

  ns3::Ptr<ns3::Node> client() const { return nodes.Get(0); }
  ns3::Ptr<ns3::Node> server() const { return nodes.Get(2); }
};

// Sets ns-3's TCP defaults from the profile (congestion control, MSS, initial window, buffers,
// timers). Call before the first socket of a run is created.
void ConfigureTcp(const LinkProfile& link);

Topology BuildTopology(const LinkProfile& link);

// Captures both ends of the bottleneck to `prefix`-<node>-<device>.pcap.
void EnableBottleneckPcap(const Topology& topology, const std::string& prefix);

}  // namespace waterfall
