#include "models/dns/dns_message.h"

#include <ldns/ldns.h>

#include <cctype>
#include <cstdlib>
#include <memory>

namespace waterfall {
namespace {

// ldns objects, freed with ldns's own functions when they go out of scope.
struct PacketFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using Packet = std::unique_ptr<ldns_pkt, PacketFree>;
struct RdfFree {
  void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};
using Rdf = std::unique_ptr<ldns_rdf, RdfFree>;
struct CharFree {
  void operator()(char* s) const { std::free(s); }  // ldns allocates strings with malloc
};

// The name as ldns reads it from a text form; null when host is no domain name. The empty
// string and "." are the root, which no host is.
Rdf HostName(const std::string& host) {
  if (host.empty() || host == ".") return nullptr;
  return Rdf(ldns_dname_new_frm_str(host.c_str()));
}

// "CDN.Example.NET." -> "cdn.example.net".
std::string HostText(const ldns_rdf* name) {
  std::unique_ptr<char, CharFree> text(ldns_rdf2str(name));
  if (!text) return "";
  std::string host(text.get());
  if (!host.empty() && host.back() == '.') host.pop_back();
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

std::vector<uint8_t> Wire(const ldns_pkt* packet) {
  uint8_t* bytes = nullptr;
  size_t size = 0;
  if (ldns_pkt2wire(&bytes, packet, &size) != LDNS_STATUS_OK) {
    std::free(bytes);
    return {};
  }
  std::vector<uint8_t> wire(bytes, bytes + size);
  std::free(bytes);
  return wire;
}

Packet FromWire(const uint8_t* data, size_t size) {
  if (data == nullptr || size == 0) return nullptr;
  ldns_pkt* packet = nullptr;
  if (ldns_wire2pkt(&packet, data, size) != LDNS_STATUS_OK) {
    ldns_pkt_free(packet);
    return nullptr;
  }
  return Packet(packet);
}

// The one A/IN question of a standard query or response; null when it has another shape.
const ldns_rr* OnlyAQuestion(const ldns_pkt* packet) {
  if (ldns_pkt_get_opcode(packet) != LDNS_PACKET_QUERY) return nullptr;
  const ldns_rr_list* questions = ldns_pkt_question(packet);
  if (questions == nullptr || ldns_rr_list_rr_count(questions) != 1) return nullptr;
  const ldns_rr* question = ldns_rr_list_rr(questions, 0);
  if (ldns_rr_get_type(question) != LDNS_RR_TYPE_A ||
      ldns_rr_get_class(question) != LDNS_RR_CLASS_IN || ldns_rr_owner(question) == nullptr) {
    return nullptr;
  }
  return question;
}

// A response to an A/IN query for host: QR, RD, RA, the question echoed; rcode as given.
Packet Response(uint16_t id, const std::string& host, ldns_pkt_rcode rcode) {
  Rdf name = HostName(host);
  if (!name) return nullptr;
  Packet packet(ldns_pkt_query_new(name.release(), LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN,
                                   LDNS_QR | LDNS_RD | LDNS_RA));
  if (!packet) return nullptr;
  ldns_pkt_set_id(packet.get(), id);
  ldns_pkt_set_rcode(packet.get(), static_cast<uint8_t>(rcode));
  return packet;
}

}  // namespace

std::vector<uint8_t> BuildAQuery(uint16_t id, const std::string& host) {
  Rdf name = HostName(host);
  if (!name) return {};
  // ldns_pkt_query_new takes the name; ldns_pkt_free frees it with the packet.
  Packet packet(ldns_pkt_query_new(name.release(), LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_RD));
  if (!packet) return {};
  ldns_pkt_set_id(packet.get(), id);
  return Wire(packet.get());
}

std::optional<DnsQuestion> ParseQuery(const uint8_t* data, size_t size) {
  Packet packet = FromWire(data, size);
  if (!packet || ldns_pkt_qr(packet.get())) return std::nullopt;
  const ldns_rr* question = OnlyAQuestion(packet.get());
  if (question == nullptr) return std::nullopt;
  DnsQuestion parsed;
  parsed.id = ldns_pkt_id(packet.get());
  parsed.host = HostText(ldns_rr_owner(question));
  if (parsed.host.empty()) return std::nullopt;
  return parsed;
}

std::vector<uint8_t> BuildAAnswer(uint16_t id, const std::string& host, uint32_t ipv4_host_order,
                                  uint32_t ttl_s) {
  Packet packet = Response(id, host, LDNS_RCODE_NOERROR);
  Rdf owner = HostName(host);
  if (!packet || !owner) return {};
  // RFC 1035 3.4.1: an A record's RDATA is the address, 4 bytes in network order.
  const uint8_t address[4] = {
      static_cast<uint8_t>(ipv4_host_order >> 24), static_cast<uint8_t>(ipv4_host_order >> 16),
      static_cast<uint8_t>(ipv4_host_order >> 8), static_cast<uint8_t>(ipv4_host_order)};
  Rdf rdata(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, sizeof address, address));
  ldns_rr* record = ldns_rr_new();
  if (!rdata || record == nullptr) {
    ldns_rr_free(record);
    return {};
  }
  ldns_rr_set_owner(record, owner.release());
  ldns_rr_set_type(record, LDNS_RR_TYPE_A);
  ldns_rr_set_class(record, LDNS_RR_CLASS_IN);
  ldns_rr_set_ttl(record, ttl_s);
  if (!ldns_rr_push_rdf(record, rdata.get())) {
    ldns_rr_free(record);
    return {};
  }
  rdata.release();  // the record owns it now
  // The packet owns the record from here on, and raises ANCOUNT.
  if (!ldns_pkt_push_rr(packet.get(), LDNS_SECTION_ANSWER, record)) {
    ldns_rr_free(record);
    return {};
  }
  return Wire(packet.get());
}

std::vector<uint8_t> BuildNxDomain(uint16_t id, const std::string& host) {
  Packet packet = Response(id, host, LDNS_RCODE_NXDOMAIN);
  if (!packet) return {};
  return Wire(packet.get());
}

std::optional<DnsAnswer> ParseAnswer(const uint8_t* data, size_t size) {
  Packet packet = FromWire(data, size);
  if (!packet || !ldns_pkt_qr(packet.get())) return std::nullopt;
  const ldns_rr* question = OnlyAQuestion(packet.get());
  if (question == nullptr) return std::nullopt;
  DnsAnswer parsed;
  parsed.id = ldns_pkt_id(packet.get());
  parsed.host = HostText(ldns_rr_owner(question));
  if (parsed.host.empty()) return std::nullopt;
  if (ldns_pkt_get_rcode(packet.get()) != LDNS_RCODE_NOERROR) return parsed;
  const ldns_rr_list* answers = ldns_pkt_answer(packet.get());
  const size_t count = answers == nullptr ? 0 : ldns_rr_list_rr_count(answers);
  for (size_t i = 0; i < count; ++i) {
    const ldns_rr* record = ldns_rr_list_rr(answers, i);
    if (ldns_rr_get_type(record) != LDNS_RR_TYPE_A ||
        ldns_rr_get_class(record) != LDNS_RR_CLASS_IN || ldns_rr_rd_count(record) != 1 ||
        ldns_rr_owner(record) == nullptr ||
        ldns_dname_compare(ldns_rr_owner(record), ldns_rr_owner(question)) != 0) {
      continue;
    }
    const ldns_rdf* rdata = ldns_rr_rdf(record, 0);
    if (rdata == nullptr || ldns_rdf_size(rdata) != 4) continue;
    const uint8_t* a = ldns_rdf_data(rdata);
    parsed.ipv4 = (uint32_t{a[0]} << 24) | (uint32_t{a[1]} << 16) | (uint32_t{a[2]} << 8) | a[3];
    break;
  }
  return parsed;
}

}  // namespace waterfall
