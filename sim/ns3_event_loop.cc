#include "sim/ns3_event_loop.h"

#include <ns3/simulator.h>

#include <cmath>

namespace waterfall {

ns3::Time MsToTime(double ms) { return ns3::NanoSeconds(std::llround(ms * 1e6)); }

double Ns3EventLoop::NowMs() const {
  return static_cast<double>((ns3::Simulator::Now() - origin_).GetNanoSeconds()) / 1e6;
}

void Ns3EventLoop::After(double delay_ms, std::function<void()> fn) {
  ns3::Simulator::Schedule(MsToTime(delay_ms), [fn = std::move(fn)] { fn(); });
}

void Ns3EventLoop::StartClockNow() { origin_ = ns3::Simulator::Now(); }

}  // namespace waterfall
