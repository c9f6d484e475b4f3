#include "sim/apps/origin_tls.h"

#include <map>
#include <memory>
#include <tuple>

namespace waterfall {

namespace {
// Origins on one server node: those sharing origin's non-empty address and its port; else the
// origin alone.
std::vector<std::string> HostsOfNode(const Scenario& scenario, const Origin& origin) {
  std::vector<std::string> hosts;
  for (const Origin& o : scenario.origins) {
    const bool same_node =
        o.key == origin.key ||
        (!origin.address.empty() && o.address == origin.address && o.key.port == origin.key.port);
    if (same_node) hosts.push_back(o.key.host);
  }
  return hosts;
}
}  // namespace

const ServerIdentity& IdentityOf(const Scenario& scenario, const Origin& origin) {
  const TlsConfig& c = origin.tls;
  const std::vector<std::string> hosts = HostsOfNode(scenario, origin);
  // The ticket key is the node's: its address (or host) and port.
  const std::string node = (origin.address.empty() ? origin.key.host : origin.address) + ":" +
                           std::to_string(origin.key.port);
  using Key = std::tuple<int, int, int, std::vector<std::string>, std::string>;
  static std::map<Key, std::unique_ptr<ServerIdentity>> built;
  const Key key{static_cast<int>(c.certificate), c.chain_depth,
                static_cast<int>(c.certificate_error), hosts, node};
  auto it = built.find(key);
  if (it == built.end()) {
    it = built.emplace(key, ServerIdentity::Build(c, hosts, node)).first;
  }
  return *it->second;
}

const char* AlpnId(HttpVersion version) {
  return version == HttpVersion::kHttp2 ? "h2" : "http/1.1";
}

std::vector<std::string> ClientAlpn(HttpVersion version) {
  if (version == HttpVersion::kHttp2) return {"h2", "http/1.1"};
  return {"http/1.1"};
}

std::vector<std::string> ServerAlpn(HttpVersion version) { return {AlpnId(version)}; }

std::vector<uint8_t> TicketFromEarlierVisit(const Scenario& scenario, const Origin& origin,
                                            HttpVersion version) {
  return TicketFromEarlierVisit(IdentityOf(scenario, origin), origin.tls, origin.key.host,
                                ClientAlpn(version));
}

}  // namespace waterfall
