// Ns3EventLoop's timers on ns-3's clock: a cancelled timer never runs (Simulator::Cancel), and
// cancelling one that has run does nothing.
#include "sim/apps/ns3_event_loop.h"

#include <gtest/gtest.h>
#include <ns3/simulator.h>

#include <vector>

namespace waterfall {
namespace {

TEST(Ns3EventLoopTest, CancelledTimerNeverRunsAndCancellingARunOneDoesNothing) {
  std::vector<double> ran_at;
  {
    Ns3EventLoop loop;
    loop.StartClockNow();
    TimerId first = loop.After(10, [&] { ran_at.push_back(loop.NowMs()); });
    TimerId second = loop.After(20, [&] { ran_at.push_back(-1); });
    loop.After(15, [&] {
      loop.Cancel(first);  // ran at 10 already: nothing happens
      loop.Cancel(second);
      loop.Cancel(second);
    });
    loop.After(30, [&] { ran_at.push_back(loop.NowMs()); });
    EXPECT_NE(first, second);
    ns3::Simulator::Run();
  }
  ns3::Simulator::Destroy();
  EXPECT_EQ(ran_at, (std::vector<double>{10, 30}));
}

}  // namespace
}  // namespace waterfall
