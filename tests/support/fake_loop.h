// The one fake EventLoop of the tests and the fuzzers: a clock that moves only when the test
// runs the next timer. Timers due at the same time run in the order they were set.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>

#include "models/core/event_loop.h"

namespace waterfall::testing {

class FakeLoop : public EventLoop {
 public:
  double NowMs() const override { return now_ms_; }
  TimerId After(double delay_ms, std::function<void()> fn) override {
    const uint64_t id = ++last_id_;
    timers_.emplace(std::make_pair(now_ms_ + delay_ms, id), std::move(fn));
    due_ms_.emplace(id, now_ms_ + delay_ms);
    return TimerId{id};
  }
  void Cancel(TimerId timer) override {
    auto it = due_ms_.find(timer.value);
    if (it == due_ms_.end()) return;  // run, cancelled, or never set
    timers_.erase(std::make_pair(it->second, it->first));
    due_ms_.erase(it);
  }

  // Runs the earliest timer, moving the clock to its time; false when none is pending.
  bool RunNext() {
    if (timers_.empty()) return false;
    auto it = timers_.begin();
    now_ms_ = it->first.first;
    due_ms_.erase(it->first.second);
    std::function<void()> fn = std::move(it->second);
    timers_.erase(it);
    fn();
    return true;
  }
  // Runs timers until none is left, or max_timers have run (a timer storm cannot hang a test
  // or a fuzz run). Returns how many ran.
  int RunAll(int max_timers = 1000000) {
    int ran = 0;
    while (ran < max_timers && RunNext()) ++ran;
    return ran;
  }
  size_t pending() const { return timers_.size(); }

 private:
  double now_ms_ = 0;
  uint64_t last_id_ = 0;
  std::map<std::pair<double, uint64_t>, std::function<void()>> timers_;  // by (due, id)
  std::unordered_map<uint64_t, double> due_ms_;                          // by id
};

}  // namespace waterfall::testing
