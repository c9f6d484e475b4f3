// Chrome's RFC 7540 dependency chain (models/http/h2/http2_priority_dependencies.h), with the
// tree the server builds from each HEADERS frame worked out by hand beside it. An exclusive
// insertion under P makes the new stream P's only child and P's former children its own
// (RFC 7540 5.3.3), so every tree here is a single chain, written root first.
#include "models/http/h2/http2_priority_dependencies.h"

#include <gtest/gtest.h>

namespace waterfall {
namespace {

using P = RequestPriority;

void ExpectSpec(const H2PrioritySpec& spec, int32_t parent, int32_t weight) {
  EXPECT_EQ(spec.parent, parent);
  EXPECT_EQ(spec.weight, weight);
  EXPECT_TRUE(spec.exclusive);  // always, in Chrome
}

TEST(ChromeHttp2Weight, FromSpdy3Priorities) {
  // int(255.9 / 7 * (7 - p)) + 1 for SPDY/3 priority p: p=0 int(255.9)+1 = 256,
  // p=1 int(219.34)+1 = 220, p=2 int(182.79)+1 = 183, p=3 int(146.23)+1 = 147,
  // p=4 int(109.67)+1 = 110.
  EXPECT_EQ(ChromeHttp2Weight(P::kHighest), 256);
  EXPECT_EQ(ChromeHttp2Weight(P::kMedium), 220);
  EXPECT_EQ(ChromeHttp2Weight(P::kLow), 183);
  EXPECT_EQ(ChromeHttp2Weight(P::kLowest), 147);
  EXPECT_EQ(ChromeHttp2Weight(P::kIdle), 110);
}

TEST(Http2PriorityDependencies, HighestLowestLowestMedium) {
  Http2PriorityDependencies d;
  // 1 HIGHEST: nothing open, under the root.                      tree: 0-1
  ExpectSpec(d.OnStreamCreation(1, P::kHighest), 0, 256);
  // 3 LOWEST: no LOWEST/LOW/MEDIUM stream; the newest HIGHEST is 1.  tree: 0-1-3
  ExpectSpec(d.OnStreamCreation(3, P::kLowest), 1, 147);
  // 5 LOWEST: the newest LOWEST is 3.                              tree: 0-1-3-5
  ExpectSpec(d.OnStreamCreation(5, P::kLowest), 3, 147);
  // 7 MEDIUM: no MEDIUM; the newest HIGHEST is 1; exclusive, it takes 3 (and 5 below it)
  // from 1.                                                        tree: 0-1-7-3-5
  ExpectSpec(d.OnStreamCreation(7, P::kMedium), 1, 220);
  // 9 LOWEST: the newest LOWEST, 5, the end of the chain.           tree: 0-1-7-3-5-9
  ExpectSpec(d.OnStreamCreation(9, P::kLowest), 5, 147);
  // 11 MEDIUM: after 7, the newest MEDIUM.                         tree: 0-1-7-11-3-5-9
  ExpectSpec(d.OnStreamCreation(11, P::kMedium), 7, 220);
}

TEST(Http2PriorityDependencies, TheParentIsTheNearestLevelNotTheNewestStream) {
  Http2PriorityDependencies d;
  ExpectSpec(d.OnStreamCreation(1, P::kHighest), 0, 256);  // 0-1
  ExpectSpec(d.OnStreamCreation(3, P::kMedium), 1, 220);   // 0-1-3
  ExpectSpec(d.OnStreamCreation(5, P::kHighest), 1, 256);  // 0-1-5-3
  // 7 LOW: MEDIUM's newest is 3, though 5 (HIGHEST) is newer.      tree: 0-1-5-3-7
  ExpectSpec(d.OnStreamCreation(7, P::kLow), 3, 183);
  // 9 IDLE: the lowest level at or above IDLE with a stream: LOW, 7.
  ExpectSpec(d.OnStreamCreation(9, P::kIdle), 7, 110);
}

TEST(Http2PriorityDependencies, AClosedParentLeavesTheChain) {
  Http2PriorityDependencies d;
  ExpectSpec(d.OnStreamCreation(1, P::kHighest), 0, 256);  // 0-1
  ExpectSpec(d.OnStreamCreation(3, P::kMedium), 1, 220);   // 0-1-3
  d.OnStreamDestruction(1);  // the server moves 3 up to the root (RFC 7540 5.3.4): 0-3
  // 5 HIGHEST: no open HIGHEST stream: under the root, exclusive, above 3.  tree: 0-5-3
  ExpectSpec(d.OnStreamCreation(5, P::kHighest), 0, 256);
  // 7 MEDIUM: the newest MEDIUM is 3.                              tree: 0-5-3-7
  ExpectSpec(d.OnStreamCreation(7, P::kMedium), 3, 220);
  d.OnStreamDestruction(7);  // the newest of its level closes:     tree: 0-5-3
  // 9 MEDIUM: 3 again.                                             tree: 0-5-3-9
  ExpectSpec(d.OnStreamCreation(9, P::kMedium), 3, 220);
  d.OnStreamDestruction(3);
  d.OnStreamDestruction(9);
  // 11 LOWEST: no LOWEST, LOW, MEDIUM left; HIGHEST's 5.           tree: 0-5-11
  ExpectSpec(d.OnStreamCreation(11, P::kLowest), 5, 147);
  d.OnStreamDestruction(5);
  d.OnStreamDestruction(11);
  // All closed: the next one is under the root again.
  ExpectSpec(d.OnStreamCreation(13, P::kLowest), 0, 147);
}

TEST(Http2PriorityDependencies, UnknownStreamsAreIgnored) {
  Http2PriorityDependencies d;
  ExpectSpec(d.OnStreamCreation(1, P::kMedium), 0, 220);
  d.OnStreamDestruction(2);  // a pushed stream: never in the chain
  d.OnStreamDestruction(99);
  ExpectSpec(d.OnStreamCreation(3, P::kMedium), 1, 220);  // 1 is still there
}

}  // namespace
}  // namespace waterfall
