// The browser model: loads one page. Each resource is an absolute URL; its request goes to the
// ConnectionPool of the URL's origin, made by the factory the browser is given (one origin
// today: every path of the scenario is on ScenarioOrigin()).
//
// It discovers each sub-resource when its parent has delivered the bytes that reference it
// (discover_at) plus the parent's process_ms, requests what it does not hold in its cache,
// uses pushed responses, acts on 103 Early Hints and Link: rel=preload, and records a
// timeline per resource. Sans-I/O: the network arrives through ResponseSink calls, time
// through the EventLoop.
//
// As Chrome does (docs/scenario-format.md "Parsing"): each request carries Blink's priority
// (resource_priority.h) and goes through the page's ResourceScheduler (HTTP/1.1 delayable
// requests); the document's parser stops at a blocking script until it has been fetched and
// executed, while the preload scanner fetches the references behind it; scripts execute one at
// a time on the main thread (their process_ms); deferred scripts run after parsing, before
// DOMContentLoaded.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/browser/resource_scheduler.h"
#include "models/core/event_loop.h"
#include "models/http/http_client.h"
#include "models/page/scenario.h"
#include "models/page/url.h"

namespace waterfall {

enum class ResourceStatus {
  kPending,    // not settled yet
  kComplete,   // the whole response arrived (or the cache held it)
  kReset,      // the response was cut off: RST_STREAM, GOAWAY, connection closed, parse error
  kTimeout,    // still pending when the run hit client.timeout_ms
  kBlocked,    // never discovered: its parent (or an ancestor) was reset before referencing it
  kTlsFailed,  // its origin's TLS handshake failed (ResourceTiming::tls_error says why)
};
const char* ToString(ResourceStatus status);

// The phases of a fetch (README, "Results"): queued [queued_ms, dns_start_ms, connect_start_ms
// or request_ms), dns [dns_start_ms, dns_end_ms), connect [connect_start_ms, connect_end_ms),
// tls [tls_start_ms, tls_end_ms) (https), wait [request_ms, first_byte_ms), download
// [first_byte_ms, complete_ms]. With TLS 1.3 0-RTT the request goes before tls_end_ms.
//
// A preconnect row (ResourceType::kPreconnect) is never requested: its queued_ms is when the
// browser asked for the connection, its dns and connect phases are those of the connection it
// opened (none when its origin had one already), and complete_ms is when that connection was
// up (the moment it was asked, when there was nothing to open).
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
  // The DNS lookup the request's connection waited for (the part of it after queued_ms); null
  // when the host was resolved already, or the request did not wait for a new connection.
  std::optional<double> dns_start_ms;
  std::optional<double> dns_end_ms;
  // The TCP handshake the request waited for (the part of it after queued_ms), when it was
  // sent on a connection opened while it waited; null when it went out on a connection that
  // was already up.
  std::optional<double> connect_start_ms;
  std::optional<double> connect_end_ms;
  // The TLS handshake on that connection (https): from the end of the TCP handshake to when the
  // client may send (its Finished sent; with TLS 1.2 False Start, before the server's).
  std::optional<double> tls_start_ms;
  std::optional<double> tls_end_ms;
  // The request's bytes were handed to a connection that is up (never before connect_end_ms);
  // for a push, when the PUSH_PROMISE arrived.
  std::optional<double> request_ms;
  std::optional<double> first_byte_ms;  // final response headers
  std::optional<double> complete_ms;
  StreamRef where;
  Initiator initiator = Initiator::kNone;
  // Blink's priority for the request (models/browser/resource_priority.h); unset for what was
  // never requested (cache hits, pushes, blocked resources).
  std::optional<LoadPriority> priority;
  bool pushed = false;
  bool from_cache = false;
  uint64_t body_bytes = 0;
  ResourceStatus status = ResourceStatus::kPending;
  std::string tls_error;    // kTlsFailed: why ("certificate untrusted-root", ...)
  int response_status = 0;  // of the final response (200, 404, ...); 0 before one arrived
  // Only when Browser::RecordHeaderFields(true) (a HAR export): the header fields as sent on
  // the wire (a push's from its PUSH_PROMISE) and as received with the final response, and
  // that response's HTTP/1.1 reason phrase ("" over HTTP/2).
  HeaderFields request_headers;
  HeaderFields response_headers;
  std::string response_status_text;

  // When the page can use it: complete and discovered (a push may finish before discovery).
  std::optional<double> ReadyMs() const;
};

// A connection opened ahead of any request to its origin: by a <link rel=preconnect> (a
// preconnect row), or by a Link: rel=preconnect header on a 103 or on the document's 200.
struct PreconnectTiming {
  OriginKey origin;
  Initiator initiator = Initiator::kNone;  // kParser (a row), kEarlyHints (103), kPreload (200)
  double queued_ms = 0;
  int connection = -1;  // the connection it opened; -1: the origin had one already
  std::optional<double> dns_start_ms, dns_end_ms, connect_start_ms, connect_end_ms;
  std::optional<double> tls_start_ms, tls_end_ms;
};

