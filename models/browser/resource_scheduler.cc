// Chrome's per-page request scheduling (services/network/resource_scheduler/resource_scheduler.cc,
// the version with OnWillInsertBody, e.g. Chromium 58-70): which requests go to the network now
// and which wait for a slot. See resource_scheduler.h.
#include "models/browser/resource_scheduler.h"

#include <utility>

namespace waterfall {

namespace {
// "The priority level below which resources are considered to be delayable."
// (resource_scheduler.cc: kDelayablePriorityThreshold = net::MEDIUM)
constexpr RequestPriority kDelayablePriorityThreshold = RequestPriority::kMedium;
// "The priority level above which resources are considered layout-blocking if the html_body
// has not started." (resource_scheduler.cc: kLayoutBlockingPriorityThreshold = net::MEDIUM)
constexpr RequestPriority kLayoutBlockingPriorityThreshold = RequestPriority::kMedium;
}  // namespace

bool ResourceScheduler::QueueOrder::operator()(const Entry* a, const Entry* b) const {
  // Highest priority first, then in the order added (Chrome's ScheduledResourceSorter with
  // intra_priority 0: priority, then fifo_ordering).
  if (a->priority != b->priority) return a->priority > b->priority;
  return a->order < b->order;
}

ResourceScheduler::ResourceScheduler(const Limits& limits, Start start)
    : limits_(limits), start_(std::move(start)) {}

void ResourceScheduler::Add(size_t id, const std::string& host, RequestPriority priority,
                            bool exempt) {
  if (requests_.count(id)) return;  // ids are unique per page: a second Add is ignored
  Entry& e = requests_[id];
  e.id = id;
  e.host = host;
  e.priority = priority;
  e.exempt = exempt;
  e.order = next_order_++;
  // Chrome's DetermineRequestAttributes: layout-blocking is decided first and regardless of
  // the server, so an exempt (HTTP/2) stylesheet in the head is layout-blocking too; only
  // requests to servers without priorities are delayable.
  e.layout_blocking = !body_reached_ && priority > kLayoutBlockingPriorityThreshold;
  e.delayable = !e.layout_blocking && !exempt && priority < kDelayablePriorityThreshold;
  if (e.layout_blocking) ++layout_blocking_;
  if (ShouldStart(e) == Decision::kStart) {
    StartRequest(e);
  } else {
    queue_.insert(&e);
  }
}

void ResourceScheduler::Finished(size_t id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  Entry& e = it->second;
  const bool was_in_flight = e.in_flight;
  if (was_in_flight) {
    --in_flight_;
    if (e.delayable) --in_flight_delayable_;
    --in_flight_per_host_[e.host];
  } else {
    queue_.erase(&e);  // never sent: dropped, it frees no slot
  }
  if (e.layout_blocking) --layout_blocking_;
  requests_.erase(it);
  // A layout-blocking request still queued cannot exist (it is never delayable), so only an
  // in-flight request's end frees anything.
  if (was_in_flight) StartQueued();
}

void ResourceScheduler::OnBodyReached() {
  if (body_reached_) return;
  body_reached_ = true;
  StartQueued();
}

size_t ResourceScheduler::queued() const { return queue_.size(); }

size_t ResourceScheduler::in_flight() const { return in_flight_; }

ResourceScheduler::Decision ResourceScheduler::ShouldStart(const Entry& e) const {
  // Requests to servers with priorities, and requests at MEDIUM or above, start at once.
  if (!e.delayable) return Decision::kStart;
  if (in_flight_delayable_ >= limits_.delayable_per_page) return Decision::kStopSearching;
  // Chrome counts every request in flight to the host here (ShouldKeepSearching /
  // ReachedMaxRequestsPerHostPerClient count in_flight_requests_ of the same HostPortPair),
  // delayable or not. Another host's request may still go: keep searching.
  auto host = in_flight_per_host_.find(e.host);
  if (host != in_flight_per_host_.end() && host->second >= limits_.delayable_per_host) {
    return Decision::kKeepSearching;
  }
  // The layout-blocking phase: the parser has not reached <body>, or a request that was
  // layout-blocking is still loading (Chrome: !has_html_body_ || total_layout_blocking_count_).
  if (!body_reached_ || layout_blocking_ > 0) {
    const size_t non_delayable = in_flight_ - in_flight_delayable_;
    if (non_delayable > limits_.non_delayable_while_layout_blocking) {
      return Decision::kStopSearching;
    }
    if (in_flight_ > 0 && in_flight_delayable_ >= limits_.delayable_while_layout_blocking) {
      return Decision::kStopSearching;
    }
  }
  return Decision::kStart;
}

void ResourceScheduler::StartRequest(Entry& e) {
  e.in_flight = true;
  ++in_flight_;
  if (e.delayable) ++in_flight_delayable_;
  ++in_flight_per_host_[e.host];
  // Last: start_ may call back into the scheduler (Add, Finished).
  start_(e.id);
}

void ResourceScheduler::StartQueued() {
  // Chrome's LoadAnyStartablePendingRequests: from the highest priority down; after each start,
  // from the top again (starting may have changed the queue through a callback).
  auto it = queue_.begin();
  while (it != queue_.end()) {
    Entry& e = **it;
    const Decision decision = ShouldStart(e);
    if (decision == Decision::kStopSearching) return;
    if (decision == Decision::kKeepSearching) {
      ++it;
      continue;
    }
    queue_.erase(it);
    StartRequest(e);
    it = queue_.begin();
  }
}

}  // namespace waterfall
