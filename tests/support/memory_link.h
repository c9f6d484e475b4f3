// One TCP connection in memory: moves bytes between two ByteStreams (a client session and a
// server session) on the fake loop, the way sim/SocketPump does over a socket: it pulls a side
// when that side says it has output and after every Receive, and closes the connection when a
// side wants it closed after its output. Bytes arrive one_way_ms after they were pulled, in
// order; no bandwidth, no loss.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "models/core/byte_stream.h"
#include "models/core/event_loop.h"

namespace waterfall::testing {

class MemoryLink {
 public:
  MemoryLink(EventLoop& loop, ByteStream& client, ByteStream& server, double one_way_ms = 0)
      : timers_(loop), one_way_ms_(one_way_ms) {
    sides_[kClient].stream = &client;
    sides_[kServer].stream = &server;
    for (int s = 0; s < 2; ++s) {
      sides_[s].stream->SetOutputListener([this, s] { ScheduleFlush(s); });
    }
    // The server's first words (HTTP/2 SETTINGS) go out with its first answer, as over TCP.
  }
  ~MemoryLink() {
    for (Side& side : sides_) side.stream->SetOutputListener(nullptr);
  }
  MemoryLink(const MemoryLink&) = delete;
  MemoryLink& operator=(const MemoryLink&) = delete;

  // Everything each side has written so far.
  const std::string& client_wire() const { return sides_[kClient].wire; }
  const std::string& server_wire() const { return sides_[kServer].wire; }
  // What a side's Receive returned last (false: it failed on the peer's bytes).
  bool client_ok() const { return sides_[kClient].ok; }
  bool server_ok() const { return sides_[kServer].ok; }
  bool closed() const { return closed_; }

 private:
  static constexpr int kClient = 0;
  static constexpr int kServer = 1;
  static constexpr size_t kPullBytes = 16384;  // as sim/SocketPump

  struct Side {
    ByteStream* stream = nullptr;
    std::string wire;
    bool ok = true;
    bool flush_pending = false;
  };

  // A side said it has output: pull it on the next event, never inside the session's call.
  void ScheduleFlush(int s) {
    if (sides_[s].flush_pending || closed_) return;
    sides_[s].flush_pending = true;
    timers_.After(0, [this, s] {
      sides_[s].flush_pending = false;
      Flush(s);
    });
  }

  // Pulls everything side s has to say and sends it to the other side.
  void Flush(int s) {
    if (closed_) return;
    Side& from = sides_[s];
    std::string bytes;
    std::vector<uint8_t> buffer(kPullBytes);
    while (size_t n = from.stream->Pull(buffer.data(), buffer.size())) {
      bytes.append(reinterpret_cast<const char*>(buffer.data()), n);
    }
    from.wire += bytes;
    const int to = 1 - s;
    if (!bytes.empty()) {
      timers_.After(one_way_ms_, [this, to, bytes = std::move(bytes)] { Deliver(to, bytes); });
    }
    if (from.stream->WantsClose()) {
      closed_ = true;  // FIN after the bytes already sent
      timers_.After(one_way_ms_, [this, to] { sides_[to].stream->OnPeerClosed(); });
    }
  }

  void Deliver(int to, const std::string& bytes) {
    Side& side = sides_[to];
    if (!side.ok) return;
    side.ok = side.stream->Receive(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    Flush(to);  // the transport pulls after every Receive
  }

  PendingTimers timers_;  // a link that goes first cancels its deliveries
  double one_way_ms_;
  Side sides_[2];
  bool closed_ = false;
};

}  // namespace waterfall::testing
