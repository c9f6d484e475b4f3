// DNS on a simulated wire: the browser's StubResolver on one node (through UdpDatagramSocket)
// asks the DnsServerApp on another, across a point-to-point link of known delay and rate. The
// lookup takes exactly the round trip, the serialization of both datagrams and the host's
// dns_ms; the pcap of the link decodes as DNS in tshark.
#include <gtest/gtest.h>
#include <ns3/error-model.h>
#include <ns3/inet-socket-address.h>
#include <ns3/internet-stack-helper.h>
#include <ns3/ipv4-address-helper.h>
#include <ns3/node-container.h>
#include <ns3/point-to-point-helper.h>
#include <ns3/point-to-point-net-device.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "models/dns/stub_resolver.h"
#include "sim/apps/dns_server_app.h"
#include "sim/apps/ns3_event_loop.h"
#include "sim/apps/udp_datagram_socket.h"
#include "tests/support/shell.h"

namespace waterfall {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kCdn = 0xC0000214;  // 192.0.2.20

// Drops the first packet the resolver's device receives: the first query is lost.
class LoseFirstPacket : public ns3::ErrorModel {
 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet>) override { return received_++ == 0; }
  void DoReset() override { received_ = 0; }
  int received_ = 0;
};

struct Lookup {
  std::optional<uint32_t> ipv4;
  std::optional<double> start_ms, end_ms;
  int queries = 0;
};

// Resolves host from node 0 through the resolver on node 1 (which knows cdn.example.net, 40 ms
// to resolve), over 10 ms one way at 8 Mbit/s. With pcap, writes the link as seen by node 0.
Lookup ResolveOverTheWire(const std::string& host, const std::string& pcap = "",
                          bool lose_first_query = false) {
  Lookup result;
  {
    ns3::NodeContainer nodes;
    nodes.Create(2);
    ns3::PointToPointHelper link;
    link.SetDeviceAttribute("DataRate", ns3::StringValue("8Mbps"));
    link.SetChannelAttribute("Delay", ns3::StringValue("10ms"));
    ns3::NetDeviceContainer devices = link.Install(nodes);
    ns3::InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(nodes);
    ns3::Ipv4AddressHelper addresses;
    addresses.SetBase("10.53.0.0", "255.255.255.0");
    const ns3::Ipv4Address resolver_address = addresses.Assign(devices).GetAddress(1);
    if (lose_first_query) {
      devices.Get(1)->GetObject<ns3::PointToPointNetDevice>()->SetReceiveErrorModel(
          ns3::Create<LoseFirstPacket>());
    }
    if (!pcap.empty()) link.EnablePcap(pcap, devices.Get(0), false, true);

    auto server = ns3::Create<DnsServerApp>(
        std::map<std::string, RecursiveResolver::HostRecord>{{"cdn.example.net", {kCdn, 40}}});
    nodes.Get(1)->AddApplication(server);

    Ns3EventLoop loop;
    UdpDatagramSocket socket(nodes.Get(0),
                             ns3::InetSocketAddress(resolver_address, DnsServerApp::kDnsPort));
    StubResolver stub(loop, [&](std::vector<uint8_t> datagram) { socket.Send(datagram); });
    socket.SetReceiver([&](const uint8_t* data, size_t size) { stub.OnDatagram(data, size); });
    ns3::Simulator::ScheduleNow(
        [&] { stub.Resolve(host, [&](std::optional<uint32_t> ipv4) { result.ipv4 = ipv4; }); });
    ns3::Simulator::Run();
    result.start_ms = stub.LookupStartMs(host);
    result.end_ms = stub.LookupEndMs(host);
    result.queries = stub.queries_sent();
  }
  ns3::Simulator::Destroy();
  return result;
}

TEST(DnsOverUdpTest, ALookupTakesTheRoundTripTheSerializationAndTheResolversTime) {
  const Lookup lookup = ResolveOverTheWire("cdn.example.net");
  EXPECT_EQ(lookup.ipv4, kCdn);
  EXPECT_EQ(lookup.queries, 1);
  EXPECT_EQ(lookup.start_ms, 0);
  // Query: 33 DNS bytes + 8 UDP + 20 IPv4 + 2 PPP = 63 bytes, 63 us at 8 Mbit/s; answer: 49 +
  // 30 = 79 bytes, 79 us. 10 ms + 0.063 ms there, 40 ms dns_ms, 10 ms + 0.079 ms back.
  ASSERT_TRUE(lookup.end_ms);
  EXPECT_DOUBLE_EQ(*lookup.end_ms, 60.142);
}

TEST(DnsOverUdpTest, AnUnknownHostIsNxDomainAfterTheRoundTripAlone) {
  const Lookup lookup = ResolveOverTheWire("nowhere.example");
  EXPECT_FALSE(lookup.ipv4);
  // Query: 12 + 17 ("nowhere.example": 1+7 + 1+7 + 1) + 4 = 33 DNS bytes, 63 on the wire; the
  // NXDOMAIN is the same 33 bytes, 63 us too. 10.063 + 0 + 10.063.
  ASSERT_TRUE(lookup.end_ms);
  EXPECT_DOUBLE_EQ(*lookup.end_ms, 20.126);
}

TEST(DnsOverUdpTest, ALostQueryIsSentAgainAfterOneSecondAndAnswered) {
  const Lookup lookup = ResolveOverTheWire("cdn.example.net", "", true);
  EXPECT_EQ(lookup.ipv4, kCdn);
  EXPECT_EQ(lookup.queries, 2);
  // The second query leaves at the 1000 ms fallback period; then as above, 60.142 ms.
  ASSERT_TRUE(lookup.end_ms);
  EXPECT_DOUBLE_EQ(*lookup.end_ms, 1060.142);
}

TEST(DnsOverUdpTest, ThePcapDecodesAsADnsQueryAndItsAnswerInTshark) {
  // CI installs tshark (scripts/setup-deps): its absence is a failure, not a skip.
  ASSERT_EQ(testing::Shell("command -v tshark").exit_code, 0)
      << "tshark not installed (scripts/setup-deps installs it)";
  const fs::path dir =
      fs::temp_directory_path() / ("waterfall-dns-pcap-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string pcap = (dir / "dns.pcap").string();
  ResolveOverTheWire("cdn.example.net", pcap);
  const testing::Outcome decoded = testing::Shell(
      "(tshark -r " + pcap +
      " -Y dns -T fields -e dns.flags.response -e dns.qry.name -e dns.a 2>/dev/null)");
  fs::remove_all(dir);
  ASSERT_EQ(decoded.exit_code, 0) << decoded.output;
  // One query (response flag 0, no address), then its answer with the address.
  EXPECT_EQ(decoded.output, "0\tcdn.example.net\t\n1\tcdn.example.net\t192.0.2.20\n");
}

}  // namespace
}  // namespace waterfall
