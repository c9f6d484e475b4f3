#include "sim/apps/udp_datagram_socket.h"

#include <ns3/packet.h>
#include <ns3/udp-socket-factory.h>

namespace waterfall {

UdpDatagramSocket::UdpDatagramSocket(ns3::Ptr<ns3::Node> node, const ns3::Address& remote)
    : socket_(ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId())) {
  socket_->Bind();  // an ephemeral port on any address
  socket_->Connect(remote);
  socket_->SetRecvCallback(ns3::MakeCallback(&UdpDatagramSocket::OnReceive, this));
}

UdpDatagramSocket::~UdpDatagramSocket() {
  socket_->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket_->Close();
}

void UdpDatagramSocket::Send(const std::vector<uint8_t>& datagram) {
  socket_->Send(ns3::Create<ns3::Packet>(datagram.data(), datagram.size()));
}

void UdpDatagramSocket::OnReceive(ns3::Ptr<ns3::Socket> socket) {
  while (ns3::Ptr<ns3::Packet> packet = socket->Recv()) {
    buffer_.resize(packet->GetSize());
    packet->CopyData(buffer_.data(), buffer_.size());
    if (receiver_) receiver_(buffer_.data(), buffer_.size());
  }
}

}  // namespace waterfall
