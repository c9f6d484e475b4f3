#include "sim/net/topology.h"

#include <ns3/config.h>
#include <ns3/double.h>
#include <ns3/error-model.h>
#include <ns3/internet-stack-helper.h>
#include <ns3/ipv4-address-helper.h>
#include <ns3/ipv4-global-routing-helper.h>
#include <ns3/point-to-point-helper.h>
#include <ns3/pointer.h>
#include <ns3/queue-size.h>
#include <ns3/random-variable-stream.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/tcp-cubic.h>
#include <ns3/tcp-l4-protocol.h>
#include <ns3/tcp-linux-reno.h>
#include <ns3/traffic-control-helper.h>
#include <ns3/uinteger.h>

#include <algorithm>
#include <sstream>

#include "sim/apps/ns3_event_loop.h"
#include "sim/net/tcp_bbr_rate_fix.h"

namespace waterfall {

namespace {
// The server's access link: no delay, a data-centre uplink of 1 Gbit/s, or ten times the
// bottleneck when that is faster, so that it is never the bottleneck (at an equal rate its
// fixed 100-packet device queue would drop slow-start bursts: 150 MB at 1 Gbit/s took 2.6 s
// instead of 1.3 s).
constexpr double kServerLinkMinMbps = 1000;
constexpr double kServerLinkHeadroom = 10;
// Linux's largest socket buffers (net.ipv4.tcp_wmem / tcp_rmem maxima on Debian 12,
// "4096 16384 4194304" and "4096 131072 6291456", Documentation/networking/ip-sysctl.rst). The
// send buffer is every socket's default; the server sets its own from server.send_buffer_bytes
// (sim/apps/server_app.cc), whose default is the same 4 MiB.
constexpr uint32_t kSendBufferBytes = 4 * 1024 * 1024;
constexpr uint32_t kReceiveBufferBytes = 6 * 1024 * 1024;
// RNG stream numbers are fixed, so a run draws the same numbers alone or after other runs.
constexpr int64_t kLossStreamBase = 1000;

std::string Rate(double mbps) {
  std::ostringstream s;
  s.precision(17);
  s << mbps * 1e6 << "bps";
  return s.str();
}

ns3::TypeId CongestionControl(TcpVariant tcp) {
  switch (tcp) {
    case TcpVariant::kNewReno:
      return ns3::TcpNewReno::GetTypeId();
    case TcpVariant::kBbr:
      return TcpBbrLinuxRate::GetTypeId();  // ns-3's TcpBbr, with Linux's rate samples
    case TcpVariant::kCubic:
      break;
  }
  return ns3::TcpCubic::GetTypeId();
}

void AddLoss(ns3::Ptr<ns3::NetDevice> device, double loss_rate, int64_t stream) {
  auto uniform = ns3::CreateObject<ns3::UniformRandomVariable>();
  uniform->SetStream(stream);
  auto loss = ns3::CreateObject<ns3::RateErrorModel>();
  loss->SetUnit(ns3::RateErrorModel::ERROR_UNIT_PACKET);
  loss->SetRate(loss_rate);
  loss->SetRandomVariable(uniform);
  device->SetAttribute("ReceiveErrorModel", ns3::PointerValue(loss));
}

// From start_ms for duration_ms of simulated time, the device drops every packet it receives:
// a rate-1 error model stands in for its own loss model, which comes back afterwards. With no
// loss model the blackout model stays installed, disabled outside the outage (ns-3 cannot set
// the attribute back to null).
void ScheduleOutage(ns3::Ptr<ns3::NetDevice> device, double start_ms, double duration_ms) {
  auto blackout = ns3::CreateObject<ns3::RateErrorModel>();
  blackout->SetUnit(ns3::RateErrorModel::ERROR_UNIT_PACKET);
  blackout->SetRate(1.0);  // a uniform draw in [0, 1) is always below 1: every packet lost
  ns3::PointerValue own;
  device->GetAttribute("ReceiveErrorModel", own);
  ns3::Ptr<ns3::ErrorModel> own_model = own.Get<ns3::ErrorModel>();
  if (!own_model) {
    blackout->Disable();
    device->SetAttribute("ReceiveErrorModel", ns3::PointerValue(blackout));
    ns3::Simulator::Schedule(MsToTime(start_ms), [blackout] { blackout->Enable(); });
    ns3::Simulator::Schedule(MsToTime(start_ms + duration_ms), [blackout] { blackout->Disable(); });
    return;
  }
  ns3::Simulator::Schedule(MsToTime(start_ms), [device, blackout] {
    device->SetAttribute("ReceiveErrorModel", ns3::PointerValue(blackout));
  });
  ns3::Simulator::Schedule(MsToTime(start_ms + duration_ms), [device, own_model] {
    device->SetAttribute("ReceiveErrorModel", ns3::PointerValue(own_model));
  });
}
}  // namespace

void ConfigureTcp(const LinkProfile& link) {
  using ns3::Config::SetDefault;
  SetDefault("ns3::TcpL4Protocol::SocketType", ns3::TypeIdValue(CongestionControl(link.tcp)));
  SetDefault("ns3::TcpSocket::SegmentSize", ns3::UintegerValue(link.mss_bytes));
  SetDefault("ns3::TcpSocket::InitialCwnd", ns3::UintegerValue(link.initial_cwnd));
  SetDefault("ns3::TcpSocket::SndBufSize", ns3::UintegerValue(kSendBufferBytes));
  SetDefault("ns3::TcpSocket::RcvBufSize", ns3::UintegerValue(kReceiveBufferBytes));
  // Linux: 40 ms minimum delayed-ACK timeout (TCP_DELACK_MIN), 200 ms minimum RTO
  // (TCP_RTO_MIN), 1 s initial RTO (RFC 6298, TCP_TIMEOUT_INIT).
  SetDefault("ns3::TcpSocket::DelAckTimeout", ns3::TimeValue(ns3::MilliSeconds(40)));
  SetDefault("ns3::TcpSocketBase::MinRto", ns3::TimeValue(ns3::MilliSeconds(200)));
  SetDefault("ns3::TcpSocket::ConnTimeout", ns3::TimeValue(ns3::Seconds(1)));
}

const ServerNode* Topology::ServerOf(const OriginKey& origin) const {
  for (const ServerNode& s : servers) {
    for (const OriginKey& o : s.origins) {
      if (o == origin) return &s;
    }
  }
  return nullptr;
}

namespace {
// The servers a scenario needs: one per distinct address, in the order their first origin is
// declared; a scenario without [[origin]] has ScenarioOrigin() at network.rtt_ms.
std::vector<ServerNode> ServerNodes(const Scenario& scenario) {
  std::vector<ServerNode> servers;
  std::vector<std::string> addresses;  // by server; "" for an origin of its own
  if (scenario.origins.empty()) {
    ServerNode s;
    s.origins.push_back(ScenarioOrigin());
    s.rtt_ms = scenario.network.rtt_ms;
    servers.push_back(s);
    return servers;
  }
  for (const Origin& o : scenario.origins) {
    size_t i = 0;
    while (i < servers.size() && (o.address.empty() || addresses[i] != o.address)) ++i;
    if (i == servers.size()) {
      servers.emplace_back();
      servers.back().rtt_ms = o.rtt_ms;  // origins at one address share the first one's
      addresses.push_back(o.address);
    }
    servers[i].origins.push_back(o.key);
  }
  return servers;
}

// The subnet of the k-th point-to-point link (k = 1 the access link): 10.1.1.0, 10.1.2.0, ...,
// 10.1.255.0, 10.2.0.0, ...: room for any number of origins the loader allows.
std::string SubnetBase(uint32_t k) {
  return "10." + std::to_string(1 + k / 256) + "." + std::to_string(k % 256) + ".0";
}
}  // namespace

Topology BuildTopology(const LinkProfile& link) {
  Scenario one;
  one.network = link;
  return BuildTopology(one);
}

Topology BuildTopology(const Scenario& scenario) {
  const LinkProfile& link = scenario.network;
  Topology t;
  t.servers = ServerNodes(scenario);
  const bool dns = scenario.dns.enabled;
  t.nodes.Create(2 + t.servers.size() + (dns ? 1 : 0));
  for (size_t i = 0; i < t.servers.size(); ++i) t.servers[i].node = t.nodes.Get(2 + i);
  if (dns) t.resolver = t.nodes.Get(t.nodes.GetN() - 1);

  // The access link carries the smallest one-way delay of every path.
  double access_one_way_ms = t.servers.front().rtt_ms / 2;
  for (const ServerNode& s : t.servers)
    access_one_way_ms = std::min(access_one_way_ms, s.rtt_ms / 2);
  if (dns) access_one_way_ms = std::min(access_one_way_ms, scenario.dns.resolver_rtt_ms / 2);

  ns3::PointToPointHelper bottleneck;
  bottleneck.SetChannelAttribute("Delay", ns3::TimeValue(MsToTime(access_one_way_ms)));
  const bool fq_codel = link.queue == QueueDiscipline::kFqCoDel;
  // With fq_codel the queue lives in the queue disc; the device keeps a token queue
  // (2 packets) so that the disc, not the device, decides what waits and what drops.
  const uint32_t device_queue = fq_codel ? 2 : link.queue_packets;
  bottleneck.SetQueue(
      "ns3::DropTailQueue<Packet>", "MaxSize",
      ns3::QueueSizeValue(ns3::QueueSize(ns3::QueueSizeUnit::PACKETS, device_queue)));
  t.bottleneck = bottleneck.Install(t.nodes.Get(0), t.nodes.Get(1));
  t.bottleneck.Get(0)->SetAttribute("DataRate", ns3::StringValue(Rate(link.EffectiveUplinkMbps())));
  t.bottleneck.Get(1)->SetAttribute("DataRate", ns3::StringValue(Rate(link.bandwidth_mbps)));

  const double access_mbps =
      std::max(kServerLinkMinMbps,
               kServerLinkHeadroom * std::max(link.bandwidth_mbps, link.EffectiveUplinkMbps()));
  // The router's link to a server (or the resolver): the rest of its one-way delay.
  auto server_link = [&](ns3::Ptr<ns3::Node> node, double rtt_ms) {
    ns3::PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", ns3::StringValue(Rate(access_mbps)));
    access.SetChannelAttribute(
        "Delay", ns3::TimeValue(MsToTime(std::max(0.0, rtt_ms / 2 - access_one_way_ms))));
    return access.Install(t.nodes.Get(1), node);
  };
  std::vector<ns3::NetDeviceContainer> server_links;
  for (const ServerNode& s : t.servers) server_links.push_back(server_link(s.node, s.rtt_ms));
  if (dns) server_links.push_back(server_link(t.resolver, scenario.dns.resolver_rtt_ms));

  ns3::InternetStackHelper stack;
  stack.SetIpv6StackInstall(false);  // IPv4 only: IPv6 would only add objects to build per run
  stack.Install(t.nodes);
  ns3::Ipv4AddressHelper addresses;
  addresses.SetBase(SubnetBase(1).c_str(), "255.255.255.0");
  addresses.Assign(t.bottleneck);
  for (size_t i = 0; i < server_links.size(); ++i) {
    addresses.SetBase(SubnetBase(2 + i).c_str(), "255.255.255.0");
    const ns3::Ipv4Address a = addresses.Assign(server_links[i]).GetAddress(1);
    if (i < t.servers.size()) {
      t.servers[i].address = a;
    } else {
      t.resolver_address = a;
    }
  }
  t.server_address = t.servers.front().address;
  ns3::Ipv4GlobalRoutingHelper::PopulateRoutingTables();

  // Address assignment installed ns-3's default root queue disc (FqCoDel) on every device;
  // make the bottleneck's discipline the one the scenario asked for.
  ns3::TrafficControlHelper tc;
  tc.Uninstall(t.bottleneck);
  for (const ns3::NetDeviceContainer& l : server_links) tc.Uninstall(l);
  if (fq_codel) {
    ns3::TrafficControlHelper fq;
    fq.SetRootQueueDisc(
        "ns3::FqCoDelQueueDisc", "MaxSize",
        ns3::QueueSizeValue(ns3::QueueSize(ns3::QueueSizeUnit::PACKETS, link.queue_packets)));
    fq.Install(t.bottleneck);
  }

  if (link.loss_rate > 0) {
    AddLoss(t.bottleneck.Get(0), link.loss_rate, kLossStreamBase);      // server -> client
    AddLoss(t.bottleneck.Get(1), link.loss_rate, kLossStreamBase + 1);  // client -> server
  }
  if (link.outage_ms > 0) {
    for (uint32_t i = 0; i < t.bottleneck.GetN(); ++i) {
      ScheduleOutage(t.bottleneck.Get(i), link.outage_start_ms, link.outage_ms);
    }
  }
  return t;
}

void EnableBottleneckPcap(const Topology& topology, const std::string& prefix) {
  ns3::PointToPointHelper helper;
  helper.EnablePcap(prefix, topology.bottleneck, false);
}

}  // namespace waterfall
