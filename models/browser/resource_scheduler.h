// Chrome's HTTP/1.1 request scheduling for one page (services/network/resource_scheduler/
// resource_scheduler.cc): requests below MEDIUM are "delayable"; at most 10 of them are in
// flight for the page, and none while 6 requests of any kind are in flight to its host. In the
// layout-blocking phase (Chrome: while the parser has not reached <body> OR a request that was
// layout-blocking, above MEDIUM and made before <body>, is still loading), at most one
// delayable is in flight, and none while more than one non-delayable is. Requests to a server
// whose protocol carries priorities (HTTP/2) are never delayable: they start at once and take
// no delayable slot (they do count, as Chrome counts them, among the non-delayable in flight).
// Queued requests start highest priority first, then in the order they were added. Sans-I/O:
// it only says when each request may go.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "models/http/request_priority.h"

namespace waterfall {

class ResourceScheduler {
 public:
  struct Limits {
    size_t delayable_per_page = 10;              // kDefaultMaxNumDelayableRequestsPerClient
    size_t delayable_per_host = 6;               // kMaxNumDelayableRequestsPerHostPerClient
    size_t delayable_while_layout_blocking = 1;  // kMaxNumDelayableWhileLayoutBlockingPerClient
    // In the layout-blocking phase no delayable starts while more than this many non-delayable
    // requests are in flight (kInFlightNonDelayableRequestCountPerClientThreshold).
    size_t non_delayable_while_layout_blocking = 1;
  };
  // Called when request `id` may go to the network (inside Add, or later inside Finished or
  // OnBodyReached).
  using Start = std::function<void(size_t id)>;

  ResourceScheduler(const Limits& limits, Start start);

  // The browser wants to send request id (unique per page) to host ("scheme://host:port").
  // exempt: its server's protocol carries priorities.
  void Add(size_t id, const std::string& host, RequestPriority priority, bool exempt);
  // id's response ended (complete, reset, failed) or it will never be sent: its slot is free.
  void Finished(size_t id);
  // The parser reached the document's <body>: the layout-blocking phase is over.
  void OnBodyReached();

  size_t queued() const;
  size_t in_flight() const;

 private:
  struct Entry {
    size_t id = 0;
    std::string host;
    RequestPriority priority = RequestPriority::kLowest;
    bool exempt = false;
    bool delayable = false;
    bool layout_blocking = false;  // above MEDIUM and added before <body>
    bool in_flight = false;
    uint64_t order = 0;  // FIFO among equal priorities
  };
  struct QueueOrder {
    bool operator()(const Entry* a, const Entry* b) const;
  };
  // Chrome's ShouldStartReqResult: start it; leave it queued but look at the next (another host
  // may have room); leave it and everything after it queued.
  enum class Decision { kStart, kKeepSearching, kStopSearching };

  Decision ShouldStart(const Entry& e) const;
  void StartRequest(Entry& e);
  // Starts queued requests while the limits allow, highest priority first.
  void StartQueued();

  const Limits limits_;
  const Start start_;
  std::map<size_t, Entry> requests_;  // queued or in flight, by id
  std::set<Entry*, QueueOrder> queue_;
  std::map<std::string, size_t> in_flight_per_host_;
  size_t in_flight_ = 0;
  size_t in_flight_delayable_ = 0;
  size_t layout_blocking_ = 0;  // layout-blocking requests not yet finished
  bool body_reached_ = false;
  uint64_t next_order_ = 0;
};

}  // namespace waterfall
