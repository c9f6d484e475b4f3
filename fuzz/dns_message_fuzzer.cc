// libFuzzer target over the DNS message parsers (models/dns/dns_message.h), which read
// whatever arrives in a UDP datagram.
//
// Input: one datagram's bytes. Contract checked: ParseQuery and ParseAnswer return nullopt or
// a message with a non-empty host; a parsed query or answer, built again from what was parsed,
// parses back to the same id, host and address. Anything else (a crash, a leak or another
// sanitizer report, a broken round trip) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "models/dns/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto require = [](bool ok) {
    if (!ok) std::abort();
  };
  if (auto query = waterfall::ParseQuery(data, size)) {
    require(!query->host.empty());
    const std::vector<uint8_t> again = waterfall::BuildAQuery(query->id, query->host);
    const auto reparsed = waterfall::ParseQuery(again.data(), again.size());
    require(reparsed && reparsed->id == query->id && reparsed->host == query->host);
  }
  if (auto answer = waterfall::ParseAnswer(data, size)) {
    require(!answer->host.empty());
    const std::vector<uint8_t> again =
        answer->ipv4 ? waterfall::BuildAAnswer(answer->id, answer->host, *answer->ipv4, 300)
                     : waterfall::BuildNxDomain(answer->id, answer->host);
    const auto reparsed = waterfall::ParseAnswer(again.data(), again.size());
    require(reparsed && reparsed->id == answer->id && reparsed->host == answer->host &&
            reparsed->ipv4 == answer->ipv4);
  }
  return 0;
}
