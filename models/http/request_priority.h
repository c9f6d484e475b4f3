// A request's priority as the browser's network stack carries it: Chrome's net priority
// (net/base/request_priority.h) and, for RFC 9218, whether the response may be interleaved.
// The HTTP/2 client turns it into RFC 7540 priority fields (h2/http2_priority_dependencies.h)
// and, where asked, an RFC 9218 `priority` header field; the HTTP/1.1 scheduling in the browser
// (browser/resource_scheduler.h) delays the requests below kMedium.
#pragma once

#include <cstdint>
#include <string>

namespace waterfall {

// net::RequestPriority without THROTTLED (which Chrome uses for background tabs only), lowest
// first as there.
enum class RequestPriority { kIdle, kLowest, kLow, kMedium, kHighest };
// "IDLE", "LOWEST", "LOW", "MEDIUM", "HIGHEST", as net/base/request_priority.cc names them.
const char* ToString(RequestPriority priority);

struct Priority {
  // RFC 9218's default urgency (3) is Chrome's LOWEST.
  RequestPriority level = RequestPriority::kLowest;
  // RFC 9218 incremental: Chrome sets it for images and fetches (net/http/http_network_transaction
  // and Blink's ResourceRequest::SetPriorityIncremental; images render progressively).
  bool incremental = false;
};

// RFC 9218 urgency: HIGHEST 0, MEDIUM 1, LOW 2, LOWEST 3, IDLE 4 (Chrome's
// net/quic/quic_http_utils.cc ConvertRequestPriorityToQuicPriority).
int Rfc9218Urgency(RequestPriority priority);
// The `priority` request header field's value with RFC 9218's defaults (u=3, i absent)
// omitted: "u=0", "u=1, i", "i", ""; empty means Chrome sends no header.
std::string Rfc9218FieldValue(const Priority& priority);

}  // namespace waterfall
