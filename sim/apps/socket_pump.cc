#include "sim/apps/socket_pump.h"

#include <ns3/callback.h>
#include <ns3/packet.h>
#include <ns3/tcp-socket-base.h>
#include <ns3/tcp-tx-buffer.h>

#include <algorithm>
#include <vector>

namespace waterfall {

namespace {
// The most the pump asks of the session per Send: one full-size TLS record's worth, so
// that a TCP_NOTSENT_LOWAT threshold is overshot by at most this much.
constexpr uint32_t kMaxPullBytes = 16384;
}  // namespace

SocketPump::SocketPump(ns3::Ptr<ns3::Socket> socket, ByteStream& stream,
                       uint32_t notsent_lowat_bytes)
    : socket_(socket), stream_(stream), notsent_lowat_bytes_(notsent_lowat_bytes) {
  socket_->SetRecvCallback(ns3::MakeCallback(&SocketPump::OnReceive, this));
  socket_->SetSendCallback(ns3::MakeCallback(&SocketPump::OnSendSpace, this));
  socket_->SetCloseCallbacks(ns3::MakeCallback(&SocketPump::OnClosed, this),
                             ns3::MakeCallback(&SocketPump::OnClosed, this));
  if (notsent_lowat_bytes_ > 0) {
    socket_->TraceConnectWithoutContext("HighestSequence",
                                        ns3::MakeCallback(&SocketPump::OnHighestSequence, this));
  }
  stream_.SetOutputListener([this] { Flush(); });
}

SocketPump::~SocketPump() {
  stream_.SetOutputListener(nullptr);
  socket_->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket_->SetSendCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, uint32_t>());
  socket_->SetCloseCallbacks(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                             ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
}

void SocketPump::OnClosed(ns3::Ptr<ns3::Socket>) {
  if (closed_) return;
  closed_ = true;
  stream_.OnPeerClosed();
}

void SocketPump::OnHighestSequence(ns3::SequenceNumber32, ns3::SequenceNumber32 new_value) {
  highest_sent_ = new_value;
  have_highest_sent_ = true;
}

uint32_t SocketPump::UnsentBytes() const {
  auto tcp = ns3::DynamicCast<ns3::TcpSocketBase>(socket_);
  if (!tcp) return 0;
  ns3::Ptr<ns3::TcpTxBuffer> tx = tcp->GetTxBuffer();
  ns3::SequenceNumber32 sent =
      have_highest_sent_ ? std::max(highest_sent_, tx->HeadSequence()) : tx->HeadSequence();
  return tx->TailSequence() > sent ? tx->TailSequence() - sent : 0;
}

void SocketPump::OnReceive(ns3::Ptr<ns3::Socket> socket) {
  while (ns3::Ptr<ns3::Packet> packet = socket->Recv()) {
    if (packet->GetSize() == 0) break;  // end of stream
    if (receive_buffer_.size() < packet->GetSize()) receive_buffer_.resize(packet->GetSize());
    const uint32_t n = packet->CopyData(receive_buffer_.data(), packet->GetSize());
    bytes_received_ += n;
    receiving_ = true;
    bool ok = stream_.Receive(receive_buffer_.data(), n);
    receiving_ = false;
    if (!ok) break;
  }
  Flush();
}

void SocketPump::OnSendSpace(ns3::Ptr<ns3::Socket>, uint32_t) { Flush(); }

void SocketPump::Flush() {
  if (receiving_ || closed_) return;  // OnReceive flushes once the session has returned
  static uint8_t buffer[kMaxPullBytes];
  for (;;) {
    uint32_t room = socket_->GetTxAvailable();
    if (notsent_lowat_bytes_ > 0) {
      uint32_t unsent = UnsentBytes();
      if (unsent >= notsent_lowat_bytes_) return;
    }
    room = std::min(room, kMaxPullBytes);
    if (room == 0) return;
    size_t n = stream_.Pull(buffer, room);
    if (n == 0) {
      if (stream_.WantsClose()) {
        closed_ = true;
        socket_->Close();  // FIN after the bytes already sent
      }
      return;
    }
    socket_->Send(buffer, static_cast<uint32_t>(n), 0);  // n <= GetTxAvailable(): never refused
    bytes_sent_ += n;
  }
}

}  // namespace waterfall
