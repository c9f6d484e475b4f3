// One side of a protocol session over a reliable, ordered byte stream (a TCP connection).
// The session neither knows nor cares what carries its bytes; sim/SocketPump moves them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "models/core/event_loop.h"

namespace waterfall {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Feeds bytes that arrived from the peer. Returns false on a fatal protocol error, after
  // which the stream produces no more output.
  virtual bool Receive(const uint8_t* data, size_t len) = 0;
  // Copies up to max_bytes of pending output into out and returns how many (0: nothing now).
  virtual size_t Pull(uint8_t* out, size_t max_bytes) = 0;
  // True once the session wants its connection closed after the output it has given (an
  // HTTP/1.1 server closing a connection). The transport then closes it.
  virtual bool WantsClose() const { return false; }
  // The peer closed the connection, or it broke: nothing more will arrive.
  virtual void OnPeerClosed() {}

  // Set by whoever carries the bytes: called when the session has new output that did not
  // come from Receive (a timer fired, the browser submitted a request).
  void SetOutputListener(std::function<void()> listener) { output_listener_ = std::move(listener); }

 protected:
  void NotifyOutput() {
    if (output_listener_) output_listener_();
  }
  // Runs produce after delay_ms (server think time), then notifies the transport of the
  // output it made. The timer is the session's: it is cancelled if the session goes first.
  void ProduceLater(PendingTimers& timers, double delay_ms, std::function<void()> produce) {
    timers.After(delay_ms, [this, produce = std::move(produce)] {
      produce();
      NotifyOutput();
    });
  }

 private:
  std::function<void()> output_listener_;
};

}  // namespace waterfall
