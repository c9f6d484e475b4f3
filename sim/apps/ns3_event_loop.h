// EventLoop on ns-3's simulated clock, with time measured from navigation start.
#pragma once

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <unordered_map>

#include "models/core/event_loop.h"

namespace waterfall {

class Ns3EventLoop : public EventLoop {
 public:
  double NowMs() const override;
  TimerId After(double delay_ms, std::function<void()> fn) override;
  void Cancel(TimerId timer) override;
  // Navigation starts now: NowMs() counts from here (later than 0 for a warm connection).
  void StartClockNow();

 private:
  ns3::Time origin_;
  uint64_t last_id_ = 0;
  // Timers not yet run or cancelled: ns-3's handle of each (Simulator::Cancel).
  std::unordered_map<uint64_t, ns3::EventId> pending_;
};

// Milliseconds as an ns-3 Time, rounded to the nanosecond.
ns3::Time MsToTime(double ms);

}  // namespace waterfall
