#include "sim/net/tcp_bbr_rate_fix.h"

#include <ns3/simulator.h>

#include <algorithm>

namespace waterfall {

NS_OBJECT_ENSURE_REGISTERED(TcpBbrLinuxRate);

ns3::TypeId TcpBbrLinuxRate::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("waterfall::TcpBbrLinuxRate")
                               .SetParent<ns3::TcpBbr>()
                               .SetGroupName("Internet")
                               .AddConstructor<TcpBbrLinuxRate>();
  return tid;
}

std::string TcpBbrLinuxRate::GetName() const { return "TcpBbrLinuxRate"; }

ns3::Ptr<ns3::TcpCongestionOps> TcpBbrLinuxRate::Fork() {
  // TcpBbr::Fork would copy only the TcpBbr part: an accepted socket would lose the fix.
  return ns3::CopyObject<TcpBbrLinuxRate>(this);
}

void TcpBbrLinuxRate::CongControl(ns3::Ptr<ns3::TcpSocketState> tcb,
                                  const ns3::TcpRateOps::TcpRateConnection& rc,
                                  const ns3::TcpRateOps::TcpRateSample& rs) {
  ns3::TcpBbr::CongControl(tcb, rc, LinuxRateSample(rs, ns3::Simulator::Now(), tcb->m_minRtt));
}

ns3::TcpRateOps::TcpRateSample LinuxRateSample(const ns3::TcpRateOps::TcpRateSample& rs,
                                               ns3::Time now, ns3::Time min_rtt) {
  ns3::TcpRateOps::TcpRateSample out = rs;
  auto invalid = [&out] {
    out.m_delivered = -1;
    out.m_interval = ns3::Time(0);
    out.m_deliveryRate = ns3::DataRate(0);  // TcpBbr 3.37 skips a sample only at rate 0
    return out;
  };
  // Nothing newly delivered, or no start (ns-3 discarded the sample and zeroed its start):
  // Linux's tcp_rate_gen() returns delivered = interval = -1. (ns-3 keeps the sample of an
  // earlier ACK when this one delivers nothing new.)
  if (rs.m_ackedSacked == 0 || rs.m_delivered < 0 || rs.m_priorTime.IsZero()) return invalid();
  // Linux: the longer of the send phase and the ACK phase, the ACK phase measured from the
  // delivered time recorded in the newest acknowledged segment (ns-3 3.37 measures it from
  // the previous sample's).
  const ns3::Time ack_elapsed = now - rs.m_priorTime;
  out.m_ackElapsed = ack_elapsed;
  out.m_interval = std::max(rs.m_sendElapsed, ack_elapsed);
  if (out.m_interval < min_rtt || !out.m_interval.IsStrictlyPositive()) return invalid();
  // bbr_update_bw(): every valid sample's rate is delivered / interval (ns-3 3.37 keeps the
  // previous rate for app-limited samples below the last one it recorded).
  out.m_deliveryRate = ns3::DataRate(static_cast<uint64_t>(static_cast<double>(rs.m_delivered) *
                                                           8.0 / out.m_interval.GetSeconds()));
  return out;
}

}  // namespace waterfall
