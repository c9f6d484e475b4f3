// The two floors a simulated page load cannot go below, each run once per call.
#pragma once

#include <cstdint>

#include "models/page/scenario.h"

namespace waterfall::bench {

struct FloorResult {
  double simulated_ms = 0;  // 0 when nothing is simulated
  uint64_t events = 0;      // ns-3 events executed
  uint64_t bytes = 0;       // payload bytes delivered to the receiver
};

// ns-3's own BulkSendApplication moving `bytes` from the server node to a PacketSink on the
// client node, over sim/topology's network built from `link`, with ConfigureTcp's settings.
FloorResult RunBulkSend(const LinkProfile& link, uint64_t bytes);

// The same for a page on many origins, over the star BuildTopology(page) builds: one
// BulkSendApplication on each server node, carrying the body bytes of the resources of that
// node's origins, all to one PacketSink on the client; the run stops at the page's last byte.
FloorResult RunBulkSend(const Scenario& page);

// A raw nghttp2 client session fetching every resource of `page` from a raw nghttp2 server
// session through memory, with waterfall's settings (windows, 100 concurrent streams, 16 KB
// frames) and no simulator: HTTP/2's own cost for the page. One pair of sessions per origin
// (as the browser has one HTTP/2 connection per origin), each request naming its origin's
// host as :authority and the path as :path; preconnect rows fetch nothing.
FloorResult RunNghttp2Memory(const Scenario& page);

}  // namespace waterfall::bench
