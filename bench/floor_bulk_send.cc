// Floor 1: the packet-level simulation of the page's bytes, with no HTTP at all.
#include <ns3/application-container.h>
#include <ns3/bulk-send-helper.h>
#include <ns3/config.h>
#include <ns3/inet-socket-address.h>
#include <ns3/ipv4-address-generator.h>
#include <ns3/ipv4.h>
#include <ns3/packet-sink-helper.h>
#include <ns3/packet-sink.h>
#include <ns3/rng-seed-manager.h>
#include <ns3/simulator.h>
#include <ns3/uinteger.h>

#include <stdexcept>
#include <vector>

#include "bench/floors.h"
#include "sim/net/topology.h"

namespace waterfall::bench {

namespace {
constexpr uint16_t kPort = 80;
// The size of each write the sender makes: SocketPump's largest pull (sim/apps/socket_pump.cc).
constexpr uint32_t kSendSizeBytes = 16384;

struct SinkProgress {
  uint64_t received = 0;
  uint64_t goal = 0;
};

// Stops the simulation when the last byte arrives, as a page load stops when it settles.
void OnSinkRx(SinkProgress* progress, ns3::Ptr<const ns3::Packet> packet, const ns3::Address&) {
  progress->received += packet->GetSize();
  if (progress->received >= progress->goal) ns3::Simulator::Stop();
}

// Starts a BulkSend of `bytes` from `server` to the client's port kPort.
void InstallBulkSend(const Topology& topology, ns3::Ptr<ns3::Node> server, uint64_t bytes) {
  ns3::Ipv4Address client_address =
      topology.client()->GetObject<ns3::Ipv4>()->GetAddress(1, 0).GetLocal();
  ns3::BulkSendHelper send_helper("ns3::TcpSocketFactory",
                                  ns3::InetSocketAddress(client_address, kPort));
  send_helper.SetAttribute("MaxBytes", ns3::UintegerValue(bytes));
  send_helper.SetAttribute("SendSize", ns3::UintegerValue(kSendSizeBytes));
  send_helper.Install(server).Start(ns3::Seconds(0));
}

// Runs until the sink has `bytes` (or 600 simulated seconds), then tears the run down.
FloorResult RunToSink(const Topology& topology, uint64_t bytes) {
  ns3::PacketSinkHelper sink_helper("ns3::TcpSocketFactory",
                                    ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), kPort));
  ns3::ApplicationContainer sink_app = sink_helper.Install(topology.client());
  sink_app.Start(ns3::Seconds(0));
  auto sink = ns3::DynamicCast<ns3::PacketSink>(sink_app.Get(0));
  SinkProgress progress;
  progress.goal = bytes;
  sink->TraceConnectWithoutContext("Rx", ns3::MakeBoundCallback(&OnSinkRx, &progress));
  ns3::Simulator::Stop(ns3::Seconds(600));
  ns3::Simulator::Run();

  FloorResult result;
  result.simulated_ms = ns3::Simulator::Now().GetSeconds() * 1e3;
  result.events = ns3::Simulator::GetEventCount();
  result.bytes = progress.received;
  ns3::Simulator::Destroy();
  ns3::Ipv4AddressGenerator::Reset();
  return result;
}
}  // namespace

FloorResult RunBulkSend(const Scenario& page) {
  ns3::Config::Reset();
  ns3::RngSeedManager::SetSeed(1);
  ns3::RngSeedManager::SetRun(1);
  ConfigureTcp(page.network);
  Topology topology = BuildTopology(page);
  // Each server node's share of the page: the body bytes of its origins' resources.
  std::vector<uint64_t> node_bytes(topology.servers.size(), 0);
  uint64_t total = 0;
  for (const Resource& r : page.resources) {
    if (r.type == ResourceType::kPreconnect || r.size_bytes == 0) continue;
    const ServerNode* node = topology.ServerOf(page.UrlOf(r.url).origin);
    if (node == nullptr) throw std::runtime_error("no server for " + r.url);
    node_bytes[static_cast<size_t>(node - topology.servers.data())] += r.size_bytes;
    total += r.size_bytes;
  }
  // BulkSend's MaxBytes 0 means "without end": nodes with nothing to send get none.
  for (size_t i = 0; i < node_bytes.size(); ++i) {
    if (node_bytes[i] > 0) InstallBulkSend(topology, topology.servers[i].node, node_bytes[i]);
  }
  return RunToSink(topology, total);
}

FloorResult RunBulkSend(const LinkProfile& link, uint64_t bytes) {
  // The same clean slate as RunPageLoad (sim/run/run.cc).
  ns3::Config::Reset();
  ns3::RngSeedManager::SetSeed(1);
  ns3::RngSeedManager::SetRun(1);
  ConfigureTcp(link);
  Topology topology = BuildTopology(link);
  InstallBulkSend(topology, topology.server(), bytes);
  return RunToSink(topology, bytes);
}

}  // namespace waterfall::bench
