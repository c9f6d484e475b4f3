// A synthetic page for the benchmarks, generated in code and deterministic: the same
// resource count always gives the same Scenario, byte for byte.
//
// Resources are about 20 KB each (12..28 KB, mean 20 KB) and come in a fixed mix repeated
// every 20 resources: 2 style sheets, 3 scripts, 10 images, 2 fonts, 3 other (XHR/JSON),
// discovered at three depths: the HTML's references (spread over its bytes), what style
// sheets and scripts reference once they are complete, and what a script loaded by a
// script fetches.
#pragma once

#include <cstddef>
#include <string>

#include "models/page/scenario.h"

namespace waterfall::bench {

// The network of every PageLoad benchmark: 50 ms RTT, 20 Mbit/s, otherwise the defaults.
constexpr double kBenchRttMs = 50;
constexpr double kBenchBandwidthMbps = 20;

// A page of `resources` resources in all, the document included (at least 1).
Scenario GeneratePage(size_t resources);

// The sum of the page's body sizes.
uint64_t PageBodyBytes(const Scenario& page);

// The page as scenario TOML (docs/scenario-format.md), loadable by `waterfall run`.
std::string PageToToml(const Scenario& page);

}  // namespace waterfall::bench
