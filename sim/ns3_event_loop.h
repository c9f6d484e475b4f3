// EventLoop on ns-3's simulated clock, with time measured from navigation start.
#pragma once

#include <ns3/nstime.h>

#include "models/event_loop.h"

namespace waterfall {

class Ns3EventLoop : public EventLoop {
 public:
  double NowMs() const override;
  void After(double delay_ms, std::function<void()> fn) override;
  // Navigation starts now: NowMs() counts from here (later than 0 for a warm connection).
  void StartClockNow();

 private:
  ns3::Time origin_;
};

// Milliseconds as an ns-3 Time, rounded to the nanosecond.
ns3::Time MsToTime(double ms);

}  // namespace waterfall
