// Loads a page once: builds the network, starts the origin server and the browser, runs the
// simulation until the page settles (or its time limit), and reports what happened.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/browser/browser.h"
#include "models/http/mode.h"
#include "models/page/scenario.h"

namespace waterfall {

struct RunOptions {
  uint32_t seed = 1;
  std::string pcap_prefix;  // empty: no capture
  bool keylog = false;      // keep the TLS secrets (RunResult::keylog)
  // Keep each resource's request and response header fields (ResourceTiming::request_headers,
  // response_headers): a HAR export needs them; nothing else in a result depends on them.
  bool record_headers = false;
};

// What one origin cost the page: its connections, the requests it answered, the bytes.
struct OriginSummary {
  OriginKey origin;
  std::string address;  // its server node's address on the simulated network
  double rtt_ms = 0;
  int connections = 0;    // opened to it (an HTTP/2 connection coalesced onto another counts there)
  uint64_t requests = 0;  // resources requested from it (not pushed, not from the cache)
  uint64_t bytes_down = 0;
  uint64_t bytes_up = 0;
};

struct RunResult {
  std::string mode;
  uint32_t seed = 1;
  std::vector<ResourceTiming> timings;  // copies: the result outlives the Scenario
  std::vector<OriginSummary> origins;   // in [[origin]] order
  std::vector<PreconnectTiming> preconnects;
  PageMetrics page;
  uint64_t bytes_down = 0;  // TCP payload bytes the client received, HTTP framing included
  uint64_t bytes_up = 0;    // TCP payload bytes the client sent
  int connections = 0;
  bool timed_out = false;   // the page did not settle before client.timeout_ms
  double simulated_ms = 0;  // simulated time from navigation start to the end of the run
  uint64_t events = 0;      // ns-3 events executed
  // RunOptions::keylog: NSS key-log lines of every TLS connection the browser made, in order.
  std::vector<std::string> keylog;

  // Resources the page did not get whole: reset, blocked behind a reset, or timed out.
  size_t IncompleteResources() const;
};

// Runs one page load. Throws std::runtime_error when the mode cannot run the scenario.
RunResult RunPageLoad(const Scenario& scenario, const ModeSpec& mode, const RunOptions& options);

}  // namespace waterfall
