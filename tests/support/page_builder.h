// Builds Scenario values in code, for the model tests, the simulation tests and the fuzzers.
#pragma once

#include <string>

#include "models/page/scenario.h"

namespace waterfall::testing {

inline Scenario FastLink(double rtt_ms, double bandwidth_mbps = 1000) {
  Scenario s;
  s.name = "test";
  s.source_path = "test.toml";
  s.network.rtt_ms = rtt_ms;
  s.network.bandwidth_mbps = bandwidth_mbps;
  s.network.queue_packets = 1000;
  return s;
}

inline Resource& Add(Scenario& s, const std::string& url, ResourceType type, uint64_t size_bytes,
                     const std::string& parent = "") {
  Resource r;
  r.url = url;
  r.type = type;
  r.size_bytes = size_bytes;
  r.parent = parent;
  s.resources.push_back(r);
  return s.resources.back();
}

// A chain document -> r1 -> r2 ... of `depth` resources in all, each `size_bytes`.
inline Scenario Chain(int depth, uint64_t size_bytes, double rtt_ms) {
  Scenario s = FastLink(rtt_ms);
  Add(s, "/index.html", ResourceType::kDocument, size_bytes);
  for (int i = 1; i < depth; ++i) {
    Add(s, "/r" + std::to_string(i), ResourceType::kScript, size_bytes,
        i == 1 ? "/index.html" : "/r" + std::to_string(i - 1));
  }
  return s;
}

}  // namespace waterfall::testing
