// waterfall-link: a scenario's access link between two network namespaces, as ns-3 in real
// time, for loading a page in a real browser over it (scripts/reference-load --link). The
// kernel has no netem; ns-3 is the link.
//
//   client netns                    this process (RealtimeSimulatorImpl)                  server
//   netns tap 10.77.1.2 ---- FdNetDevice 10.77.1.1 [A] ====PointToPoint====  [B] 10.77.3.1
//   FdNetDevice ---- tap 10.77.3.2
//                                          10.77.2.1  one-way delay rtt/2  10.77.2.2
//                                                     B->A: bandwidth_mbps (the bottleneck,
//                                                     server -> client), A->B: the uplink
//
// The taps exist already (ip tuntap add ... mode tap), one in each namespace, addressed and
// with a route to the other side via .1; this process opens each in its namespace (setns) and
// hands the descriptor to an FdNetDevice (Ethernet frames: IFF_TAP | IFF_NO_PI). It runs until
// killed or for --duration-s.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "models/scenario/scenario_loader.h"
#include "ns3/core-module.h"
#include "ns3/fd-net-device-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

namespace {

// Opens tap `name` inside network namespace `netns` (ip netns add's /run/netns/NAME), returns
// its descriptor (Ethernet frames, no packet information header) or -1 with a message.
int OpenTapIn(const std::string& netns, const std::string& name) {
  const int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target = open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
  if (self < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
    std::cerr << "waterfall-link: cannot enter netns " << netns << ": " << std::strerror(errno)
              << "\n";
    return -1;
  }
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  ifreq ifr{};
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) != 0) {
    std::cerr << "waterfall-link: cannot open tap " << name << " in " << netns << ": "
              << std::strerror(errno) << "\n";
    if (fd >= 0) close(fd);
    fd = -1;
  }
  setns(self, CLONE_NEWNET);
  close(self);
  close(target);
  return fd;
}

Ptr<FdNetDevice> TapDevice(Ptr<Node> node, int fd) {
  Ptr<FdNetDevice> dev = CreateObject<FdNetDevice>();
  dev->SetFileDescriptor(fd);
  dev->SetAddress(Mac48Address::Allocate());
  node->AddDevice(dev);
  return dev;
}

}  // namespace

int main(int argc, char** argv) {
  // Command line.
  CLI::App app{"waterfall-link: a scenario's link between two network namespaces, in ns-3"};
  std::string scenario_path, client_netns, server_netns, client_tap = "wfc0", server_tap = "wfs0";
  double duration_s = 3600;
  app.add_option("scenario", scenario_path, "scenario TOML (its [network]: rtt_ms, rates, queue)")
      ->required();
  app.add_option("--client-netns", client_netns, "the browser's namespace")->required();
  app.add_option("--server-netns", server_netns, "the server's namespace")->required();
  app.add_option("--client-tap", client_tap, "tap device in the client namespace");
  app.add_option("--server-tap", server_tap, "tap device in the server namespace");
  app.add_option("--duration-s", duration_s, "stop after this many seconds");
  CLI11_PARSE(app, argc, argv);
  waterfall::Scenario scenario;
  try {
    scenario = waterfall::LoadScenarioFile(scenario_path);
  } catch (const std::exception& e) {
    std::cerr << "waterfall-link: " << e.what() << "\n";
    return 2;
  }
  const int client_fd = OpenTapIn(client_netns, client_tap);
  const int server_fd = OpenTapIn(server_netns, server_tap);
  if (client_fd < 0 || server_fd < 0) return 2;

  // Real time; checksums on, since the kernels on both sides check what the routers forward.
  GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
  GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

  // Nodes and links.
  NodeContainer routers;
  routers.Create(2);
  Ptr<Node> a = routers.Get(0);
  Ptr<Node> b = routers.Get(1);
  PointToPointHelper p2p;
  p2p.SetChannelAttribute("Delay", TimeValue(MilliSeconds(scenario.network.rtt_ms / 2)));
  p2p.SetQueue("ns3::DropTailQueue", "MaxSize",
               QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, scenario.network.queue_packets)));
  NetDeviceContainer link = p2p.Install(a, b);
  link.Get(0)->SetAttribute(  // A -> B: client -> server
      "DataRate", DataRateValue(DataRate(scenario.network.EffectiveUplinkMbps() * 1e6)));
  link.Get(1)->SetAttribute(  // B -> A: server -> client, the bottleneck
      "DataRate", DataRateValue(DataRate(scenario.network.bandwidth_mbps * 1e6)));
  Ptr<FdNetDevice> client_side = TapDevice(a, client_fd);
  Ptr<FdNetDevice> server_side = TapDevice(b, server_fd);

  // Stack and addresses.
  InternetStackHelper stack;
  stack.Install(routers);
  Ipv4AddressHelper addresses;
  addresses.SetBase("10.77.1.0", "255.255.255.0");
  addresses.Assign(NetDeviceContainer(client_side));
  addresses.SetBase("10.77.2.0", "255.255.255.252");
  addresses.Assign(link);
  addresses.SetBase("10.77.3.0", "255.255.255.0");
  addresses.Assign(NetDeviceContainer(server_side));
  Ipv4StaticRoutingHelper routing;
  routing.GetStaticRouting(a->GetObject<Ipv4>())
      ->AddNetworkRouteTo("10.77.3.0", "255.255.255.0", "10.77.2.2", 2);
  routing.GetStaticRouting(b->GetObject<Ipv4>())
      ->AddNetworkRouteTo("10.77.1.0", "255.255.255.0", "10.77.2.1", 1);

  // Run.
  std::cerr << "waterfall-link: " << scenario.network.rtt_ms << " ms RTT, "
            << scenario.network.bandwidth_mbps << " Mbit/s down, "
            << scenario.network.EffectiveUplinkMbps() << " Mbit/s up, between " << client_netns
            << " and " << server_netns << "\n";
  Simulator::Stop(Seconds(duration_s));
  Simulator::Run();
  Simulator::Destroy();
  return 0;
}
