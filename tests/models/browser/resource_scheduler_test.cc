// ResourceScheduler: Chrome's per-page limits on delayable requests (10 per page, 6 per host,
// 1 in the layout-blocking phase), the order queued requests start in, OnBodyReached, exempt
// (HTTP/2) requests and Finished of a request that never started. No network: the test records
// the ids the scheduler starts.
#include "models/browser/resource_scheduler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace waterfall {
namespace {

constexpr const char* kHost = "http://a.test:80";
constexpr const char* kOtherHost = "http://b.test:80";

class ResourceSchedulerTest : public ::testing::Test {
 protected:
  ResourceSchedulerTest() : scheduler_({}, [this](size_t id) { started_.push_back(id); }) {}

  // Past the layout-blocking phase: only the 10/6 limits apply.
  void LeaveHead() { scheduler_.OnBodyReached(); }
  bool Started(size_t id) const {
    for (size_t s : started_) {
      if (s == id) return true;
    }
    return false;
  }

  std::vector<size_t> started_;
  ResourceScheduler scheduler_;
};

TEST_F(ResourceSchedulerTest, TenDelayablePerPage) {
  LeaveHead();
  // 12 LOWEST images over three hosts (4 each, under the per-host 6): the 10 page-wide slots
  // take ids 0..9 in the order added; 10 and 11 wait.
  const char* hosts[] = {"http://a.test:80", "http://b.test:80", "http://c.test:80"};
  for (size_t id = 0; id < 12; ++id) {
    scheduler_.Add(id, hosts[id % 3], RequestPriority::kLowest, false);
  }
  EXPECT_EQ(started_.size(), 10u);
  EXPECT_EQ(scheduler_.in_flight(), 10u);
  EXPECT_EQ(scheduler_.queued(), 2u);
  EXPECT_FALSE(Started(10));
  // One finishes: one slot, the first queued (10) takes it; 11 still waits.
  scheduler_.Finished(3);
  EXPECT_EQ(started_.size(), 11u);
  EXPECT_EQ(started_.back(), 10u);
  EXPECT_EQ(scheduler_.queued(), 1u);
}

TEST_F(ResourceSchedulerTest, SixPerHostAndOtherHostsKeepGoing) {
  LeaveHead();
  // 8 LOW requests to one host: 6 go (per-host limit), 2 wait.
  for (size_t id = 0; id < 8; ++id) scheduler_.Add(id, kHost, RequestPriority::kLow, false);
  EXPECT_EQ(started_.size(), 6u);
  // A request to another host is not held up by the full host (Chrome keeps searching past a
  // request blocked only by its host): 7 in flight.
  scheduler_.Add(8, kOtherHost, RequestPriority::kLow, false);
  EXPECT_TRUE(Started(8));
  EXPECT_EQ(scheduler_.in_flight(), 7u);
  // The other host finishing frees nothing for kHost: still 6 of its requests in flight.
  scheduler_.Finished(8);
  EXPECT_EQ(started_.size(), 7u);
  EXPECT_EQ(scheduler_.queued(), 2u);
  // One of kHost's finishing lets the first queued one (6) go.
  scheduler_.Finished(0);
  EXPECT_EQ(started_.back(), 6u);
}

TEST_F(ResourceSchedulerTest, NonDelayableCountsTowardTheHostsSix) {
  LeaveHead();
  // Chrome counts every in-flight request to the host against the 6: 6 MEDIUM scripts (not
  // delayable, they start at once) fill kHost, so a LOWEST image to it waits.
  for (size_t id = 0; id < 6; ++id) scheduler_.Add(id, kHost, RequestPriority::kMedium, false);
  EXPECT_EQ(started_.size(), 6u);
  scheduler_.Add(6, kHost, RequestPriority::kLowest, false);
  EXPECT_FALSE(Started(6));
  // A seventh MEDIUM is not delayable: it starts although the host has 6 in flight.
  scheduler_.Add(7, kHost, RequestPriority::kMedium, false);
  EXPECT_TRUE(Started(7));
  // Two finish (7 -> 5 in flight to kHost): now the image goes.
  scheduler_.Finished(0);
  EXPECT_FALSE(Started(6));  // 6 still in flight to kHost (1..5 and 7)
  scheduler_.Finished(1);
  EXPECT_TRUE(Started(6));
}

TEST_F(ResourceSchedulerTest, QueuedStartInPriorityOrderThenFifo) {
  LeaveHead();
  // Fill the host's 6 with IDLE requests 0..5, then queue IDLE 6, LOWEST 7, LOW 8, LOWEST 9.
  for (size_t id = 0; id < 6; ++id) scheduler_.Add(id, kHost, RequestPriority::kIdle, false);
  scheduler_.Add(6, kHost, RequestPriority::kIdle, false);
  scheduler_.Add(7, kHost, RequestPriority::kLowest, false);
  scheduler_.Add(8, kHost, RequestPriority::kLow, false);
  scheduler_.Add(9, kHost, RequestPriority::kLowest, false);
  EXPECT_EQ(scheduler_.queued(), 4u);
  // Each finish frees one slot: LOW 8 first, then the LOWESTs in the order added (7, then 9),
  // then IDLE 6 (added first, but lowest).
  const std::vector<size_t> expected = {8, 7, 9, 6};
  for (size_t i = 0; i < expected.size(); ++i) {
    scheduler_.Finished(i);
    EXPECT_EQ(started_.back(), expected[i]) << "slot freed by request " << i;
  }
  EXPECT_EQ(scheduler_.queued(), 0u);
}

TEST_F(ResourceSchedulerTest, OneDelayableWhileInTheHead) {
  // In the head (no OnBodyReached yet): the HTML's first stylesheet is HIGHEST, so it is
  // layout-blocking, and starts at once.
  scheduler_.Add(0, kHost, RequestPriority::kHighest, false);
  EXPECT_TRUE(Started(0));
  // One delayable may go beside one non-delayable: image 1 starts.
  scheduler_.Add(1, kHost, RequestPriority::kLowest, false);
  EXPECT_TRUE(Started(1));
  // A second image waits: one delayable is in flight already (limit 1), though the host and the
  // page have room.
  scheduler_.Add(2, kOtherHost, RequestPriority::kLowest, false);
  EXPECT_FALSE(Started(2));
  // Image 1 finishing frees the one slot: image 2 goes.
  scheduler_.Finished(1);
  EXPECT_TRUE(Started(2));
}

TEST_F(ResourceSchedulerTest, NoDelayableWhileTwoNonDelayableInTheHead) {
  // Two HIGHEST stylesheets in flight (non-delayable count 2 > 1): no delayable starts, not even
  // the first one.
  scheduler_.Add(0, kHost, RequestPriority::kHighest, false);
  scheduler_.Add(1, kHost, RequestPriority::kHighest, false);
  scheduler_.Add(2, kHost, RequestPriority::kLowest, false);
  EXPECT_FALSE(Started(2));
  // One stylesheet done: one non-delayable in flight, no delayable: image 2 goes.
  scheduler_.Finished(0);
  EXPECT_TRUE(Started(2));
}

TEST_F(ResourceSchedulerTest, OnBodyReachedReleasesDelayable) {
  // In the head with nothing layout-blocking: a MEDIUM script (not delayable, not
  // layout-blocking: only above MEDIUM is) and three images: the first image goes (one
  // delayable), the others wait.
  scheduler_.Add(0, kHost, RequestPriority::kMedium, false);
  for (size_t id = 1; id <= 3; ++id) scheduler_.Add(id, kHost, RequestPriority::kLowest, false);
  EXPECT_EQ(started_.size(), 2u);
  EXPECT_EQ(scheduler_.queued(), 2u);
  // <body>: no layout-blocking request is loading, so the phase is over: both queued images go
  // (3 delayable now, under 10 and the host's 6 with the script: 4).
  scheduler_.OnBodyReached();
  EXPECT_EQ(started_.size(), 4u);
  EXPECT_EQ(scheduler_.queued(), 0u);
}

TEST_F(ResourceSchedulerTest, LayoutBlockingRequestKeepsThePhaseAfterBody) {
  // A HIGHEST stylesheet made in the head is layout-blocking until it finishes, also after
  // <body> (Chrome: !has_html_body_ || total_layout_blocking_count_ != 0).
  scheduler_.Add(0, kHost, RequestPriority::kHighest, false);
  scheduler_.Add(1, kHost, RequestPriority::kLowest, false);
  scheduler_.Add(2, kHost, RequestPriority::kLowest, false);
  scheduler_.OnBodyReached();
  EXPECT_FALSE(Started(2));  // image 1 holds the one delayable slot; the stylesheet loads on
  // A HIGHEST request made after <body> is not layout-blocking; the stylesheet finishing ends
  // the phase: image 2 goes although the new HIGHEST is in flight.
  scheduler_.Add(3, kHost, RequestPriority::kHighest, false);
  EXPECT_TRUE(Started(3));
  scheduler_.Finished(0);
  EXPECT_TRUE(Started(2));
}

TEST_F(ResourceSchedulerTest, ExemptStartAtOnceAndTakeNoDelayableSlot) {
  LeaveHead();
  // 10 delayable in flight fill the page (two hosts, 5 each).
  for (size_t id = 0; id < 10; ++id) {
    scheduler_.Add(id, id % 2 ? kHost : kOtherHost, RequestPriority::kLowest, false);
  }
  EXPECT_EQ(started_.size(), 10u);
  // Exempt LOWEST requests (their server has priorities) start at once despite the full page:
  // all 7 to the one exempt host, although 6 is the per-host limit.
  for (size_t id = 10; id < 17; ++id) {
    scheduler_.Add(id, "https://h2.test:443", RequestPriority::kLowest, true);
  }
  EXPECT_EQ(started_.size(), 17u);
  // A delayable one waits: the exempt ones did not free or take page slots, 10 still in flight.
  scheduler_.Add(17, "http://c.test:80", RequestPriority::kLowest, false);
  EXPECT_FALSE(Started(17));
  // An exempt finishing frees no delayable slot; a delayable finishing does.
  scheduler_.Finished(10);
  EXPECT_FALSE(Started(17));
  scheduler_.Finished(0);
  EXPECT_TRUE(Started(17));
}

TEST_F(ResourceSchedulerTest, FinishedOfAQueuedRequestDropsIt) {
  LeaveHead();
  for (size_t id = 0; id < 6; ++id) scheduler_.Add(id, kHost, RequestPriority::kLowest, false);
  scheduler_.Add(6, kHost, RequestPriority::kLowest, false);
  scheduler_.Add(7, kHost, RequestPriority::kLowest, false);
  EXPECT_EQ(scheduler_.queued(), 2u);
  // 6 will never be sent (the browser dropped it): gone from the queue, and it frees no slot
  // (7 does not start, kHost still has 6 in flight).
  scheduler_.Finished(6);
  EXPECT_EQ(scheduler_.queued(), 1u);
  EXPECT_FALSE(Started(7));
  EXPECT_EQ(scheduler_.in_flight(), 6u);
  // The next real slot goes to 7, never to the dropped 6.
  scheduler_.Finished(0);
  EXPECT_EQ(started_.back(), 7u);
  EXPECT_FALSE(Started(6));
  // An unknown id is ignored.
  scheduler_.Finished(42);
  EXPECT_EQ(scheduler_.in_flight(), 6u);
}

TEST_F(ResourceSchedulerTest, StartCallbackMayFinishTheRequestItStarts) {
  // The start callback finishing the request it starts (a response served at once) must leave
  // the counts right: each of the 12 LOWESTs is done the moment it starts.
  std::vector<size_t> order;
  ResourceScheduler* self = nullptr;
  ResourceScheduler scheduler({}, [&](size_t id) {
    order.push_back(id);
    self->Finished(id);
  });
  self = &scheduler;
  scheduler.OnBodyReached();
  for (size_t id = 0; id < 12; ++id) scheduler.Add(id, kHost, RequestPriority::kLowest, false);
  EXPECT_EQ(order.size(), 12u);
  EXPECT_EQ(scheduler.in_flight(), 0u);
  EXPECT_EQ(scheduler.queued(), 0u);
}

}  // namespace
}  // namespace waterfall
