// EventLoop's timers on the shared fake loop: cancellation, and PendingTimers, which the server
// sessions use so that no think-time timer outlives its session.
#include "models/core/event_loop.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "tests/support/fake_loop.h"

namespace waterfall {
namespace {

using testing::FakeLoop;

TEST(EventLoopTest, CancelledTimerNeverRuns) {
  FakeLoop loop;
  std::vector<int> ran;
  loop.After(10, [&] { ran.push_back(1); });
  TimerId second = loop.After(20, [&] { ran.push_back(2); });
  loop.After(30, [&] { ran.push_back(3); });
  loop.Cancel(second);
  EXPECT_EQ(loop.RunAll(), 2);
  EXPECT_EQ(ran, (std::vector<int>{1, 3}));
  EXPECT_EQ(loop.NowMs(), 30);
}

TEST(EventLoopTest, TimersAtTheSameTimeRunInTheOrderTheyWereSet) {
  FakeLoop loop;
  std::vector<int> ran;
  for (int i = 0; i < 5; ++i) loop.After(7, [&ran, i] { ran.push_back(i); });
  loop.RunAll();
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(EventLoopTest, CancellingARunOrCancelledTimerDoesNothing) {
  FakeLoop loop;
  int runs = 0;
  TimerId fired = loop.After(1, [&] { ++runs; });
  ASSERT_TRUE(loop.RunNext());
  TimerId later = loop.After(5, [&] { runs += 10; });
  loop.Cancel(fired);      // already ran: must not cancel `later`
  loop.Cancel(TimerId{});  // names no timer
  EXPECT_EQ(loop.pending(), 1u);
  TimerId gone = loop.After(2, [&] { runs += 100; });
  loop.Cancel(gone);
  loop.Cancel(gone);  // twice
  loop.RunAll();
  EXPECT_EQ(runs, 11);
  EXPECT_NE(fired, later);
  EXPECT_FALSE(TimerId{});
  EXPECT_TRUE(later);
}

TEST(EventLoopTest, ATimerCanCancelALaterOneDueAtTheSameTime) {
  FakeLoop loop;
  bool second_ran = false;
  TimerId second;
  loop.After(3, [&] { loop.Cancel(second); });
  second = loop.After(3, [&] { second_ran = true; });
  loop.RunAll();
  EXPECT_FALSE(second_ran);
}

TEST(PendingTimersTest, DestroyingTheOwnerCancelsWhatIsStillPending) {
  FakeLoop loop;
  int runs = 0;
  {
    PendingTimers timers(loop);
    timers.After(1, [&] { ++runs; });
    timers.After(50, [&] { runs += 100; });
    ASSERT_TRUE(loop.RunNext());
    EXPECT_EQ(timers.size(), 1u);  // the fired one is forgotten
  }
  EXPECT_EQ(loop.pending(), 0u);
  loop.RunAll();
  EXPECT_EQ(runs, 1);
}

TEST(PendingTimersTest, CancelAllLeavesTheLoopsOtherTimersAlone) {
  FakeLoop loop;
  int runs = 0;
  PendingTimers timers(loop);
  timers.After(5, [&] { runs += 100; });
  loop.After(5, [&] { ++runs; });
  timers.CancelAll();
  EXPECT_EQ(timers.size(), 0u);
  loop.RunAll();
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace waterfall
