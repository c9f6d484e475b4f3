// The browser's resolver on a fake clock, with the resolver played by the test: one query per
// host per page, a retry after the 1 s fallback period, and giving up at the 12 s transaction
// timeout.
#include "models/dns/stub_resolver.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "models/dns/dns_message.h"
#include "tests/support/fake_loop.h"

namespace waterfall {
namespace {

constexpr uint32_t kCdn = 0xC0000214;  // 192.0.2.20

class StubResolverTest : public ::testing::Test {
 protected:
  // What one Resolve call was told, and when.
  struct Outcome {
    bool called = false;
    std::optional<uint32_t> ipv4;
    double at_ms = -1;
  };
  StubResolver::Done Into(Outcome& outcome) {
    return [this, &outcome](std::optional<uint32_t> ipv4) {
      EXPECT_FALSE(outcome.called) << "done called twice";
      outcome = Outcome{true, ipv4, loop_.NowMs()};
    };
  }
  DnsQuestion Query(size_t i) const {
    std::optional<DnsQuestion> q = ParseQuery(sent_.at(i).data(), sent_.at(i).size());
    EXPECT_TRUE(q) << "datagram " << i << " is no A query";
    return q.value_or(DnsQuestion{});
  }
  void Deliver(const std::vector<uint8_t>& datagram) {
    stub_.OnDatagram(datagram.data(), datagram.size());
  }

