#include "models/browser/browser.h"

#include <algorithm>

#include "models/browser/resource_priority.h"

namespace waterfall {

const char* ToString(ResourceStatus status) {
  switch (status) {
    case ResourceStatus::kPending:
      return "pending";
    case ResourceStatus::kComplete:
      return "complete";
    case ResourceStatus::kReset:
      return "reset";
    case ResourceStatus::kTimeout:
      return "timeout";
    case ResourceStatus::kTlsFailed:
      return "tls_failed";
    case ResourceStatus::kBlocked:
      return "blocked";
  }
  return "?";
}

std::optional<double> ResourceTiming::ReadyMs() const {
  if (!complete_ms || !discovered_ms) return std::nullopt;
  return std::max(*complete_ms, *discovered_ms);
}

Browser::Browser(const Scenario& scenario, const BrowserPolicy& policy, EventLoop& loop,
                 ConnectionPoolFactory pools)
    : scenario_(scenario), policy_(policy), loop_(loop), make_pool_(std::move(pools)) {
  const size_t n = scenario.resources.size();
  timings_.resize(n);
  children_.resize(n);
  next_child_.assign(n, 0);
  requested_.assign(n, false);
  blocked_.assign(n, false);
  cached_.assign(n, false);
  undiscovered_ = n;
  // Resources are canonical strings (a path on the document's origin): Scenario::UrlOf makes
  // them absolute. Preconnect rows are not fetched and stay out of the index (their "URL" is
  // an origin, which a resource at its "/" would share).
  for (size_t i = 0; i < n; ++i) {
    const Resource& r = scenario.resources[i];
    ResourceTiming& t = timings_[i];
    t.url = scenario.UrlOf(r.url);
    t.type = r.type;
    t.size_bytes = r.size_bytes;
    t.render_blocking = r.render_blocking;
    if (!r.parent.empty()) t.parent = scenario.UrlOf(r.parent);
    if (r.type != ResourceType::kPreconnect) {
      index_.emplace(t.url, i);
      ++unsettled_;  // the page is settled without waiting for its preconnects
    }
  }
  parent_of_.assign(n, 0);
  for (size_t i = 1; i < n; ++i) {
    parent_of_[i] = index_.at(*timings_[i].parent);
    children_[parent_of_[i]].push_back(i);
  }
  for (const std::string& url : scenario.client.cache) {
    if (auto it = index_.find(scenario.UrlOf(url)); it != index_.end()) {
      cached_[it->second] = true;
    }
  }
  for (size_t p = 0; p < n; ++p) {
    std::stable_sort(children_[p].begin(), children_[p].end(),
                     [&](size_t a, size_t b) { return Threshold(a) < Threshold(b); });
  }
  priority_.resize(n);
  scheduled_.assign(n, false);
  executing_.assign(n, false);
  script_done_.assign(n, false);
  executed_ms_.resize(n);
  scheduler_ = std::make_unique<ResourceScheduler>(ResourceScheduler::Limits{},
                                                   [this](size_t i) { StartRequest(i); });
  // The head: Resource::head_bytes, else up to the first image the document references.
  const Resource& document = scenario.resources.front();
  head_end_ = document.size_bytes;
  for (size_t c : children_[0]) {
    if (timings_[c].type == ResourceType::kImage) {
      head_end_ = Threshold(c);
      break;
    }
  }
  if (document.head_bytes) head_end_ = *document.head_bytes;
  for (size_t c : children_[0]) {
    if (IsScript(c) && scenario.resources[c].defer) deferred_.push_back(c);
  }
}

uint64_t Browser::Threshold(size_t child) const {
  const Resource& r = scenario_.resources[child];
  return r.discover_at_bytes.value_or(timings_[parent_of_[child]].size_bytes);
}

bool Browser::IsParserBlocking(size_t index) const {
  const Resource& r = scenario_.resources[index];
  return IsScript(index) && r.blocking && !r.async && !r.defer && index != 0 &&
         parent_of_[index] == 0;
}

ResourceTiming* Browser::Lookup(const Url& url) {
  auto it = index_.find(url);
  return it == index_.end() ? nullptr : &timings_[it->second];
}

ConnectionPool& Browser::Pool(const OriginKey& origin) {
  std::unique_ptr<ConnectionPool>& pool = pools_[origin];
  if (!pool) pool = make_pool_(origin, *this);
  return *pool;
}

void Browser::Navigate() {
  // client.navigation_ms: the browser's own time before it asks for the document.
  if (scenario_.client.navigation_ms > 0) {
    loop_.After(scenario_.client.navigation_ms, [this] { Discover(0); });
  } else {
    Discover(0);
  }
}

void Browser::Discover(size_t index) {
  if (!MarkDiscovered(index)) return;
  // What each newly discovered resource references is released depth first, in the order a
  // recursion would take, but with an explicit stack: a page may be a 100000-deep chain of
  // cached resources, each releasing the next at once (recursion overflowed the stack).
  std::vector<size_t> stack = {index};
  while (!stack.empty()) {
    const std::optional<size_t> child = NextReleasedChild(stack.back());
    if (!child) {
      stack.pop_back();
    } else if (MarkDiscovered(*child)) {
      stack.push_back(*child);
    }
  }
  NotifyIfSettled();
}

bool Browser::MarkDiscovered(size_t index) {
  ResourceTiming& t = timings_[index];
  if (t.discovered_ms || blocked_[index]) return false;
  t.discovered_ms = loop_.NowMs();
  --undiscovered_;
  if (IsPreconnect(index)) {
    requested_[index] = true;
    t.initiator = Initiator::kParser;
    t.queued_ms = t.discovered_ms;
    PreconnectTo(t.url.origin, Initiator::kParser, index);
  } else if (IsCached(index) && !requested_[index]) {
    t.from_cache = true;
    t.complete_ms = t.discovered_ms;
    Settle(t, ResourceStatus::kComplete);
  } else {
    Fetch(t, Initiator::kParser);  // no-op when pushed, hinted or preloaded already
  }
  TryExecute(index);
  return true;
}

void Browser::Fetch(ResourceTiming& t, Initiator why) {
  size_t index = IndexOf(t);
  if (requested_[index]) return;
  requested_[index] = true;
  requested_from_[t.url.origin].push_back(index);
  t.initiator = why;
  t.queued_ms = loop_.NowMs();
  const Resource& r = scenario_.resources[index];
  PriorityContext context;
  context.speculative = why == Initiator::kPreloadScanner;
  context.after_image = image_requested_;
  t.priority = ChromeLoadPriority(r, context);
  priority_[index] = ChromeRequestPriority(r, context);
  if (r.type == ResourceType::kImage) image_requested_ = true;
  if (const std::string* failure = TlsFailureOf(t.url.origin)) {
    FailTls(t, *failure);  // the origin's server failed its handshake already this page
    return;
  }
  if (scenario_.client.dispatch_ms > 0) {
    loop_.After(scenario_.client.dispatch_ms, [this, index] { Dispatch(index); });
  } else {
    Dispatch(index);
  }
}

void Browser::Dispatch(size_t index) {
  ResourceTiming& t = timings_[index];
  if (t.status != ResourceStatus::kPending) return;  // its origin failed TLS meanwhile
  if (const std::string* failure = TlsFailureOf(t.url.origin)) {
    FailTls(t, *failure);
    return;
  }
  const bool exempt = Pool(t.url.origin).CarriesPriorities();
  scheduled_[index] = true;
  scheduler_->Add(index, t.url.origin.ToString(), priority_[index].level, exempt);
}

void Browser::StartRequest(size_t index) {
  const ResourceTiming& t = timings_[index];
  if (t.status != ResourceStatus::kPending) return;
  Request request;
  request.url = t.url;
  request.initiator = t.initiator;
  request.priority = priority_[index];
  Pool(t.url.origin).Fetch(request);
}

void Browser::PreconnectTo(const OriginKey& origin, Initiator why, std::optional<size_t> row) {
  const size_t p = preconnects_.size();
  PreconnectTiming pre;
  pre.origin = origin;
  pre.initiator = why;
  pre.queued_ms = loop_.NowMs();
  preconnects_.push_back(pre);
  preconnect_row_.push_back(row);
  if (row) requested_from_[origin].push_back(*row);
  if (const std::string* failure = TlsFailureOf(origin)) {
    if (row) FailTls(timings_[*row], *failure);  // its server failed a handshake already
    return;
  }
  opening_preconnect_ = p;
  Pool(origin).Preconnect();  // opens a connection only when the origin has none
  opening_preconnect_.reset();
  if (preconnects_[p].connection < 0 && row) {
    // Nothing to open: the origin was connected (or connecting) already.
    ResourceTiming& t = timings_[*row];
    t.complete_ms = loop_.NowMs();
    Settle(t, ResourceStatus::kComplete);
  }
}

void Browser::OnPreconnectLinks(const Url& url, int status,
                                const std::vector<std::string>& origins) {
  // Chrome acts on the Link headers of the document's responses: the first 103 (where it acts
  // on Early Hints at all; OnInterimResponse checks the same) and the final response.
  if (url != timings_.front().url) return;
  Initiator why = Initiator::kPreload;
  if (status == 103) {
    if (!policy_.act_on_early_hints || seen_early_hints_) return;
    why = Initiator::kEarlyHints;
  }
  for (const std::string& text : origins) {
    std::optional<OriginKey> origin = OriginKey::Parse(text);
    if (!origin) {
      if (std::optional<Url> u = Url::Resolve(url, text)) origin = u->origin;
    }
    if (origin) PreconnectTo(*origin, why, std::nullopt);
  }
}

void Browser::Preload(const Url& base, const std::vector<std::string>& references, Initiator why) {
  for (const std::string& reference : references) {
    const std::optional<Url> url = Url::Resolve(base, reference);
    ResourceTiming* t = url ? Lookup(*url) : nullptr;
    if (t == nullptr || t->discovered_ms || blocked_[IndexOf(*t)] || IsCached(IndexOf(*t))) {
      continue;
    }
    Fetch(*t, why);
  }
}

bool Browser::HaveWhole(const ResourceTiming& t) {
  return t.from_cache || t.status == ResourceStatus::kComplete;
}

bool Browser::ReferenceArrived(size_t child) const {
  const ResourceTiming& parent = timings_[parent_of_[child]];
  const uint64_t threshold = Threshold(child);
  // A reference at the very end (the default) needs the whole response: its last bytes and
  // the end of the message, which also frees an HTTP/1.1 connection for the child.
  if (threshold >= parent.size_bytes) return HaveWhole(parent);
  const int64_t parsable = ParsableBytes(parent);
  return parsable >= 0 && static_cast<uint64_t>(parsable) >= threshold;
}

int64_t Browser::ParsableBytes(const ResourceTiming& t) const {
  if (HaveWhole(t)) return static_cast<int64_t>(t.size_bytes);
  if (!t.first_byte_ms) return -1;
  return static_cast<int64_t>(t.body_bytes);
}

void Browser::ReleaseChildren(size_t index) {
  while (const std::optional<size_t> child = NextReleasedChild(index)) Discover(*child);
}

std::optional<size_t> Browser::NextReleasedChild(size_t index) {
  const ResourceTiming& parent = timings_[index];
  if (!parent.discovered_ms) return std::nullopt;  // a push not yet matched: not parsed yet
  const bool document = index == 0;
  if (document && parser_blocked_on_) {
    ScanAhead();
    NoteParserProgress();
    return std::nullopt;
  }
  // A script's references are what it inserts when it runs: all of them, once it has run.
  const bool script = IsScript(index);
  if (script && !script_done_[index]) return std::nullopt;
  const std::vector<size_t>& children = children_[index];
  size_t& next = next_child_[index];
  // A script's run was its process_ms; a parser's (HTML, CSS) time is spent per reference.
  const double delay =
      (script ? 0 : scenario_.resources[index].process_ms) + scenario_.client.discovery_ms;
  while (next < children.size()) {
    if (!script && !ReferenceArrived(children[next])) break;
    const size_t c = children[next++];
    if (document && IsParserBlocking(c)) parser_blocked_on_ = c;
    if (delay <= 0) return c;
    if (document) last_document_release_ms_ = loop_.NowMs() + delay;
    loop_.After(delay, [this, c] { Discover(c); });
    if (document && parser_blocked_on_) {
      ScanAhead();
      NoteParserProgress();
      return std::nullopt;
    }
  }
  if (document) NoteParserProgress();
  return std::nullopt;
}

void Browser::ScanAhead() {
  const std::vector<size_t>& children = children_[0];
  scanned_ = std::max(scanned_, next_child_[0]);
  while (scanned_ < children.size()) {
    const size_t c = children[scanned_];
    if (!ReferenceArrived(c)) break;
    ++scanned_;
    if (IsPreconnect(c) || IsCached(c) || requested_[c] || blocked_[c]) continue;
    auto fetch = [this, c] {
      if (!requested_[c] && !blocked_[c] && !timings_[c].discovered_ms) {
        Fetch(timings_[c], Initiator::kPreloadScanner);
      }
    };
    if (scenario_.client.discovery_ms > 0) {
      loop_.After(scenario_.client.discovery_ms, fetch);
    } else {
      fetch();
    }
  }
}

void Browser::TryExecute(size_t index) {
  if (!IsScript(index) || index == 0 || executing_[index]) return;
  const ResourceTiming& t = timings_[index];
  if (!t.discovered_ms || t.status != ResourceStatus::kComplete) return;
  const Resource& r = scenario_.resources[index];
  const bool in_document = parent_of_[index] == 0;
  if (IsParserBlocking(index)) {
    // Chrome runs a parser-blocking script only once the stylesheets before it have loaded
    // (HTML "script-blocking style sheets").
    for (size_t c : children_[0]) {
      if (c == index) break;
      if (timings_[c].type == ResourceType::kStyle && timings_[c].discovered_ms &&
          timings_[c].status == ResourceStatus::kPending) {
        return;
      }
    }
  } else if (in_document && r.defer) {
    if (!parse_finished_ || next_deferred_ >= deferred_.size() ||
        deferred_[next_deferred_] != index) {
      return;
    }
  }
  executing_[index] = true;
  ++executions_pending_;
  const double now = loop_.NowMs();
  const double start = std::max(now, main_thread_free_ms_);
  main_thread_free_ms_ = start + r.process_ms;
  if (main_thread_free_ms_ <= now) {  // runs now, in no time
    FinishScript(index);
    return;
  }
  loop_.After(main_thread_free_ms_ - now, [this, index] {
    FinishScript(index);
    ReleaseChildren(index);
    NotifyIfSettled();
  });
}

void Browser::RunIfReady(size_t index) {
  TryExecute(index);
  if (script_done_[index]) ReleaseChildren(index);
}

void Browser::FinishScript(size_t index) {
  executed_ms_[index] = loop_.NowMs();
  --executions_pending_;
  AfterScript(index);
}

void Browser::AfterScript(size_t index) {
  if (script_done_[index]) return;
  script_done_[index] = true;
  executing_[index] = true;  // a script that failed to load will never run
  if (parser_blocked_on_ == index) {
    parser_blocked_on_.reset();
    ReleaseChildren(0);
    NoteParserProgress();
  }
  if (next_deferred_ < deferred_.size() && deferred_[next_deferred_] == index) {
    ++next_deferred_;
    if (next_deferred_ < deferred_.size()) {
      RunIfReady(deferred_[next_deferred_]);
    } else {
      NoteParserProgress();
    }
  }
}

bool Browser::ParseFinished() const {
  return HaveWhole(timings_[0]) && !parser_blocked_on_ && next_child_[0] == children_[0].size() &&
         loop_.NowMs() >= last_document_release_ms_;
}

void Browser::NoteParserProgress() {
  if (!body_reached_) {
    // The parser is at the script it waits for, or at the end of what has arrived.
    const ResourceTiming& document = timings_[0];
    uint64_t position = 0;
    if (parser_blocked_on_) {
      position = Threshold(*parser_blocked_on_);
    } else if (HaveWhole(document)) {
      position = document.size_bytes + 1;
    } else if (ParsableBytes(document) > 0) {
      position = static_cast<uint64_t>(ParsableBytes(document));
    }
    if (position > head_end_ || (position == head_end_ && head_end_ < document.size_bytes)) {
      body_reached_ = true;
      scheduler_->OnBodyReached();
    }
  }
  if (!parse_finished_ && ParseFinished()) {
    parse_finished_ = true;
    if (next_deferred_ < deferred_.size()) RunIfReady(deferred_[next_deferred_]);
  }
  if (parse_finished_ && !dom_content_loaded_ms_ && next_deferred_ >= deferred_.size()) {
    dom_content_loaded_ms_ = loop_.NowMs();
  }
  if (!parse_finished_ && last_document_release_ms_ > loop_.NowMs() &&
      parse_recheck_ms_ != last_document_release_ms_) {
    // The last reference is still being processed: look again when it has been.
    parse_recheck_ms_ = last_document_release_ms_;
    loop_.After(last_document_release_ms_ - loop_.NowMs(), [this] { NoteParserProgress(); });
  }
}

void Browser::Settle(ResourceTiming& t, ResourceStatus status) {
  if (t.status != ResourceStatus::kPending) return;
  t.status = status;
  const size_t index = IndexOf(t);
  if (t.type != ResourceType::kPreconnect) --unsettled_;
  if (scheduled_[index]) {
    scheduled_[index] = false;
    scheduler_->Finished(index);
  }
  if (status != ResourceStatus::kComplete && IsScript(index) && index != 0) {
    AfterScript(index);  // a script that failed to load: the parser goes on without it
  }
  if (t.type == ResourceType::kStyle && parser_blocked_on_) RunIfReady(*parser_blocked_on_);
  NotifyIfSettled();
}

void Browser::NotifyIfSettled() {
  if (Settled() && on_settled_) {
    auto fn = std::move(on_settled_);  // once
    on_settled_ = nullptr;
    fn();
  }
}

Browser::ConnectionPhases& Browser::PhasesOf(int connection) {
  if (static_cast<size_t>(connection) >= handshakes_.size()) handshakes_.resize(connection + 1);
  return handshakes_[connection];
}

void Browser::OnConnectionOpened(int connection, const OriginKey& origin) {
  if (connection < 0) return;
  ConnectionPhases& phases = PhasesOf(connection);
  phases.origin = origin;
  const Origin* o = scenario_.FindOrigin(origin);
  phases.uses_tls = o != nullptr && o->UsesTls();
  if (!opening_preconnect_) return;
  PhasesOf(connection).preconnect = opening_preconnect_;
  preconnects_[*opening_preconnect_].connection = connection;
  if (const std::optional<size_t> row = preconnect_row_[*opening_preconnect_]) {
    timings_[*row].where.connection = connection;
  }
}

void Browser::OnDnsStart(int connection) {
  if (connection < 0) return;
  PhasesOf(connection).dns.start_ms = loop_.NowMs();
}

void Browser::OnDnsEnd(int connection) {
  if (connection < 0 || static_cast<size_t>(connection) >= handshakes_.size()) return;
  Phase& dns = handshakes_[connection].dns;
  if (dns.start_ms && !dns.end_ms) dns.end_ms = loop_.NowMs();
}

void Browser::OnConnectStart(int connection) {
  if (connection < 0) return;
  PhasesOf(connection).connect.start_ms = loop_.NowMs();
}

void Browser::OnConnectEnd(int connection) {
  if (connection < 0 || static_cast<size_t>(connection) >= handshakes_.size()) return;
  ConnectionPhases& c = handshakes_[connection];
  Phase& h = c.connect;
  if (!h.start_ms || h.end_ms) return;
  h.end_ms = loop_.NowMs();
  if (!c.uses_tls) OnConnectionUp(c);
}

void Browser::OnTlsStart(int connection) {
  if (connection < 0 || static_cast<size_t>(connection) >= handshakes_.size()) return;
  ConnectionPhases& c = handshakes_[connection];
  if (c.connect.start_ms) c.tls.start_ms = loop_.NowMs();  // a warm connection's is not the page's
}

void Browser::OnTlsEnd(int connection) {
  if (connection < 0 || static_cast<size_t>(connection) >= handshakes_.size()) return;
  ConnectionPhases& c = handshakes_[connection];
  if (!c.tls.start_ms || c.tls.end_ms) return;
  c.tls.end_ms = loop_.NowMs();
  // Requests that rode the ClientHello (0-RTT) learn when the handshake ended.
  for (size_t i : c.early_data) timings_[i].tls_end_ms = c.tls.end_ms;
  c.early_data.clear();
  OnConnectionUp(c);
}

void Browser::OnConnectionUp(ConnectionPhases& c) {
  if (!c.preconnect) return;
  // What the preconnect cost: its connection's lookup and handshakes.
  PreconnectTiming& pre = preconnects_[*c.preconnect];
  pre.dns_start_ms = c.dns.start_ms;
  pre.dns_end_ms = c.dns.end_ms;
  pre.connect_start_ms = c.connect.start_ms;
  pre.connect_end_ms = c.connect.end_ms;
  pre.tls_start_ms = c.tls.start_ms;
  pre.tls_end_ms = c.tls.end_ms;
  if (const std::optional<size_t> row = preconnect_row_[*c.preconnect]) {
    ResourceTiming& t = timings_[*row];
    t.dns_start_ms = c.dns.start_ms;
    t.dns_end_ms = c.dns.end_ms;
    t.connect_start_ms = c.connect.start_ms;
    t.connect_end_ms = c.connect.end_ms;
    t.tls_start_ms = c.tls.start_ms;
    t.tls_end_ms = c.tls.end_ms;
    t.complete_ms = loop_.NowMs();
    Settle(t, ResourceStatus::kComplete);
  }
}

const std::string* Browser::TlsFailureOf(const OriginKey& origin) const {
  auto it = tls_failures_.find(origin);
  return it == tls_failures_.end() ? nullptr : &it->second;
}

void Browser::FailTls(ResourceTiming& t, const std::string& reason) {
  if (t.status != ResourceStatus::kPending) return;
  t.tls_error = reason;
  if (t.type == ResourceType::kPreconnect) {
    t.complete_ms = loop_.NowMs();
    Settle(t, ResourceStatus::kTlsFailed);
    return;
  }
  Settle(t, ResourceStatus::kTlsFailed);
  BlockUnreferencedChildren(IndexOf(t));
}

void Browser::OnTlsFailed(int, const OriginKey& origin, const std::string& reason) {
  // The origins of its server node: one certificate, one TLS server (docs/scenario-format.md).
  const Origin* failed = scenario_.FindOrigin(origin);
  std::vector<OriginKey> now_failed;
  auto fail = [&](const OriginKey& key) {
    if (tls_failures_.emplace(key, reason).second) now_failed.push_back(key);
  };
  for (const Origin& o : scenario_.origins) {
    if (o.key == origin ||
        (failed != nullptr && !failed->address.empty() && o.address == failed->address)) {
      fail(o.key);
    }
  }
  fail(origin);
  // What was asked for from them settles now; what is not asked for yet fails when it is.
  for (const OriginKey& key : now_failed) {
    auto it = requested_from_.find(key);
    if (it == requested_from_.end()) continue;
    for (size_t i : it->second) FailTls(timings_[i], reason);
  }
  NotifyIfSettled();
}

void Browser::OnRequestSent(const Url& url, StreamRef where, bool waited_for_connection) {
  ResourceTiming* t = Lookup(url);
  if (t == nullptr) return;
  t->request_ms = loop_.NowMs();
  t->where = where;
  ++requests_;
  if (!waited_for_connection || where.connection < 0 ||
      static_cast<size_t>(where.connection) >= handshakes_.size()) {
    return;
  }
  const ConnectionPhases& c = handshakes_[where.connection];
  // A request that found a phase under way waited only for the rest of it.
  auto waited_from = [&](double start) {
    return t->queued_ms ? std::max(start, *t->queued_ms) : start;
  };
  const Phase& dns = c.dns;
  if (dns.start_ms && dns.end_ms && (!t->queued_ms || *t->queued_ms < *dns.end_ms)) {
    t->dns_start_ms = waited_from(*dns.start_ms);
    t->dns_end_ms = *dns.end_ms;
  }
  const Phase& h = c.connect;
  if (!h.start_ms || !h.end_ms) return;  // up before navigation (warm): nothing waited for
  // Over TLS a request may be queued after the TCP handshake, while the TLS one goes on: it
  // waited for the TLS handshake only.
  if (!t->queued_ms || *t->queued_ms < *h.end_ms) {
    t->connect_start_ms = waited_from(*h.start_ms);
    t->connect_end_ms = *h.end_ms;
  }
  if (c.tls.start_ms) {
    t->tls_start_ms = waited_from(*c.tls.start_ms);
    t->tls_end_ms = c.tls.end_ms;  // none yet: the request rode the ClientHello (0-RTT)
    if (!c.tls.end_ms) handshakes_[where.connection].early_data.push_back(IndexOf(*t));
  }
}

void Browser::OnInterimResponse(const Url& url, int status,
                                const std::vector<std::string>& preload) {
  // Chrome acts only on the first 103 of a navigation, and only for the document.
  if (status != 103 || !policy_.act_on_early_hints || seen_early_hints_) return;
  if (url != timings_.front().url) return;
  seen_early_hints_ = true;
  Preload(url, preload, Initiator::kEarlyHints);
}

void Browser::OnRequestHeaderFields(const Url& url, const HeaderFields& fields) {
  ResourceTiming* t = Lookup(url);
  if (t != nullptr && record_header_fields_) t->request_headers = fields;
}

void Browser::OnResponseHeaderFields(const Url& url, const std::string& status_text,
                                     const HeaderFields& fields) {
  ResourceTiming* t = Lookup(url);
  if (t == nullptr || !record_header_fields_) return;
  t->response_headers = fields;
  t->response_status_text = status_text;
}

void Browser::OnResponseHeaders(const Url& url, int status,
                                const std::vector<std::string>& preload) {
  ResourceTiming* t = Lookup(url);
  if (t == nullptr) return;
  t->first_byte_ms = loop_.NowMs();
  t->response_status = status;
  if (IndexOf(*t) == 0) Preload(url, preload, Initiator::kPreload);
  ReleaseChildren(IndexOf(*t));  // children at discover_at = 0
}

void Browser::OnResponseData(const Url& url, uint64_t body_bytes) {
  ResourceTiming* t = Lookup(url);
  if (t == nullptr) return;
  t->body_bytes += body_bytes;
  ReleaseChildren(IndexOf(*t));
}

void Browser::OnResponseComplete(const Url& url) {
  ResourceTiming* t = Lookup(url);
  if (t == nullptr || t->status != ResourceStatus::kPending) return;
  t->complete_ms = loop_.NowMs();
  Settle(*t, ResourceStatus::kComplete);
  TryExecute(IndexOf(*t));
  ReleaseChildren(IndexOf(*t));
}

void Browser::OnResponseReset(const Url& url) {
  ResourceTiming* t = Lookup(url);
  if (t == nullptr || t->status != ResourceStatus::kPending) return;
  Settle(*t, ResourceStatus::kReset);
  BlockUnreferencedChildren(IndexOf(*t));
  NotifyIfSettled();
}

void Browser::BlockUnreferencedChildren(size_t index) {
  // Iterative: a page may be a 100000-deep chain.
  std::vector<size_t> todo(children_[index].begin() + next_child_[index], children_[index].end());
  next_child_[index] = children_[index].size();
  while (!todo.empty()) {
    const size_t c = todo.back();
    todo.pop_back();
    if (blocked_[c] || timings_[c].discovered_ms) continue;
    blocked_[c] = true;
    --undiscovered_;
    if (!requested_[c]) Settle(timings_[c], ResourceStatus::kBlocked);
    todo.insert(todo.end(), children_[c].begin() + next_child_[c], children_[c].end());
    next_child_[c] = children_[c].size();
  }
}

bool Browser::OnPushPromise(const Url& url, StreamRef where) {
  ResourceTiming* t = Lookup(url);
  // Refuse what the cache holds (as browsers did) and what is already on its way.
  if (t == nullptr || IsCached(IndexOf(*t)) || requested_[IndexOf(*t)] || blocked_[IndexOf(*t)]) {
    return false;
  }
  requested_[IndexOf(*t)] = true;
  t->pushed = true;
  t->initiator = Initiator::kPush;
  t->queued_ms = loop_.NowMs();
  t->request_ms = t->queued_ms;
  t->where = where;
  return true;
}

void Browser::Finish() {
  for (ResourceTiming& t : timings_) {
    if (t.status == ResourceStatus::kPending) Settle(t, ResourceStatus::kTimeout);
  }
}

PageMetrics Browser::Metrics() const {
  PageMetrics m;
  m.requests = requests_;
  m.bytes_wasted = wasted_push_bytes_;
  m.bytes_pushed = wasted_push_bytes_;
  bool all_ready = true, render_ready = true;
  double page_load = 0, start_render = 0;
  // The largest contentful paint's element: the resource marked lcp, else the document's
  // largest image (the first of equals).
  std::optional<size_t> lcp;
  for (size_t i = 0; i < timings_.size(); ++i) {
    if (scenario_.resources[i].lcp) lcp = i;
  }
  for (size_t c : children_[0]) {
    if (lcp && scenario_.resources[*lcp].lcp) break;
    if (timings_[c].type == ResourceType::kImage &&
        (!lcp || timings_[c].size_bytes > timings_[*lcp].size_bytes)) {
      lcp = c;
    }
  }
  for (size_t i = 0; i < timings_.size(); ++i) {
    const ResourceTiming& t = timings_[i];
    if (t.type == ResourceType::kPreconnect) continue;  // onload does not wait for preconnects
    if (t.pushed) {
      m.bytes_pushed += t.body_bytes;
      if (!t.discovered_ms) m.bytes_wasted += t.body_bytes;  // pushed but never used
    }
    // What the first paint waits for: the document, render-blocking resources, and the
    // parser-blocking scripts of the head, run.
    const bool head_script = IsParserBlocking(i) && Threshold(i) <= head_end_;
    const bool blocking = i == 0 || t.render_blocking || head_script;
    std::optional<double> ready = t.ReadyMs();
    if (ready && IsScript(i) && i != 0) ready = executed_ms_[i];  // ready once it has run
    if (!ready) {
      all_ready = false;
      render_ready = render_ready && !blocking;
      continue;
    }
    page_load = std::max(page_load, *ready);
    if (blocking) start_render = std::max(start_render, *ready);
  }
  m.ttfb_ms = timings_.front().first_byte_ms;
  const ClientConfig& client = scenario_.client;
  if (render_ready) m.start_render_ms = start_render + client.paint_ms;
  m.dom_content_loaded_ms = dom_content_loaded_ms_;
  if (m.start_render_ms) {
    m.largest_contentful_ms = m.start_render_ms;
    if (lcp) {
      const std::optional<double> ready = timings_[*lcp].ReadyMs();
      m.largest_contentful_ms =
          ready ? std::optional<double>(std::max(*m.start_render_ms, *ready + client.paint_ms))
                : std::nullopt;
    }
  }
  if (all_ready && dom_content_loaded_ms_) {
    m.page_load_ms = std::max(page_load, *dom_content_loaded_ms_) + client.load_event_ms;
  }
  return m;
}

}  // namespace waterfall
