// The browser's DNS resolver, sans-I/O: Chrome's built-in ("async") resolver reduced to what a
// page load needs. It asks one recursive resolver for each host's A record over UDP, once per
// host per page: later lookups of a host share the first one's answer. A query that goes
// unanswered is sent again, as a new query with a new id, after the fallback period; an answer
// to any of a lookup's queries completes it.
//
// Chromium's figures (net/dns/, read at chromium.googlesource.com/chromium/src/+/main/net/dns):
// - dns_config.h `kDnsDefaultFallbackPeriod = base::Seconds(1)` is DnsConfig's default
//   `fallback_period`; dns_config.cc `attempts(2)` (glibc's RES_DFLRETRY) its default attempts.
//   dns_transaction.cc MakeClassicDnsAttempt sends each attempt as a clone of the first query
//   with a new id (`CloneWithNewId(session_->NextQueryId())`) and leaves earlier attempts
//   pending; MoreAttemptsAllowed allows `attempts` per nameserver.
// - resolve_context.cc NextFallbackPeriodHelper waits the 99th percentile of the server's
//   observed RTTs, a histogram seeded with 2 samples of the configured period: on a fresh
//   profile the first retry comes after 1 s (the edge of the histogram bucket holding 1000 ms;
//   this model uses the round figure).
// - When the last attempt's fallback period passes unanswered, the transaction waits until its
//   timeout, features.cc `kDnsMinTransactionTimeout = base::Seconds(12)` from its start (the
//   7.5 x fallback-period alternative is shorter), then fails with ERR_DNS_TIMED_OUT.
// On Linux and macOS Chrome takes the period and attempts from resolv.conf (timeout, default
// 5 s; attempts, default 2: dns_config_service_linux.cc ConvertResStateToDnsConfig); the 1 s
// is the default of platforms that do not set them (Windows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/core/event_loop.h"

namespace waterfall {

class StubResolver {
 public:
  // The fallback period before an unanswered query is sent again (see the top of the file).
  static constexpr double kFallbackPeriodMs = 1000;
  // Queries per lookup, the first one included.
  static constexpr int kAttempts = 2;
  // From the first query to giving up on a lookup none of whose queries was answered.
  static constexpr double kTransactionTimeoutMs = 12000;

  using Send = std::function<void(std::vector<uint8_t> datagram)>;
  using Done = std::function<void(std::optional<uint32_t> ipv4)>;

  // send: one UDP datagram to the recursive resolver.
  StubResolver(EventLoop& loop, Send send);
  ~StubResolver();
  StubResolver(const StubResolver&) = delete;
  StubResolver& operator=(const StubResolver&) = delete;

  // The browser already knows host's address (client.dns_cache): it is never looked up.
  void Remember(const std::string& host, uint32_t ipv4);

  // Calls done with host's IPv4 address (host byte order), or nullopt when the resolver said
  // NXDOMAIN or no attempt was answered. A host known already (remembered, or looked up
  // earlier this page, found or not) calls done at once, synchronously, before Resolve
  // returns; a host being looked up joins that lookup; any other host starts a lookup, whose
  // first query is sent before Resolve returns. Host names are case-insensitive.
  void Resolve(const std::string& host, Done done);

  // A datagram from the resolver. An answer to one of a pending lookup's queries (same id,
  // same name) completes it: every waiter's done runs, in the order they asked. Anything else
  // (garbage, an unknown id, a late duplicate) is ignored.
  void OnDatagram(const uint8_t* data, size_t size);

  // When host's lookup sent its first query, and when its answer arrived or it gave up; empty
  // for a host never looked up (remembered, or never asked) and, for the end, while pending.
  std::optional<double> LookupStartMs(const std::string& host) const;
  std::optional<double> LookupEndMs(const std::string& host) const;
  // Queries sent so far, retries included.
  int queries_sent() const { return queries_sent_; }

 private:
  struct Lookup {
    bool done = false;
    std::optional<uint32_t> ipv4;
    std::optional<double> start_ms, end_ms;
    std::vector<Done> waiters;
    std::vector<uint16_t> ids;  // of the queries sent, while pending
    int attempts = 0;
    TimerId retry, timeout;
  };

  void SendQuery(const std::string& host, Lookup& lookup);
  void Finish(const std::string& host, std::optional<uint32_t> ipv4);

  EventLoop& loop_;
  Send send_;
  std::map<std::string, Lookup> lookups_;        // by lower-case host
  std::map<uint16_t, std::string> pending_ids_;  // id of an unanswered query -> its host
  uint16_t next_id_ = 1;  // deterministic ids 1, 2, 3, ... (Chrome draws them at random)
  int queries_sent_ = 0;
};

}  // namespace waterfall
