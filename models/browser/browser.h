// The browser model: loads one page. Each resource is an absolute URL; its request goes to the
// ConnectionPool of the URL's origin, made by the factory the browser is given (one origin
// today: every path of the scenario is on ScenarioOrigin()).
//
// It discovers each sub-resource when its parent has delivered the bytes that reference it
// (discover_at) plus the parent's process_ms, requests what it does not hold in its cache,
// uses pushed responses, acts on 103 Early Hints and Link: rel=preload, and records a
// timeline per resource. Sans-I/O: the network arrives through ResponseSink calls, time
// through the EventLoop.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/core/event_loop.h"
#include "models/http/http_client.h"
#include "models/page/scenario.h"
#include "models/page/url.h"

namespace waterfall {

enum class ResourceStatus {
  kPending,   // not settled yet
  kComplete,  // the whole response arrived (or the cache held it)
  kReset,     // the response was cut off: RST_STREAM, GOAWAY, connection closed, parse error
  kTimeout,   // still pending when the run hit client.timeout_ms
  kBlocked,   // never discovered: its parent (or an ancestor) was reset before referencing it
};
const char* ToString(ResourceStatus status);

// The phases of a fetch (README, "Results"): queued [queued_ms, connect_start_ms or request_ms),
// connect [connect_start_ms, connect_end_ms), wait [request_ms, first_byte_ms), download
// [first_byte_ms, complete_ms]. DNS and TLS phases will slot in around connect as dns_* / tls_*.
struct ResourceTiming {
  // The resource, copied from the scenario: a result outlives the Scenario it was run from.
  Url url;
  ResourceType type = ResourceType::kOther;
  uint64_t size_bytes = 0;
  bool render_blocking = false;  // as the scenario says (the document is so regardless)
  std::optional<Url> parent;     // none for the document

  std::optional<double> discovered_ms;  // the parser found the reference (or navigation began)
  // The browser asked its HTTP stack for it: at discovery, or earlier for a 103 hint or a
  // Link: rel=preload; for a push, when the PUSH_PROMISE arrived. Null for a cache hit.
  std::optional<double> queued_ms;
  // The TCP handshake the request waited for (the part of it after queued_ms), when it was
  // sent on a connection opened while it waited; null when it went out on a connection that
  // was already up.
  std::optional<double> connect_start_ms;
  std::optional<double> connect_end_ms;
  // The request's bytes were handed to a connection that is up (never before connect_end_ms);
  // for a push, when the PUSH_PROMISE arrived.
  std::optional<double> request_ms;
  std::optional<double> first_byte_ms;  // final response headers
  std::optional<double> complete_ms;
  StreamRef where;
  Initiator initiator = Initiator::kNone;
  bool pushed = false;
  bool from_cache = false;
  uint64_t body_bytes = 0;
  ResourceStatus status = ResourceStatus::kPending;

  // When the page can use it: complete and discovered (a push may finish before discovery).
  std::optional<double> ReadyMs() const;
};

struct PageMetrics {
  std::optional<double> ttfb_ms;
  std::optional<double> start_render_ms;
  std::optional<double> page_load_ms;
  uint64_t requests = 0;
  uint64_t bytes_pushed = 0;  // body bytes on pushed streams, used or not
  uint64_t bytes_wasted = 0;  // pushed body bytes of refused (cached) or unused pushes
};

struct BrowserPolicy {
  bool act_on_early_hints = true;  // Chrome: only over HTTP/2 (and HTTP/3)
};

class Browser : public ResponseSink {
 public:
  // pools makes the pool of each origin the page requests from (the first time it does), with
  // this browser as its sink. scenario and loop must outlive the browser.
  Browser(const Scenario& scenario, const BrowserPolicy& policy, EventLoop& loop,
          ConnectionPoolFactory pools);
  void SetPageSettledListener(std::function<void()> fn) { on_settled_ = std::move(fn); }

