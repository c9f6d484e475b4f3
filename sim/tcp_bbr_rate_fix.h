// ns-3 3.37's TcpBbr, fed delivery-rate samples computed the way Linux computes them.
//
// ns-3 3.37 hands BBR two kinds of wrong bandwidth samples (docs/bbr.md has the trace):
//  - TcpRateLinux::SkbDelivered measures the ACK phase of a sample from the previous sample's
//    start (m_rateSample.m_priorTime) instead of the newly acknowledged segment's
//    (ns-3 issue #1026, fixed in ns-3.41). After GenerateSample has discarded a sample shorter
//    than min_rtt it zeroes that start, so the next sample's interval is the connection's whole
//    age: 1448 bytes over 1.46 s = 24 kbit/s on a 9 Mbit/s link.
//  - A discarded sample keeps the previous sample's m_deliveryRate, and TcpBbr 3.37 discards
//    a sample only when that rate is 0, so BBR counts a round and updates its max filter with
//    a stale rate for every ACK that carries no valid sample (ns-3 issue #735, fixed in
//    ns-3.42).
// After a retransmission timeout BBR's round counter advances on almost every ACK, the
// 10-round max filter forgets the real bandwidth within tens of milliseconds and keeps the
// wrong sample; BBR then paces at 24 kbit/s, every sample it takes measures its own pacing, and
// the connection never recovers.
//
// TcpBbrLinuxRate is TcpBbr with one change: before BBR sees a sample, the sample's interval
// and rate are recomputed from its raw fields as Linux's tcp_rate_gen() and bbr_update_bw() do
// (interval = max(send phase, now - delivered time of the newest acknowledged segment);
// invalid below min_rtt or without a start; rate = delivered / interval), and an invalid
// sample reaches BBR with rate 0, which TcpBbr 3.37 skips. Everything else is ns-3's TcpBbr.
#pragma once

#include <ns3/tcp-bbr.h>

namespace waterfall {

class TcpBbrLinuxRate : public ns3::TcpBbr {
 public:
  static ns3::TypeId GetTypeId();
  TcpBbrLinuxRate() = default;
  TcpBbrLinuxRate(const TcpBbrLinuxRate& other) = default;

  std::string GetName() const override;
  void CongControl(ns3::Ptr<ns3::TcpSocketState> tcb, const ns3::TcpRateOps::TcpRateConnection& rc,
                   const ns3::TcpRateOps::TcpRateSample& rs) override;
  ns3::Ptr<ns3::TcpCongestionOps> Fork() override;
};

// The sample BBR should have been given: `rs` as ns-3 3.37's TcpRateLinux produced it, `now`
// the time of the ACK, `min_rtt` the connection's minimum RTT.
ns3::TcpRateOps::TcpRateSample LinuxRateSample(const ns3::TcpRateOps::TcpRateSample& rs,
                                               ns3::Time now, ns3::Time min_rtt);

}  // namespace waterfall