struct PageMetrics {
  std::optional<double> ttfb_ms;
  // First paint: the document, its render-blocking stylesheets and the blocking scripts of its
  // head are ready and executed, plus client.paint_ms. WebPageTest's "start render".
  std::optional<double> start_render_ms;
  // The HTML is parsed, its blocking and deferred scripts executed (DOMContentLoaded).
  std::optional<double> dom_content_loaded_ms;
  // The largest contentful paint: the `lcp` resource (or the document's largest image) is
  // ready and painted, and not before the first paint.
  std::optional<double> largest_contentful_ms;
  // The load event: every resource ready, every script executed, plus client.load_event_ms.
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
  // Keep every request's and response's header fields in its ResourceTiming (for a HAR
  // export); off by default: a big page's headers cost memory nobody else reads.
  void RecordHeaderFields(bool on) { record_header_fields_ = on; }

  // The page's origin: the document's.
  const OriginKey& origin() const { return timings_.front().url.origin; }
  // Has origin's pool open a connection now, before anything is requested (a warm start).
  void Preconnect(const OriginKey& origin) { Pool(origin).Preconnect(); }
  // Preconnects the page made during the load, in the order made.
  const std::vector<PreconnectTiming>& preconnects() const { return preconnects_; }
  // Navigation start: discovers (and so requests) the document.
  void Navigate();
  // Every resource is complete, cached, reset or blocked, and every script that will run has
  // run: nothing more will happen to the page.
  bool Settled() const { return unsettled_ == 0 && undiscovered_ == 0 && executions_pending_ == 0; }
  // Marks what never finished as timed out and counts unused pushes as waste.
  void Finish();

  const std::vector<ResourceTiming>& timings() const { return timings_; }
  PageMetrics Metrics() const;

  // The transport's progress on a connection, from the opener: it was opened for origin (in
  // ConnectionOpener::Open, before any other call for it), its host's DNS lookup began / ended
  // (a lookup it waited for: none when the host was resolved already), its TCP handshake began
  // / ended. Connections the browser did not see being opened (a warm connection, up before
  // navigation) have no phases.
  void OnConnectionOpened(int connection, const OriginKey& origin);
  void OnDnsStart(int connection);
  void OnDnsEnd(int connection);
  void OnConnectStart(int connection);
  void OnConnectEnd(int connection);
  // An https connection's TLS handshake began (after the TCP handshake) / let the client send.
  void OnTlsStart(int connection);
  void OnTlsEnd(int connection);
  // It failed: every resource of its server node not yet complete settles as kTlsFailed with
  // reason, and so does every later request to it (a browser does not retry a certificate or
  // protocol error: Chrome fails the request with a net::ERR_ code).
  void OnTlsFailed(int connection, const OriginKey& origin, const std::string& reason);

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
  void OnPreconnectLinks(const Url& url, int status,
                         const std::vector<std::string>& origins) override;
  void OnWastedPushBytes(uint64_t bytes) override { wasted_push_bytes_ += bytes; }
  bool WantsHeaderFields() const override { return record_header_fields_; }
  void OnRequestHeaderFields(const Url& url, const HeaderFields& fields) override;
  void OnResponseHeaderFields(const Url& url, const std::string& status_text,
                              const HeaderFields& fields) override;

 private:
  ResourceTiming* Lookup(const Url& url);
  // origin's pool, made on first use.
  ConnectionPool& Pool(const OriginKey& origin);
  size_t IndexOf(const ResourceTiming& t) const { return &t - timings_.data(); }
  void Discover(size_t index);
  // Marks one resource discovered and requests it (or takes it from the cache); false if it
  // was already discovered or is blocked.
  bool MarkDiscovered(size_t index);
  // Makes the request for t (queued_ms now, Blink's priority), and dispatch_ms later hands it
  // to the scheduler, which starts it (StartRequest) on its origin's pool.
  void Fetch(ResourceTiming& t, Initiator why);
  void Dispatch(size_t index);
  void StartRequest(size_t index);
  // Asks origin's pool for a connection ahead of requests; row: the preconnect row that asked.
  void PreconnectTo(const OriginKey& origin, Initiator why, std::optional<size_t> row);
  bool IsPreconnect(size_t index) const {
    return timings_[index].type == ResourceType::kPreconnect;
  }
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
  // All of t is here: its whole response, or the cache's copy.
  static bool HaveWhole(const ResourceTiming& t);
  // The bytes of child's parent that reference it have arrived.
  bool ReferenceArrived(size_t child) const;
  void Settle(ResourceTiming& t, ResourceStatus status);
  // t was reset: the children it had not referenced yet, and their subtrees, will never be
  // discovered. Those not already requested (pushed, hinted, preloaded) settle as blocked.
  void BlockUnreferencedChildren(size_t index);
  void NotifyIfSettled();

