// DNS messages on the wire: what BuildAQuery sends is a standard A query ldns reads back, each
// builder round-trips through its parser, and bytes that are not the expected message parse as
// nullopt.
#include "models/dns/dns_message.h"

#include <gtest/gtest.h>
#include <ldns/ldns.h>

#include <cstdlib>
#include <vector>

namespace waterfall {
namespace {

constexpr uint32_t kAddress = 0xC000020A;  // 192.0.2.10

TEST(DnsMessageTest, AQueryIsTheHeaderTheNameAndTypeAndClass) {
  const std::vector<uint8_t> query = BuildAQuery(0x1234, "cdn.example.net");
  // 12 header bytes (RFC 1035 4.1.1) + the name as labels: 1+3 "cdn" 1+7 "example" 1+3 "net"
  // and the root's 0 = 17 + QTYPE 2 + QCLASS 2 = 33.
  ASSERT_EQ(query.size(), 33u);
  EXPECT_EQ(query[0], 0x12);  // ID, network order
  EXPECT_EQ(query[1], 0x34);
  EXPECT_EQ(query[2], 0x01);  // QR 0, OPCODE 0, AA 0, TC 0, RD 1
  EXPECT_EQ(query[3], 0x00);  // RA 0, Z 0, RCODE 0
  EXPECT_EQ(query[5], 1);     // QDCOUNT 1; AN/NS/ARCOUNT 0
  EXPECT_EQ(query[7] + query[9] + query[11], 0);
  EXPECT_EQ(query[12], 3);  // the first label's length; the name is bytes 12..28
  EXPECT_EQ(query[28], 0);  // the root label ends the name
  EXPECT_EQ(query[30], 1);  // QTYPE (bytes 29, 30) A = 1 (RFC 1035 3.2.2)
  EXPECT_EQ(query[32], 1);  // QCLASS (bytes 31, 32) IN = 1 (RFC 1035 3.2.4)
}

TEST(DnsMessageTest, ABuiltQueryIsWhatLdnsReadsBack) {
  const std::vector<uint8_t> query = BuildAQuery(7, "cdn.example.net");
  ldns_pkt* packet = nullptr;
  ASSERT_EQ(ldns_wire2pkt(&packet, query.data(), query.size()), LDNS_STATUS_OK);
  EXPECT_EQ(ldns_pkt_id(packet), 7);
  EXPECT_FALSE(ldns_pkt_qr(packet));
  EXPECT_TRUE(ldns_pkt_rd(packet));
  ASSERT_EQ(ldns_pkt_qdcount(packet), 1);
  const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(packet), 0);
  EXPECT_EQ(ldns_rr_get_type(question), LDNS_RR_TYPE_A);
  EXPECT_EQ(ldns_rr_get_class(question), LDNS_RR_CLASS_IN);
  char* name = ldns_rdf2str(ldns_rr_owner(question));
  EXPECT_STREQ(name, "cdn.example.net.");
  std::free(name);
  ldns_pkt_free(packet);
}

TEST(DnsMessageTest, AQueryRoundTripsWithTheNameInLowerCase) {
  const std::vector<uint8_t> query = BuildAQuery(65535, "CDN.Example.NET");
  const std::optional<DnsQuestion> parsed = ParseQuery(query.data(), query.size());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->id, 65535);
  EXPECT_EQ(parsed->host, "cdn.example.net");
  EXPECT_FALSE(ParseAnswer(query.data(), query.size()));  // a query is no answer
}

TEST(DnsMessageTest, AnAnswerRoundTripsWithItsAddress) {
  const std::vector<uint8_t> answer = BuildAAnswer(42, "cdn.example.net", kAddress, 300);
  // The query's 33 bytes + one record: its name as a 2-byte pointer to the question's (RFC
  // 1035 4.1.4) + TYPE 2 + CLASS 2 + TTL 4 + RDLENGTH 2 + the address 4 = 33 + 16 = 49.
  EXPECT_EQ(answer.size(), 49u);
  EXPECT_EQ(answer[2], 0x81);  // QR 1, RD 1
  EXPECT_EQ(answer[3], 0x80);  // RA 1, RCODE 0
  const std::optional<DnsAnswer> parsed = ParseAnswer(answer.data(), answer.size());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->id, 42);
  EXPECT_EQ(parsed->host, "cdn.example.net");
  EXPECT_EQ(parsed->ipv4, kAddress);
  EXPECT_FALSE(ParseQuery(answer.data(), answer.size()));  // an answer is no query
}

TEST(DnsMessageTest, NxDomainRoundTripsWithoutAnAddress) {
  const std::vector<uint8_t> answer = BuildNxDomain(9, "nowhere.example");
  EXPECT_EQ(answer[3] & 0x0F, 3);  // RCODE 3, name error (RFC 1035 4.1.1)
  const std::optional<DnsAnswer> parsed = ParseAnswer(answer.data(), answer.size());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->id, 9);
  EXPECT_EQ(parsed->host, "nowhere.example");
  EXPECT_FALSE(parsed->ipv4);
}

TEST(DnsMessageTest, GarbageAndTruncatedMessagesParseAsNothing) {
  const uint8_t few[] = {0x12, 0x34, 0x01};
  EXPECT_FALSE(ParseQuery(few, sizeof few));
  EXPECT_FALSE(ParseAnswer(few, sizeof few));
  EXPECT_FALSE(ParseQuery(nullptr, 0));
  EXPECT_FALSE(ParseAnswer(nullptr, 0));
  const std::vector<uint8_t> answer = BuildAAnswer(1, "cdn.example.net", kAddress, 300);
  for (size_t size = 0; size < answer.size(); ++size) {
    EXPECT_FALSE(ParseAnswer(answer.data(), size)) << size << " bytes";
  }
  // A header claiming one question and no question after it.
  const uint8_t no_question[12] = {0, 1, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(ParseQuery(no_question, sizeof no_question));
}

TEST(DnsMessageTest, AQueryForAnotherTypeIsNotAnAQuery) {
  ldns_pkt* packet = nullptr;
  ASSERT_EQ(ldns_pkt_query_new_frm_str(&packet, "cdn.example.net", LDNS_RR_TYPE_AAAA,
                                       LDNS_RR_CLASS_IN, LDNS_RD),
            LDNS_STATUS_OK);
  uint8_t* wire = nullptr;
  size_t size = 0;
  ASSERT_EQ(ldns_pkt2wire(&wire, packet, &size), LDNS_STATUS_OK);
  EXPECT_FALSE(ParseQuery(wire, size));
  std::free(wire);
  ldns_pkt_free(packet);
}

TEST(DnsMessageTest, ANameThatIsNoDomainNameBuildsNothing) {
  const std::string label64(64, 'a');  // labels are at most 63 bytes (RFC 1035 2.3.4)
  EXPECT_TRUE(BuildAQuery(1, label64 + ".example").empty());
  EXPECT_TRUE(BuildAAnswer(1, label64 + ".example", kAddress, 300).empty());
  EXPECT_TRUE(BuildNxDomain(1, label64 + ".example").empty());
  EXPECT_TRUE(BuildAQuery(1, "").empty());
}

}  // namespace
}  // namespace waterfall
