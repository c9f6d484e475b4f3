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

Topology BuildTopology(const LinkProfile& link) {
  Topology t;
  t.nodes.Create(3);

  ns3::PointToPointHelper bottleneck;
  bottleneck.SetChannelAttribute("Delay", ns3::TimeValue(MsToTime(link.rtt_ms / 2)));
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

  ns3::PointToPointHelper access;
  const double access_mbps =
      std::max(kServerLinkMinMbps,
               kServerLinkHeadroom * std::max(link.bandwidth_mbps, link.EffectiveUplinkMbps()));
  access.SetDeviceAttribute("DataRate", ns3::StringValue(Rate(access_mbps)));
  access.SetChannelAttribute("Delay", ns3::TimeValue(ns3::Seconds(0)));
  ns3::NetDeviceContainer server_link = access.Install(t.nodes.Get(1), t.nodes.Get(2));

  ns3::InternetStackHelper stack;
  stack.SetIpv6StackInstall(false);  // IPv4 only: IPv6 would only add objects to build per run
  stack.Install(t.nodes);
  ns3::Ipv4AddressHelper addresses;
  addresses.SetBase("10.1.1.0", "255.255.255.0");
  addresses.Assign(t.bottleneck);
  addresses.SetBase("10.1.2.0", "255.255.255.0");
  t.server_address = addresses.Assign(server_link).GetAddress(1);
  ns3::Ipv4GlobalRoutingHelper::PopulateRoutingTables();

  // Address assignment installed ns-3's default root queue disc (FqCoDel) on every device;
  // make the bottleneck's discipline the one the scenario asked for.
  ns3::TrafficControlHelper tc;
  tc.Uninstall(t.bottleneck);
  tc.Uninstall(server_link);
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