  // Parsing and the main thread.
  bool IsScript(size_t index) const { return timings_[index].type == ResourceType::kScript; }
  // A <script> of the document, not async or defer, that stops the parser: Resource::blocking.
  bool IsParserBlocking(size_t index) const;
  uint64_t Threshold(size_t child) const;  // bytes of its parent before its reference
  // The preload scanner: fetches the document's references that have arrived behind the
  // script the parser waits for.
  void ScanAhead();
  // Runs script index on the main thread if it may run now (complete, reached by the parser,
  // the stylesheets before it ready; a deferred one after parsing and the deferred before it).
  // Children are released by the caller (a script that ran at once has released none).
  void TryExecute(size_t index);
  // TryExecute, then releases the children of a script that ran at once.
  void RunIfReady(size_t index);
  void FinishScript(size_t index);
  // Script index has run (or failed to load: it will never run): the parser goes on past it,
  // the next deferred script may run.
  void AfterScript(size_t index);
  // Where the parser is: it may have left the head (ResourceScheduler::OnBodyReached), or
  // finished the document (then the deferred scripts, then DOMContentLoaded).
  void NoteParserProgress();
  bool ParseFinished() const;

  const Scenario& scenario_;
  BrowserPolicy policy_;
  EventLoop& loop_;
  ConnectionPoolFactory make_pool_;
  std::map<OriginKey, std::unique_ptr<ConnectionPool>> pools_;
  std::vector<ResourceTiming> timings_;
  std::unordered_map<Url, size_t> index_;
  std::vector<std::vector<size_t>> children_;  // by discovery threshold
  std::vector<size_t> parent_of_;  // index of each resource's parent (0: the document's)
  std::vector<size_t> next_child_;
  std::vector<bool> requested_;
  std::vector<bool> blocked_;  // will never be discovered
  std::vector<bool> cached_;   // client.cache, by index (a lookup per URL was linear)
  struct Phase {
    std::optional<double> start_ms, end_ms;
  };
  struct ConnectionPhases {
    Phase dns, connect, tls;
    bool uses_tls = false;  // an https origin's: up once its TLS handshake is
    OriginKey origin;
    std::optional<size_t> preconnect;  // index into preconnects_ of the preconnect that opened it
    std::vector<size_t> early_data;    // resources whose request rode its ClientHello (0-RTT)
  };
  ConnectionPhases& PhasesOf(int connection);
  // The connection can carry requests: what a preconnect that opened it cost is known.
  void OnConnectionUp(ConnectionPhases& c);
  // Settles t as kTlsFailed (and blocks what it would have referenced); a preconnect row is
  // complete, its connection never up.
  void FailTls(ResourceTiming& t, const std::string& reason);
  // The TLS failure of origin's server node, if its handshake failed this page.
  const std::string* TlsFailureOf(const OriginKey& origin) const;
  std::map<OriginKey, std::string> tls_failures_;
  // What the page has requested from each origin (preconnect rows included), in order: what a
  // TLS failure of that origin's server settles.
  std::map<OriginKey, std::vector<size_t>> requested_from_;
  std::vector<ConnectionPhases> handshakes_;  // by connection
  std::vector<PreconnectTiming> preconnects_;
  std::vector<std::optional<size_t>> preconnect_row_;  // by preconnects_ index: its row, if any
  // Set while a pool's Preconnect runs: the preconnect that a connection opened now is for.
  std::optional<size_t> opening_preconnect_;
  size_t unsettled_ = 0;
  size_t undiscovered_ = 0;
  bool seen_early_hints_ = false;
  bool record_header_fields_ = false;
  uint64_t requests_ = 0;
  uint64_t wasted_push_bytes_ = 0;
  std::function<void()> on_settled_;

  // Requests: the priority each was made with, and whether the scheduler holds it.
  std::vector<Priority> priority_;
  std::vector<bool> scheduled_;
  std::unique_ptr<ResourceScheduler> scheduler_;
  bool image_requested_ = false;  // Blink's image_fetched_ (PriorityContext::after_image)
  // The document's parser: the blocking script it waits for; how far the preload scanner has
  // looked (an index into children_[0]); where the head ends.
  std::optional<size_t> parser_blocked_on_;
  size_t scanned_ = 0;
  uint64_t head_end_ = 0;
  bool body_reached_ = false;
  bool parse_finished_ = false;
  double last_document_release_ms_ = 0;  // the latest discovery a document reference scheduled
  double parse_recheck_ms_ = -1;         // when NoteParserProgress looks again
  // The main thread: scripts run one at a time, in the order they become runnable.
  double main_thread_free_ms_ = 0;
  std::vector<bool> executing_;  // started (or queued on the main thread), or done
  std::vector<bool> script_done_;
  std::vector<std::optional<double>> executed_ms_;  // when it finished running
  size_t executions_pending_ = 0;
  std::vector<size_t> deferred_;  // the document's defer scripts, in document order
  size_t next_deferred_ = 0;
  std::optional<double> dom_content_loaded_ms_;
};

}  // namespace waterfall
