#include "sim/apps/dns_server_app.h"

#include <ns3/inet-socket-address.h>
#include <ns3/packet.h>
#include <ns3/udp-socket-factory.h>

#include <utility>

namespace waterfall {

DnsServerApp::DnsServerApp(std::map<std::string, RecursiveResolver::HostRecord> records,
                           uint16_t port)
    : port_(port),
      resolver_(loop_, std::move(records),
                [this](std::vector<uint8_t> datagram, RecursiveResolver::Peer to) {
                  if (!socket_ || to >= peers_.size()) return;
                  socket_->SendTo(ns3::Create<ns3::Packet>(datagram.data(), datagram.size()), 0,
                                  peers_[to]);
                }) {}

DnsServerApp::~DnsServerApp() = default;

void DnsServerApp::StartApplication() {
  socket_ = ns3::Socket::CreateSocket(GetNode(), ns3::UdpSocketFactory::GetTypeId());
  socket_->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port_));
  socket_->SetRecvCallback(ns3::MakeCallback(&DnsServerApp::OnReceive, this));
}

void DnsServerApp::OnReceive(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address from;
  while (ns3::Ptr<ns3::Packet> packet = socket->RecvFrom(from)) {
    buffer_.resize(packet->GetSize());
    packet->CopyData(buffer_.data(), buffer_.size());
    resolver_.OnQuery(buffer_.data(), buffer_.size(), PeerOf(from));
  }
}

RecursiveResolver::Peer DnsServerApp::PeerOf(const ns3::Address& from) {
  for (size_t i = 0; i < peers_.size(); ++i) {
    if (peers_[i] == from) return i;
  }
  peers_.push_back(from);
  return peers_.size() - 1;
}

void DnsServerApp::DoDispose() {
  if (socket_) {
    socket_->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    socket_->Close();
  }
  socket_ = nullptr;
  ns3::Application::DoDispose();
}

}  // namespace waterfall
