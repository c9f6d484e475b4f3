#include "sim/apps/ns3_event_loop.h"

#include <ns3/simulator.h>

#include <cmath>

namespace waterfall {

ns3::Time MsToTime(double ms) { return ns3::NanoSeconds(std::llround(ms * 1e6)); }

double Ns3EventLoop::NowMs() const {
  return static_cast<double>((ns3::Simulator::Now() - origin_).GetNanoSeconds()) / 1e6;
}

TimerId Ns3EventLoop::After(double delay_ms, std::function<void()> fn) {
  const uint64_t id = ++last_id_;
  pending_[id] = ns3::Simulator::Schedule(MsToTime(delay_ms), [this, id, fn = std::move(fn)] {
    pending_.erase(id);
    fn();
  });
  return TimerId{id};
}

void Ns3EventLoop::Cancel(TimerId timer) {
  auto it = pending_.find(timer.value);
  if (it == pending_.end()) return;  // run, cancelled, or never set
  // The event stays in ns-3's queue, but is not invoked.
  ns3::Simulator::Cancel(it->second);
  pending_.erase(it);
}

void Ns3EventLoop::StartClockNow() { origin_ = ns3::Simulator::Now(); }

}  // namespace waterfall
