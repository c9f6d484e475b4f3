// DNS messages as a stub resolver and a recursive resolver exchange them over UDP: an A query
// for one host and its answer (one A record, or NXDOMAIN), in RFC 1035 wire format (section
// 4.1). Built and parsed by Debian's ldns (libldns-dev), never by hand; every parser returns
// nullopt for bytes that are not the message it expects, whatever they are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace waterfall {

// A question as a resolver reads it from a query.
struct DnsQuestion {
  uint16_t id = 0;
  std::string host;  // lower case, no trailing dot ("cdn.example.net")
};

// An answer as a stub resolver reads it.
struct DnsAnswer {
  uint16_t id = 0;
  std::string host;              // the question's name: lower case, no trailing dot
  std::optional<uint32_t> ipv4;  // host byte order; empty for NXDOMAIN or no A record
};

// A standard query (QR 0, OPCODE QUERY) with recursion desired (RD 1), one question: QTYPE A,
// QCLASS IN, as a stub resolver sends it (RFC 1035 4.1.1, 4.1.2). Empty when host is not a
// domain name (a label over 63 bytes, a name over 255: RFC 1035 2.3.4).
std::vector<uint8_t> BuildAQuery(uint16_t id, const std::string& host);

// The question of a standard A/IN query with one question; nullopt for anything else
// (a response, another opcode, type or class, malformed bytes, the root name).
std::optional<DnsQuestion> ParseQuery(const uint8_t* data, size_t size);

// The response to BuildAQuery(id, host): QR, RD and RA set, RCODE NOERROR, the question echoed
// and one A record for host with the given TTL. Empty when host is not a domain name.
std::vector<uint8_t> BuildAAnswer(uint16_t id, const std::string& host, uint32_t ipv4_host_order,
                                  uint32_t ttl_s);

// The response to BuildAQuery(id, host) for a name that does not exist: QR, RD and RA set,
// RCODE NXDOMAIN (3), the question echoed, no records. Empty when host is not a domain name.
std::vector<uint8_t> BuildNxDomain(uint16_t id, const std::string& host);

// A response with one A/IN question: its id, the question's name and the address of the
// first A/IN record for that name in the answer section (none for NXDOMAIN, another RCODE or
// no such record). nullopt for a query, another opcode or malformed bytes.
std::optional<DnsAnswer> ParseAnswer(const uint8_t* data, size_t size);

}  // namespace waterfall
