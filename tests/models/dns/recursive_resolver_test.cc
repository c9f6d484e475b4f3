// The recursive resolver on a fake clock: a host's first query is answered after its dns_ms,
// later ones at once, queries during a resolution wait for it, unknown hosts get NXDOMAIN.
#include "models/dns/recursive_resolver.h"

#include <gtest/gtest.h>

#include <vector>

#include "models/dns/dns_message.h"
#include "tests/support/fake_loop.h"

namespace waterfall {
namespace {

constexpr uint32_t kCdn = 0xC0000214;  // 192.0.2.20

class RecursiveResolverTest : public ::testing::Test {
 protected:
  struct Sent {
    DnsAnswer answer;
    RecursiveResolver::Peer to;
    double at_ms;
  };
  void Ask(uint16_t id, const std::string& host, RecursiveResolver::Peer from) {
    const std::vector<uint8_t> query = BuildAQuery(id, host);
    resolver_.OnQuery(query.data(), query.size(), from);
  }

  testing::FakeLoop loop_;
  std::vector<Sent> sent_;
  RecursiveResolver resolver_{
      loop_,
      {{"cdn.example.net", {kCdn, 40}}},
      [this](std::vector<uint8_t> datagram, RecursiveResolver::Peer to) {
        std::optional<DnsAnswer> answer = ParseAnswer(datagram.data(), datagram.size());
        ASSERT_TRUE(answer) << "the resolver sent something that is no answer";
        sent_.push_back({*answer, to, loop_.NowMs()});
      }};
};

TEST_F(RecursiveResolverTest, TheFirstQueryWaitsDnsMsAndLaterOnesAreAnsweredAtOnce) {
  Ask(5, "cdn.example.net", 1);
  EXPECT_TRUE(sent_.empty());
  loop_.RunAll();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].at_ms, 40);  // the host's dns_ms
  EXPECT_EQ(sent_[0].to, 1u);
  EXPECT_EQ(sent_[0].answer.id, 5);
  EXPECT_EQ(sent_[0].answer.ipv4, kCdn);
  loop_.After(100, [&] { Ask(6, "CDN.example.net", 2); });
  loop_.RunAll();
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].at_ms, 140);  // asked at 140, cached: after 0 ms
  EXPECT_EQ(sent_[1].to, 2u);
  EXPECT_EQ(sent_[1].answer.id, 6);
  EXPECT_EQ(sent_[1].answer.ipv4, kCdn);
  EXPECT_EQ(resolver_.resolutions(), 1);
}

TEST_F(RecursiveResolverTest, QueriesDuringAResolutionAreAnsweredWhenItCompletes) {
  Ask(1, "cdn.example.net", 1);
  loop_.After(10, [&] { Ask(2, "cdn.example.net", 2); });  // a retry, or another tab
  loop_.RunAll();
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[0].at_ms, 40);  // both at the one resolution's end, 0 + 40
  EXPECT_EQ(sent_[1].at_ms, 40);
  EXPECT_EQ(sent_[0].answer.id, 1);
  EXPECT_EQ(sent_[1].answer.id, 2);
  EXPECT_EQ(sent_[1].to, 2u);
  EXPECT_EQ(resolver_.resolutions(), 1);
}

TEST_F(RecursiveResolverTest, AnUnknownHostGetsNxDomainAtOnce) {
  Ask(3, "nowhere.example", 7);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].at_ms, 0);
  EXPECT_EQ(sent_[0].answer.host, "nowhere.example");
  EXPECT_FALSE(sent_[0].answer.ipv4);
  EXPECT_EQ(sent_[0].to, 7u);
}

TEST_F(RecursiveResolverTest, GarbageAndAnswersAreIgnored) {
  const uint8_t garbage[] = {1, 2, 3, 4, 5};
  resolver_.OnQuery(garbage, sizeof garbage, 1);
  const std::vector<uint8_t> answer = BuildAAnswer(1, "cdn.example.net", kCdn, 300);
  resolver_.OnQuery(answer.data(), answer.size(), 1);
  loop_.RunAll();
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(resolver_.resolutions(), 0);
}

}  // namespace
}  // namespace waterfall