  // The page's origin: the document's.
  const OriginKey& origin() const { return timings_.front().url.origin; }
  // Has origin's pool open a connection now, before anything is requested (a warm start).
  void Preconnect(const OriginKey& origin) { Pool(origin).Preconnect(); }
  // Navigation start: discovers (and so requests) the document.
  void Navigate();
  // Every resource is complete, cached, reset or blocked: nothing more will happen to the page.
  bool Settled() const { return unsettled_ == 0 && undiscovered_ == 0; }
  // Marks what never finished as timed out and counts unused pushes as waste.
  void Finish();

  const std::vector<ResourceTiming>& timings() const { return timings_; }
  PageMetrics Metrics() const;

  // The transport started connection's TCP handshake / finished it. Connections the browser
  // did not see being opened (a warm connection, up before navigation) have no handshake.
  void OnConnectStart(int connection);
  void OnConnectEnd(int connection);

  // ResponseSink
  void OnRequestSent(const Url& url, StreamRef where, bool waited_for_connection) override;
  void OnInterimResponse(const Url& url, int status,
                         const std::vector<std::string>& preload) override;
  void OnResponseHeaders(const Url& url, int status,
                         const std::vector<std::string>& preload) override;
  void OnResponseData(const Url& url, uint64_t body_bytes) override;
  void OnResponseComplete(const Url& url) override;
  void OnResponseReset(const Url& url) override;
  bool OnPushPromise(const Url& url, StreamRef where) override;
  void OnWastedPushBytes(uint64_t bytes) override { wasted_push_bytes_ += bytes; }

 private:
  ResourceTiming* Lookup(const Url& url);
  // origin's pool, made on first use.
  ConnectionPool& Pool(const OriginKey& origin);
  size_t IndexOf(const ResourceTiming& t) const { return &t - timings_.data(); }
  void Discover(size_t index);
  // Marks one resource discovered and requests it (or takes it from the cache); false if it
  // was already discovered or is blocked.
  bool MarkDiscovered(size_t index);
  void Fetch(ResourceTiming& t, Initiator why);
  // Requests the references (Link: rel=preload targets) of base's response.
  void Preload(const Url& base, const std::vector<std::string>& references, Initiator why);
  // Discovers the children whose reference has arrived; each after the parent's process_ms.
  void ReleaseChildren(size_t index);
  // The next child of index whose reference has arrived, if any; a child behind the parent's
  // process_ms is scheduled for later instead, and the search goes on.
  std::optional<size_t> NextReleasedChild(size_t index);
  bool IsCached(size_t index) const { return cached_[index]; }
  // Bytes of t the parser can read now, or -1 before its response has started.
  int64_t ParsableBytes(const ResourceTiming& t) const;
  void Settle(ResourceTiming& t, ResourceStatus status);
  // t was reset: the children it had not referenced yet, and their subtrees, will never be
  // discovered. Those not already requested (pushed, hinted, preloaded) settle as blocked.
  void BlockUnreferencedChildren(size_t index);
  void NotifyIfSettled();

  const Scenario& scenario_;
  BrowserPolicy policy_;
  EventLoop& loop_;
  ConnectionPoolFactory make_pool_;
  std::map<OriginKey, std::unique_ptr<ConnectionPool>> pools_;
  std::vector<ResourceTiming> timings_;
  std::unordered_map<Url, size_t> index_;
  std::vector<std::vector<size_t>> children_;  // by discovery threshold
  std::vector<size_t> next_child_;
  std::vector<bool> requested_;
  std::vector<bool> blocked_;  // will never be discovered
  std::vector<bool> cached_;   // client.cache, by index (a lookup per URL was linear)
  struct Handshake {
    std::optional<double> start_ms, end_ms;
  };
  std::vector<Handshake> handshakes_;  // by connection
  size_t unsettled_ = 0;
  size_t undiscovered_ = 0;
  bool seen_early_hints_ = false;
  uint64_t requests_ = 0;
  uint64_t wasted_push_bytes_ = 0;
  std::function<void()> on_settled_;
};

}  // namespace waterfall
