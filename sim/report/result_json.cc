#include "sim/report/result_json.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "sim/report/metrics.h"

namespace waterfall {

namespace {
// A URL as the scenario writes it: a path on the document's origin, absolute on any other; a
// preconnect row's is its origin.
std::string UrlText(const Scenario& scenario, const ResourceTiming& t) {
  if (t.type == ResourceType::kPreconnect) return t.url.origin.ToString();
  return scenario.CanonicalUrl(t.url);
}

bool HasTls(const Scenario& scenario) {
  for (const Origin& o : scenario.origins) {
    if (o.UsesTls()) return true;
  }
  return false;
}

// with_tls: the page has an https origin. Only then do resources carry tls_* keys, so that the
// results of cleartext scenarios stay what they were before TLS existed.
nlohmann::ordered_json ResourceToJson(const Scenario& scenario, const ResourceTiming& t,
                                      bool with_tls) {
  nlohmann::ordered_json j = {
      {"url", UrlText(scenario, t)},
      {"origin", t.url.origin.ToString()},
      {"type", ToString(t.type)},
      {"size", t.size_bytes},
      {"render_blocking", t.render_blocking || t.type == ResourceType::kDocument},
      {"discovered_ms", MsJson(t.discovered_ms)},
      {"queued_ms", MsJson(t.queued_ms)},
      {"dns_start_ms", MsJson(t.dns_start_ms)},
      {"dns_end_ms", MsJson(t.dns_end_ms)},
      {"connect_start_ms", MsJson(t.connect_start_ms)},
      {"connect_end_ms", MsJson(t.connect_end_ms)},
  };
  if (with_tls) {
    j["tls_start_ms"] = MsJson(t.tls_start_ms);
    j["tls_end_ms"] = MsJson(t.tls_end_ms);
  }
  nlohmann::ordered_json rest = {
      {"request_ms", MsJson(t.request_ms)},
      {"first_byte_ms", MsJson(t.first_byte_ms)},
      {"complete_ms", MsJson(t.complete_ms)},
      {"connection",
       t.where.connection >= 0 ? nlohmann::ordered_json(t.where.connection) : nullptr},
      {"stream_id", t.where.stream_id > 0 ? nlohmann::ordered_json(t.where.stream_id) : nullptr},
      {"initiator", ToString(t.initiator)},
  };
  for (auto& [key, value] : rest.items()) j[key] = value;
  // Blink's priority when the browser requested it, else no key (resource_csv.cc still gives
  // every row the column).
  if (t.priority) j["priority"] = ToString(*t.priority);
  j["parent"] = t.parent ? nlohmann::ordered_json(scenario.CanonicalUrl(*t.parent))
                         : nlohmann::ordered_json(nullptr);
  j["pushed"] = t.pushed;
  j["from_cache"] = t.from_cache;
  j["body_bytes"] = t.body_bytes;
  j["status"] = ToString(t.status);
  if (t.status == ResourceStatus::kTlsFailed) j["tls_error"] = t.tls_error;
  return j;
}
}  // namespace

nlohmann::ordered_json OriginsToJson(const RunResult& run) {
  nlohmann::ordered_json origins = nlohmann::ordered_json::array();
  for (const OriginSummary& o : run.origins) {
    origins.push_back({{"origin", o.origin.ToString()},
                       {"address", o.address},
                       {"rtt_ms", o.rtt_ms},
                       {"connections", o.connections},
                       {"requests", o.requests},
                       {"bytes_down", o.bytes_down},
                       {"bytes_up", o.bytes_up}});
  }
  return origins;
}

nlohmann::ordered_json PreconnectsToJson(const RunResult& run) {
  nlohmann::ordered_json preconnects = nlohmann::ordered_json::array();
  for (const PreconnectTiming& p : run.preconnects) {
    nlohmann::ordered_json j = {
        {"origin", p.origin.ToString()},
        {"initiator", ToString(p.initiator)},
        {"queued_ms", p.queued_ms},
        {"connection", p.connection >= 0 ? nlohmann::ordered_json(p.connection) : nullptr},
        {"dns_start_ms", MsJson(p.dns_start_ms)},
        {"dns_end_ms", MsJson(p.dns_end_ms)},
        {"connect_start_ms", MsJson(p.connect_start_ms)},
        {"connect_end_ms", MsJson(p.connect_end_ms)}};
    if (p.origin.scheme == "https") {
      j["tls_start_ms"] = MsJson(p.tls_start_ms);
      j["tls_end_ms"] = MsJson(p.tls_end_ms);
    }
    preconnects.push_back(std::move(j));
  }
  return preconnects;
}

nlohmann::ordered_json NetworkToJson(const LinkProfile& link) {
  nlohmann::ordered_json j = {{"rtt_ms", link.rtt_ms},
                              {"bandwidth_mbps", link.bandwidth_mbps},
                              {"uplink_mbps", link.EffectiveUplinkMbps()},
                              {"queue_packets", link.queue_packets},
                              {"queue", ToString(link.queue)},
                              {"loss_rate", link.loss_rate},
                              {"tcp", ToString(link.tcp)},
                              {"initial_cwnd", link.initial_cwnd},
                              {"mss", link.mss_bytes}};
  if (link.outage_ms > 0) {  // only then, so files without an outage stay as they were
    j["outage_start_ms"] = link.outage_start_ms;
    j["outage_ms"] = link.outage_ms;
  }
  return j;
}

nlohmann::ordered_json MetricsToJson(const RunResult& run) {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const MetricField& field : PageMetricFields()) {
    if (field.in_result_file) metrics[field.name] = field.value(run);
  }
  return metrics;
}

nlohmann::ordered_json ProvenanceToJson(const RunProvenance& provenance) {
  return {{"overrides", provenance.overrides}, {"scenario_fnv1a", provenance.scenario_fnv1a}};
}

nlohmann::ordered_json ResultToJson(const Scenario& scenario, const RunResult& run,
                                    const RunProvenance* provenance) {
  nlohmann::ordered_json resources = nlohmann::ordered_json::array();
  const bool with_tls = HasTls(scenario);
  for (const ResourceTiming& t : run.timings) {
    resources.push_back(ResourceToJson(scenario, t, with_tls));
  }
  nlohmann::ordered_json j = {{"scenario", scenario.name}, {"mode", run.mode}, {"seed", run.seed}};
  if (provenance != nullptr) j["run"] = ProvenanceToJson(*provenance);
  j["network"] = NetworkToJson(scenario.network);
  j["metrics"] = MetricsToJson(run);
  j["timed_out"] = run.timed_out;
  j["resources"] = resources;
  j["origins"] = OriginsToJson(run);
  j["preconnects"] = PreconnectsToJson(run);
  return j;
}

}  // namespace waterfall
