// Chrome's HTTP/1.1 request scheduling for one page (services/network/resource_scheduler/
// resource_scheduler.cc): requests below MEDIUM are "delayable"; at most 10 of them are in
// flight for the page and 6 per host, and while the document's head is being parsed and a
// layout-blocking request is in flight, at most one. Requests to a server whose protocol
// carries priorities (HTTP/2) are not scheduled here: they start at once. Queued requests start
// highest priority first, then in the order they were added. Sans-I/O: it only says when each
// request may go.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "models/http/request_priority.h"

namespace waterfall {

class ResourceScheduler {
 public:
  struct Limits {
    size_t delayable_per_page = 10;              // kDefaultMaxNumDelayableRequestsPerClient
    size_t delayable_per_host = 6;               // kMaxNumDelayableRequestsPerHostPerClient
    size_t delayable_while_layout_blocking = 1;  // kMaxNumDelayableWhileLayoutBlockingPerClient
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
  // (state: the implementation's)
};

}  // namespace waterfall
