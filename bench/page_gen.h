// A synthetic page for the benchmarks, generated in code and deterministic: the same
// resource count always gives the same Scenario, byte for byte.
//
// Resources are about 20 KB each (12..28 KB, mean 20 KB) and come in a fixed mix repeated
// every 20 resources: 2 style sheets, 3 scripts, 10 images, 2 fonts, 3 other (XHR/JSON),
// discovered at three depths: the HTML's references (spread over its bytes), what style
// sheets and scripts reference once they are complete, and what a script loaded by a
// script fetches. The multi-origin variant spreads the same page over many origins; the
// HTTPS variant serves it over TLS.
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

// GeneratePage's page on its one origin made https: https://waterfall.test (port 443, as the
// loader's `scheme = "https"` gives it) at kBenchRttMs, with the default TlsConfig (TLS 1.3,
// ECDSA P-256, chain depth 2). Resource URLs stay paths. What TLS costs in CPU (bench/).
Scenario GenerateHttpsPage(size_t resources);

// GeneratePage's page (the same mix, sizes, parents and discovery), spread over `origins`
// origins (at least 1): resource i (the document is 0) is on origin i % origins, so a
// 300 x 50 page has 6 resources on each. Origin 0, the document's, is http://www.bench.test at
// kBenchRttMs; origin k >= 1 is http://oKK.bench.test (KK = k, two digits or more) at
// OriginRttMs(k), dns_ms 0, a server node of its own. No [dns]: the floors have no DNS either.
// URLs are canonical (Resource::url): a path on the document's origin, else absolute.
Scenario GenerateMultiOriginPage(size_t resources, size_t origins);

// The RTT of origin k >= 1 of the multi-origin page: 10, 30, ..., 150 ms, cycling (eight
// distances from a nearby CDN to a far third party).
double OriginRttMs(size_t k);

// The sum of the page's body sizes.
uint64_t PageBodyBytes(const Scenario& page);

// The page as scenario TOML (docs/scenario-format.md), loadable by `waterfall run`.
std::string PageToToml(const Scenario& page);

}  // namespace waterfall::bench
