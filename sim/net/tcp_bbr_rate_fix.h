// ns-3 3.37's TcpBbr, fed delivery-rate samples computed the way Linux computes them.
//
// ns-3 3.37 hands BBR samples that Linux would discard (docs/bbr.md has the trace):
//  - TcpRateLinux::SkbDelivered measures a sample's ACK phase from the previous sample's start
//    (m_rateSample.m_priorTime) instead of the newly acknowledged segment's (ns-3 #1026, fixed
//    in ns-3.41). GenerateSample zeroes that start when it discards a sample shorter than
//    min_rtt, so the next sample's interval is the connection's whole age: 4344 B over
//    1.461 s = 23.8 kbit/s on a 9 Mbit/s link.
//  - A discarded sample keeps the previous sample's m_deliveryRate, and TcpBbr 3.37 skips a
//    sample only when that rate is 0: it counts a round and updates its max filter on invalid
//    samples too (ns-3 #735, fixed in ns-3.42).
// After a retransmission timeout, the ACKs of segments still queued are credited to their
// just-sent retransmissions: every sample is spurious, each one advances BBR's round, the
// 10-round max filter forgets the real bandwidth within 30 ms and keeps 24 kbit/s, and the
// connection never recovers (one segment per RTO).
//
// TcpBbrLinuxRate is TcpBbr with one change: before BBR sees a sample, its interval and rate
// are recomputed from the raw fields as Linux's tcp_rate_gen() and bbr_update_bw() do, and an
// invalid sample reaches BBR with rate 0, which TcpBbr 3.37 skips. Everything else is ns-3's.
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
// the time of the ACK, `min_rtt` the connection's minimum RTT. Invalid (delivered -1,
// interval 0, rate 0) when the ACK delivered nothing new, when the sample has no start, or
// when its interval is shorter than min_rtt; otherwise interval = max(send phase, now -
// delivered time of the newest acknowledged segment) and rate = delivered / interval.
ns3::TcpRateOps::TcpRateSample LinuxRateSample(const ns3::TcpRateOps::TcpRateSample& rs,
                                               ns3::Time now, ns3::Time min_rtt);

}  // namespace waterfall
