// The only notion of time the models have: a clock and timers, supplied from outside.
// sim/ implements it with ns-3's Simulator; tests implement it with a hand-cranked fake
// (tests/support/fake_loop.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>

namespace waterfall {

// Names one timer set with EventLoop::After, for EventLoop::Cancel. TimerId{} names none.
struct TimerId {
  uint64_t value = 0;
  explicit operator bool() const { return value != 0; }
  bool operator==(const TimerId& other) const { return value == other.value; }
  bool operator!=(const TimerId& other) const { return value != other.value; }
};

class EventLoop {
 public:
  virtual ~EventLoop() = default;
  // Milliseconds since navigation start.
  virtual double NowMs() const = 0;
  // Runs fn after delay_ms (0 = after the current event, never re-entrantly). The id is
  // unique among this loop's timers.
  virtual TimerId After(double delay_ms, std::function<void()> fn) = 0;
  // A pending timer never runs. Cancelling a timer that has run or was cancelled already, or
  // TimerId{}, does nothing.
  virtual void Cancel(TimerId timer) = 0;
};

// The timers one object has pending. Each is forgotten as it fires; those still pending when
// the owner goes (and this member with it) are cancelled, so no timer outlives its owner.
class PendingTimers {
 public:
  explicit PendingTimers(EventLoop& loop) : loop_(loop) {}
  ~PendingTimers() { CancelAll(); }
  PendingTimers(const PendingTimers&) = delete;
  PendingTimers& operator=(const PendingTimers&) = delete;

  void After(double delay_ms, std::function<void()> fn) {
    const uint64_t key = next_key_++;
    pending_[key] = loop_.After(delay_ms, [this, key, fn = std::move(fn)] {
      pending_.erase(key);
      fn();
    });
  }
  void CancelAll() {
    for (const auto& [key, timer] : pending_) loop_.Cancel(timer);
    pending_.clear();
  }
  size_t size() const { return pending_.size(); }

 private:
  EventLoop& loop_;
  uint64_t next_key_ = 0;
  std::map<uint64_t, TimerId> pending_;
};

}  // namespace waterfall
