// The one adapter between a sans-I/O datagram peer (the browser's StubResolver) and an ns-3
// UDP socket: a client socket on a node, bound to an ephemeral port and connected to one
// remote address; Send hands a datagram to it, and every datagram that arrives goes to the
// receiver. It knows nothing about DNS.
#pragma once

#include <ns3/address.h>
#include <ns3/node.h>
#include <ns3/ptr.h>
#include <ns3/socket.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace waterfall {

class UdpDatagramSocket {
 public:
  using Receiver = std::function<void(const uint8_t* data, size_t size)>;

  // remote: an ns3::InetSocketAddress (the resolver's address and port 53).
  UdpDatagramSocket(ns3::Ptr<ns3::Node> node, const ns3::Address& remote);
  ~UdpDatagramSocket();
  UdpDatagramSocket(const UdpDatagramSocket&) = delete;
  UdpDatagramSocket& operator=(const UdpDatagramSocket&) = delete;

  // Where received datagrams go; none are delivered before it is set.
  void SetReceiver(Receiver receiver) { receiver_ = std::move(receiver); }
  // One datagram to the remote address (dropped by the network if it is lost there).
  void Send(const std::vector<uint8_t>& datagram);

 private:
  void OnReceive(ns3::Ptr<ns3::Socket> socket);

  ns3::Ptr<ns3::Socket> socket_;
  Receiver receiver_;
  std::vector<uint8_t> buffer_;
};

}  // namespace waterfall
