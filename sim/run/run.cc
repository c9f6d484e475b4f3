#include "sim/run/run.h"

#include <ns3/config.h>
#include <ns3/ipv4-address-generator.h>
#include <ns3/rng-seed-manager.h>
#include <ns3/simulator.h>

#include "sim/apps/client_app.h"
#include "sim/apps/ns3_event_loop.h"
#include "sim/apps/server_app.h"
#include "sim/net/topology.h"

namespace waterfall {

namespace {
constexpr uint16_t kHttpPort = 80;  // cleartext h2 (prior knowledge) and HTTP/1.1

// After the page settles, pushes the browser refused may still be in flight: keep the
// simulation going one more round trip so their wasted bytes are counted.
double DrainMs(const Scenario& scenario) { return scenario.network.rtt_ms + 1; }
}  // namespace

size_t RunResult::IncompleteResources() const {
  size_t n = 0;
  for (const ResourceTiming& t : timings) n += t.status != ResourceStatus::kComplete;
  return n;
}

RunResult RunPageLoad(const Scenario& scenario, const ModeSpec& mode, const RunOptions& options) {
  // A clean slate: several runs share this process.
  ns3::Config::Reset();
  ns3::RngSeedManager::SetSeed(1);
  ns3::RngSeedManager::SetRun(options.seed);
  ConfigureTcp(scenario.network);

  Topology topology = BuildTopology(scenario.network);
  auto server = ns3::Create<OriginServerApp>(scenario, mode, kHttpPort);
  topology.server()->AddApplication(server);
  server->SetStartTime(ns3::Seconds(0));
  auto browser = ns3::Create<BrowserApp>(scenario, mode, topology.server_address, kHttpPort);
  topology.client()->AddApplication(browser);
  browser->SetStartTime(ns3::Seconds(0));
  if (!options.pcap_prefix.empty()) EnableBottleneckPcap(topology, options.pcap_prefix);

  bool settled = false;
  browser->SetSettledListener([&] {
    settled = true;
    ns3::Simulator::Schedule(MsToTime(DrainMs(scenario)), [] { ns3::Simulator::Stop(); });
  });
  // The time limit counts from the start of the simulation (a warm connection's handshake
  // included), so no run lasts longer than client.timeout_ms of simulated time.
  ns3::Simulator::Stop(MsToTime(scenario.client.timeout_ms));
  ns3::Simulator::Run();

  RunResult result;
  result.mode = mode.name;
  result.seed = options.seed;
  result.timed_out = !settled;
  browser->browser().Finish();
  result.timings = browser->browser().timings();
  result.page = browser->browser().Metrics();
  result.bytes_down = browser->bytes_received();
  result.bytes_up = browser->bytes_sent();
  result.connections = browser->connections();
  result.simulated_ms = (ns3::Simulator::Now() - browser->navigation_start()).GetSeconds() * 1e3;
  result.events = ns3::Simulator::GetEventCount();

  browser = nullptr;
  server = nullptr;
  ns3::Simulator::Destroy();
  ns3::Ipv4AddressGenerator::Reset();
  return result;
}

}  // namespace waterfall