  testing::FakeLoop loop_;
  std::vector<std::vector<uint8_t>> sent_;
  StubResolver stub_{loop_, [this](std::vector<uint8_t> d) { sent_.push_back(std::move(d)); }};
};

TEST_F(StubResolverTest, ARememberedHostResolvesAtOnceWithoutADatagram) {
  stub_.Remember("cdn.example.net", kCdn);
  Outcome o;
  stub_.Resolve("CDN.example.net", Into(o));
  EXPECT_TRUE(o.called);  // synchronously, before Resolve returned
  EXPECT_EQ(o.ipv4, kCdn);
  EXPECT_TRUE(sent_.empty());
  EXPECT_FALSE(stub_.LookupStartMs("cdn.example.net"));
}

TEST_F(StubResolverTest, TwoResolvesOfOneHostSendOneQueryAndBothGetTheAnswer) {
  Outcome first, second;
  stub_.Resolve("cdn.example.net", Into(first));
  stub_.Resolve("cdn.example.net", Into(second));
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(Query(0).id, 1);  // ids count from 1
  EXPECT_EQ(Query(0).host, "cdn.example.net");
  EXPECT_FALSE(first.called);
  loop_.After(30, [&] { Deliver(BuildAAnswer(1, "cdn.example.net", kCdn, 300)); });
  loop_.RunAll();
  EXPECT_EQ(first.ipv4, kCdn);
  EXPECT_EQ(second.ipv4, kCdn);
  EXPECT_EQ(second.at_ms, 30);
  EXPECT_EQ(stub_.LookupStartMs("cdn.example.net"), 0);
  EXPECT_EQ(stub_.LookupEndMs("cdn.example.net"), 30);
  // Later in the page: from the cache, no query.
  Outcome later;
  stub_.Resolve("cdn.example.net", Into(later));
  EXPECT_EQ(later.ipv4, kCdn);
  EXPECT_EQ(stub_.queries_sent(), 1);
  EXPECT_EQ(loop_.pending(), 0u);  // retry and timeout timers cancelled
}

TEST_F(StubResolverTest, ALostQueryIsSentAgainAtOneSecondAndItsAnswerCompletesEveryWaiter) {
  Outcome first, second;
  stub_.Resolve("cdn.example.net", Into(first));
  loop_.After(400, [&] { stub_.Resolve("cdn.example.net", Into(second)); });
  // The first query is lost. At 1000 ms (kDnsDefaultFallbackPeriod) the second goes out, with
  // the next id; its answer arrives 30 ms later.
  loop_.After(1000 + 30, [&] {
    ASSERT_EQ(sent_.size(), 2u);
    Deliver(BuildAAnswer(Query(1).id, "cdn.example.net", kCdn, 300));
  });
  loop_.RunNext();  // the second Resolve, at 400
  EXPECT_EQ(sent_.size(), 1u);
  loop_.RunNext();  // the retry
  EXPECT_EQ(loop_.NowMs(), 1000);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Query(1).id, 2);
  EXPECT_EQ(Query(1).host, "cdn.example.net");
  loop_.RunAll();
  EXPECT_EQ(first.ipv4, kCdn);
  EXPECT_EQ(first.at_ms, 1030);
  EXPECT_EQ(second.ipv4, kCdn);
  EXPECT_EQ(second.at_ms, 1030);
  EXPECT_EQ(stub_.LookupEndMs("cdn.example.net"), 1030);
  EXPECT_EQ(sent_.size(), 2u);
}

TEST_F(StubResolverTest, ALateAnswerToTheFirstQueryCompletesTheLookupAfterTheRetry) {
  Outcome o;
  stub_.Resolve("cdn.example.net", Into(o));
  // Chrome leaves earlier attempts pending: the first query's answer, slower than the period,
  // still counts. The duplicate answer to the second query is ignored.
  loop_.After(1500, [&] { Deliver(BuildAAnswer(1, "cdn.example.net", kCdn, 300)); });
  loop_.After(1600, [&] { Deliver(BuildAAnswer(2, "cdn.example.net", 1, 300)); });
  loop_.RunAll();
  EXPECT_EQ(sent_.size(), 2u);
  EXPECT_EQ(o.ipv4, kCdn);
  EXPECT_EQ(o.at_ms, 1500);
}

TEST_F(StubResolverTest, WhenEveryAttemptIsLostTheLookupFailsAtTheTransactionTimeout) {
  Outcome o;
  stub_.Resolve("cdn.example.net", Into(o));
  loop_.RunAll();
  // Two attempts (DnsConfig attempts = 2), at 0 and 1000 ms; then Chrome waits for the
  // transaction timeout, 12 s after the first query (kDnsMinTransactionTimeout).
  EXPECT_EQ(sent_.size(), 2u);
  EXPECT_TRUE(o.called);
  EXPECT_FALSE(o.ipv4);
  EXPECT_EQ(o.at_ms, 12000);
  EXPECT_EQ(stub_.LookupEndMs("cdn.example.net"), 12000);
  // An answer after giving up changes nothing.
  Deliver(BuildAAnswer(2, "cdn.example.net", kCdn, 300));
  Outcome later;
  stub_.Resolve("cdn.example.net", Into(later));
  EXPECT_TRUE(later.called);
  EXPECT_FALSE(later.ipv4);
  EXPECT_EQ(sent_.size(), 2u);
}

TEST_F(StubResolverTest, NxDomainCompletesWithoutAnAddress) {
  Outcome o;
  stub_.Resolve("nowhere.example", Into(o));
  Deliver(BuildNxDomain(1, "nowhere.example"));
  EXPECT_TRUE(o.called);
  EXPECT_FALSE(o.ipv4);
  EXPECT_EQ(loop_.pending(), 0u);
}

TEST_F(StubResolverTest, GarbageUnknownIdsAndAnotherHostsNameAreIgnored) {
  Outcome o;
  stub_.Resolve("cdn.example.net", Into(o));
  const uint8_t garbage[] = {0xde, 0xad, 0xbe};
  stub_.OnDatagram(garbage, sizeof garbage);
  Deliver(BuildAAnswer(77, "cdn.example.net", kCdn, 300));  // an id never sent
  Deliver(BuildAAnswer(1, "evil.example.net", kCdn, 300));  // the id, another name
  Deliver(BuildAQuery(1, "cdn.example.net"));               // a query, not an answer
  EXPECT_FALSE(o.called);
  Deliver(BuildAAnswer(1, "cdn.example.net", kCdn, 300));
  EXPECT_EQ(o.ipv4, kCdn);
}

TEST_F(StubResolverTest, TwoHostsAreTwoLookupsWithTheirOwnIds) {
  Outcome a, b;
  stub_.Resolve("a.example", Into(a));
  stub_.Resolve("b.example", Into(b));
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Query(0).id, 1);
  EXPECT_EQ(Query(1).id, 2);
  EXPECT_EQ(Query(1).host, "b.example");
  Deliver(BuildAAnswer(2, "b.example", 2, 300));
  EXPECT_FALSE(a.called);
  EXPECT_EQ(b.ipv4, 2u);
}

}  // namespace
}  // namespace waterfall
