// ResponseFault, the one place that decides when a resource's server fault strikes and how
// many body bytes go before it, for the HTTP/1.1 and HTTP/2 sessions alike
// (tests/sim/run/faults_test.cc shows both sessions acting on it over ns-3).
#include "models/server/server_fault.h"

#include <gtest/gtest.h>

namespace waterfall {
namespace {

Resource Faulty(ServerFault fault, uint64_t size, uint64_t after) {
  Resource r;
  r.url = "/r";
  r.size_bytes = size;
  r.fault = fault;
  r.fault_after_bytes = after;
  return r;
}

TEST(ResponseFault, NoFaultLetsEveryByteGoAndNeverStrikes) {
  ResponseFault f(Faulty(ServerFault::kNone, 1000, 0));
  EXPECT_FALSE(f.pending());
  EXPECT_EQ(f.Allowed(1000), 1000u);
  f.Sent(1000);
  EXPECT_FALSE(f.Due());
  EXPECT_EQ(f.Strike(), ServerFault::kNone);
  EXPECT_FALSE(ResponseFault::IgnoresRequest(Faulty(ServerFault::kNone, 1000, 0)));
}

TEST(ResponseFault, AResetLetsExactlyTheBytesBeforeItGoThenStrikesOnce) {
  ResponseFault f(Faulty(ServerFault::kReset, 1000, 300));
  EXPECT_TRUE(f.pending());
  EXPECT_TRUE(f.reset_pending());
  EXPECT_EQ(f.Allowed(1000), 300u);
  f.Sent(200);
  EXPECT_FALSE(f.Due());
  EXPECT_EQ(f.Allowed(1000), 100u);
  EXPECT_EQ(f.Allowed(50), 50u);
  f.Sent(100);
  EXPECT_TRUE(f.Due());
  EXPECT_EQ(f.Allowed(1000), 0u);
  EXPECT_EQ(f.Strike(), ServerFault::kReset);
  EXPECT_FALSE(f.pending());
  EXPECT_FALSE(f.Due());
  EXPECT_EQ(f.Strike(), ServerFault::kNone) << "a fault strikes once";
}

TEST(ResponseFault, AGoAwayCountsTheSameAndLetsTheRestOfTheBodyGoOnceStruck) {
  ResponseFault f(Faulty(ServerFault::kGoAway, 1000, 400));
  EXPECT_FALSE(f.reset_pending());
  EXPECT_EQ(f.Allowed(1000), 400u);
  f.Sent(400);
  ASSERT_TRUE(f.Due());
  EXPECT_EQ(f.kind(), ServerFault::kGoAway);
  EXPECT_EQ(f.Strike(), ServerFault::kGoAway);
  EXPECT_EQ(f.Allowed(600), 600u);
}

TEST(ResponseFault, AFaultAfterZeroBytesIsDueBeforeTheFirstByte) {
  for (ServerFault kind : {ServerFault::kReset, ServerFault::kGoAway}) {
    ResponseFault f(Faulty(kind, 1000, 0));
    EXPECT_TRUE(f.Due()) << ToString(kind);
    EXPECT_EQ(f.Allowed(1000), 0u) << ToString(kind);
  }
  ResponseFault empty(Faulty(ServerFault::kReset, 0, 0));
  EXPECT_TRUE(empty.Due()) << "an empty body can still be reset";
}

TEST(ResponseFault, AFaultPastTheBodyStrikesAtItsEnd) {
  // The loader refuses fault_after_bytes > size; a Resource built in code may have it.
  ResponseFault f(Faulty(ServerFault::kReset, 1000, 5000));
  EXPECT_EQ(f.Allowed(5000), 1000u);
  f.Sent(1000);
  EXPECT_TRUE(f.Due());
}

TEST(ResponseFault, NoResponseIgnoresTheRequestAndHasNothingToStrike) {
  const Resource r = Faulty(ServerFault::kNoResponse, 1000, 0);
  EXPECT_TRUE(ResponseFault::IgnoresRequest(r));
  ResponseFault f(r);
  EXPECT_FALSE(f.pending());
  EXPECT_FALSE(f.Due());
}

}  // namespace
}  // namespace waterfall
