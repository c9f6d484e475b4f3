// The recursive resolver the browser asks, sans-I/O: one node that knows every simulated host's
// address and how long resolving it from the authoritative servers takes (the origin's dns_ms).
// The first query for a host during a page load is answered after that time; the resolver then
// has the host cached and answers later queries at once. Queries that arrive while a host is
// being resolved wait for that resolution. A host it does not know gets NXDOMAIN at once. The
// round trip between browser and resolver (resolver_rtt_ms) is the simulated link's, not this
// class's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/core/event_loop.h"

namespace waterfall {

class RecursiveResolver {
 public:
  // The TTL of every answer. A page load is far shorter, so its value changes nothing; 300 s
  // is a common TTL of CDN names (a choice, not a measurement).
  static constexpr uint32_t kAnswerTtlS = 300;

  // Who sent a query, as the adapter names it (the resolver only gives it back with the answer).
  using Peer = uint64_t;
  struct HostRecord {
    uint32_t ipv4 = 0;  // host byte order
    double dns_ms = 0;  // time to resolve the host when not cached
  };
  using Send = std::function<void(std::vector<uint8_t> datagram, Peer to)>;

  // records: by host name (case-insensitive, with or without the trailing dot).
  RecursiveResolver(EventLoop& loop, std::map<std::string, HostRecord> records, Send send);
  RecursiveResolver(const RecursiveResolver&) = delete;
  RecursiveResolver& operator=(const RecursiveResolver&) = delete;

  // A datagram from a stub resolver. An A query is answered, through send, to from: after the
  // host's dns_ms the first time, at once (before OnQuery returns) once the host is cached,
  // with NXDOMAIN at once for an unknown host. Anything else is ignored.
  void OnQuery(const uint8_t* data, size_t size, Peer from);

  // Hosts resolved (not answered from the cache) so far.
  int resolutions() const { return resolutions_; }

 private:
  struct Asker {
    uint16_t id;
    Peer peer;
  };
  enum class State { kNotCached, kResolving, kCached };
  struct Host {
    HostRecord record;
    State state = State::kNotCached;
    std::vector<Asker> waiting;  // while resolving
  };

  void Answer(const std::string& host, const Asker& asker);

  PendingTimers timers_;
  std::map<std::string, Host> hosts_;
  Send send_;
  int resolutions_ = 0;
};

}  // namespace waterfall
