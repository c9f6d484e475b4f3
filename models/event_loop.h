// The only notion of time the models have: a clock and a timer, supplied from outside.
// sim/ implements it with ns-3's Simulator; tests implement it with a hand-cranked fake.
#pragma once

#include <functional>

namespace waterfall {

class EventLoop {
 public:
  virtual ~EventLoop() = default;
  // Milliseconds since navigation start.
  virtual double NowMs() const = 0;
  // Runs fn after delay_ms (0 = after the current event, never re-entrantly).
  virtual void After(double delay_ms, std::function<void()> fn) = 0;
};

}  // namespace waterfall
