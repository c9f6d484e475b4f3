#include "sim/run/run.h"

#include <ns3/config.h>
#include <ns3/ipv4-address-generator.h>
#include <ns3/rng-seed-manager.h>
#include <ns3/simulator.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "models/http/protocols.h"
#include "sim/apps/client_app.h"
#include "sim/apps/dns_server_app.h"
#include "sim/apps/ns3_event_loop.h"
#include "sim/apps/server_app.h"
#include "sim/net/topology.h"

namespace waterfall {

namespace {

// After the page settles, pushes the browser refused may still be in flight: keep the
// simulation going one more round trip (the longest origin's) so their wasted bytes are counted.
double DrainMs(const Scenario& scenario) {
  double rtt = scenario.network.rtt_ms;
  for (const Origin& o : scenario.origins) rtt = std::max(rtt, o.rtt_ms);
  return rtt + 1;
}

// One summary per origin, in [[origin]] order (a page built without [[origin]]: the
// topology's one origin).
std::vector<OriginSummary> SummarizeOrigins(
    const Scenario& scenario, const Topology& topology, const std::vector<ResourceTiming>& timings,
    const std::map<OriginKey, BrowserApp::OriginTraffic>& traffic) {
  std::map<OriginKey, uint64_t> requests;  // one pass: a page may have 100000 resources
  for (const ResourceTiming& t : timings) {
    if (t.request_ms && !t.pushed) ++requests[t.url.origin];
  }
  std::vector<OriginKey> keys;
  for (const Origin& o : scenario.origins) keys.push_back(o.key);
  if (keys.empty()) keys = topology.servers.front().origins;
  std::vector<OriginSummary> summaries;
  for (const OriginKey& key : keys) {
    const ServerNode* node = topology.ServerOf(key);
    OriginSummary o;
    o.origin = key;
    std::ostringstream address;
    address << node->address;
    o.address = address.str();
    const Origin* declared = scenario.FindOrigin(key);
    o.rtt_ms = declared ? declared->rtt_ms : node->rtt_ms;
    if (auto it = traffic.find(key); it != traffic.end()) {
      o.connections = it->second.connections;
      o.bytes_down = it->second.bytes_received;
      o.bytes_up = it->second.bytes_sent;
    }
    if (auto it = requests.find(key); it != requests.end()) o.requests = it->second;
    summaries.push_back(o);
  }
  return summaries;
}
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

  Topology topology = BuildTopology(scenario);
  // One server application per server node and port; each origin's server address for the
  // browser.
  std::vector<ns3::Ptr<OriginServerApp>> servers;
  std::map<OriginKey, ns3::Ipv4Address> addresses;
  for (const ServerNode& node : topology.servers) {
    std::set<uint16_t> ports;
    for (const OriginKey& origin : node.origins) {
      addresses.emplace(origin, node.address);
      if (!ports.insert(origin.port).second) continue;
      const Origin* declared = scenario.FindOrigin(origin);
      Origin served = declared != nullptr ? *declared : Origin{};
      served.key = origin;
      auto server =
          ns3::Create<OriginServerApp>(scenario, mode, VersionFor(mode, scenario, origin), served);
      node.node->AddApplication(server);
      server->SetStartTime(ns3::Seconds(0));
      servers.push_back(server);
    }
  }
  // [dns]: the recursive resolver knows every origin's host (the first origin of a host gives
  // its dns_ms) and answers with its server node's address.
  ns3::Ptr<DnsServerApp> resolver;
  std::optional<ns3::Ipv4Address> resolver_address;
  if (topology.resolver) {
    std::map<std::string, RecursiveResolver::HostRecord> records;
    for (const Origin& o : scenario.origins) {  // emplace: the first origin of a host wins
      records.emplace(o.key.host,
                      RecursiveResolver::HostRecord{addresses.at(o.key).Get(), o.dns_ms});
    }
    for (const auto& [origin, address] : addresses) {  // a page without [[origin]]
      records.emplace(origin.host, RecursiveResolver::HostRecord{address.Get(), 0});
    }
    resolver = ns3::Create<DnsServerApp>(std::move(records));
    topology.resolver->AddApplication(resolver);
    resolver->SetStartTime(ns3::Seconds(0));
    resolver_address = topology.resolver_address;
  }
  auto browser = ns3::Create<BrowserApp>(scenario, mode, addresses, resolver_address);
  if (options.keylog) browser->EnableKeylog();
  browser->browser().RecordHeaderFields(options.record_headers);
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
  result.preconnects = browser->browser().preconnects();
  result.origins = SummarizeOrigins(scenario, topology, result.timings, browser->TrafficByOrigin());
  result.simulated_ms = (ns3::Simulator::Now() - browser->navigation_start()).GetSeconds() * 1e3;
  result.events = ns3::Simulator::GetEventCount();
  result.keylog = browser->keylog();

  browser = nullptr;
  servers.clear();
  resolver = nullptr;
  ns3::Simulator::Destroy();
  ns3::Ipv4AddressGenerator::Reset();
  return result;
}

}  // namespace waterfall
