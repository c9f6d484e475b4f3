// The one adapter between a protocol session and an ns-3 TCP socket. It knows nothing about
// HTTP: received bytes go into ByteStream::Receive, and while the socket has send space the
// session's output is pulled and sent. With notsent_lowat_bytes it pulls only while fewer
// unsent bytes than that wait in the socket, like Linux's TCP_NOTSENT_LOWAT. A session that
// wants its connection closed (ByteStream::WantsClose) gets it closed once its output is
// handed over; a connection the peer closes or that breaks is reported (OnPeerClosed).
#pragma once

#include <ns3/ptr.h>
#include <ns3/sequence-number.h>
#include <ns3/socket.h>

#include <cstdint>
#include <vector>

#include "models/core/byte_stream.h"

namespace waterfall {

class SocketPump {
 public:
  SocketPump(ns3::Ptr<ns3::Socket> socket, ByteStream& stream, uint32_t notsent_lowat_bytes);
  ~SocketPump();
  SocketPump(const SocketPump&) = delete;
  SocketPump& operator=(const SocketPump&) = delete;

  // Sends whatever the session has, as far as the socket takes it.
  void Flush();

  uint64_t bytes_received() const { return bytes_received_; }
  uint64_t bytes_sent() const { return bytes_sent_; }

 private:
  void OnReceive(ns3::Ptr<ns3::Socket> socket);
  void OnSendSpace(ns3::Ptr<ns3::Socket> socket, uint32_t available);
  void OnClosed(ns3::Ptr<ns3::Socket> socket);
  void OnHighestSequence(ns3::SequenceNumber32 old_value, ns3::SequenceNumber32 new_value);
  uint32_t UnsentBytes() const;

  ns3::Ptr<ns3::Socket> socket_;
  ByteStream& stream_;
  uint32_t notsent_lowat_bytes_;
  ns3::SequenceNumber32 highest_sent_;
  bool have_highest_sent_ = false;
  bool receiving_ = false;  // inside ByteStream::Receive: a flush must wait until it returns
  std::vector<uint8_t> receive_buffer_;
  bool closed_ = false;  // closed by us or by the peer: nothing more moves
  uint64_t bytes_received_ = 0;
  uint64_t bytes_sent_ = 0;
};

}  // namespace waterfall
