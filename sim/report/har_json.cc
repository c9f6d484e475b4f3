// A run as an HTTP Archive 1.2 log (see har_json.h; the mapping is docs/har-export.md's).
#include "sim/report/har_json.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "models/browser/browser.h"
#include "models/har/har_priority.h"
#include "models/http/protocols.h"
#include "models/server/site_content.h"

namespace waterfall {

namespace {

// The project has no release number (CMakeLists.txt's project() names none); HAR 1.2 requires
// creator.version to be a string, so it says so.
constexpr const char* kCreatorVersion = "unversioned";
constexpr const char* kPageId = "page_1";

// Simulated times in whole microseconds, rounded as the result file rounds them (MsJson,
// sim/report/metrics.cc: std::round(ms * 1000) / 1000), so that every HAR duration is a
// difference of two result-file values.
using Us = int64_t;
std::optional<Us> ToUs(const std::optional<double>& ms) {
  if (!ms) return std::nullopt;
  return static_cast<Us>(std::llround(*ms * 1000.0));
}
// Milliseconds as HAR writes them: the microsecond count / 1000, printed as the result file
// prints its times (the shortest text that reads back as the same double).
double UsToMs(Us us) { return static_cast<double>(us) / 1000.0; }

// Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil inverse,
// http://howardhinnant.github.io/date_algorithms.html#civil_from_days).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

// kHarEpoch, 2026-01-01T00:00:00Z, in days since 1970-01-01: 56 years of which 14 leap
// (1972 ... 2024): 56 * 365 + 14 = 20454.
constexpr int64_t kEpochDays = 20454;

struct HarTimings {
  Us blocked = -1, dns = -1, connect = -1, ssl = -1, send = 0, wait = 0, receive = 0;
  Us time = 0;
  // TLS 1.3 0-RTT: the request left before the handshake ended; the handshake's own connect
  // and ssl, which the timings above cut at the request.
  std::optional<Us> early_data_connect, early_data_ssl;
};

// The phases of a fetch (README, "Phases of a fetch") as HAR 1.2 timings. Each phase lasts
// from its start to the start of the next phase the fetch went through, the last to the end
// of the fetch, so that blocked + dns + connect + send + wait + receive = time exactly (ssl
// lies inside connect, as HAR 1.2 counts it). Where the phases meet end to start (they do,
// README) each one is its own result-file duration: dns = dns_end_ms - dns_start_ms, connect
// = (tls_end_ms, else connect_end_ms) - connect_start_ms. With TLS 0-RTT the request leaves
// before tls_end_ms: connect and ssl end at request_ms (HAR has no overlap).
HarTimings TimingsOf(const ResourceTiming& t) {
  HarTimings h;
  const std::optional<Us> queued = ToUs(t.queued_ms);
  if (!queued) return h;  // a cache hit: nothing was fetched
  const std::optional<Us> dns_start = ToUs(t.dns_start_ms), dns_end = ToUs(t.dns_end_ms);
  const std::optional<Us> tls_start = ToUs(t.tls_start_ms), tls_end = ToUs(t.tls_end_ms);
  std::optional<Us> connect_start = ToUs(t.connect_start_ms);
  if (!connect_start) connect_start = tls_start;  // queued while TLS went on: waited for it alone
  const std::optional<Us> request = ToUs(t.request_ms), first_byte = ToUs(t.first_byte_ms);
  const std::optional<Us> complete = ToUs(t.complete_ms);
  // The fetch ends when the body did, else (reset, timed out, TLS failed) at the last moment
  // it got to.
  Us end = *queued;
  for (const auto& b : {dns_start, dns_end, connect_start, ToUs(t.connect_end_ms), tls_start,
                        tls_end, request, first_byte, complete}) {
    if (b) end = std::max(end, *b);
  }
  if (complete) end = *complete;
  // The starts of the phases the fetch went through, in order; each ends at the next one.
  Us* const durations[] = {&h.blocked, &h.dns, &h.connect, &h.wait, &h.receive};
  const std::optional<Us> starts[] = {queued, dns_start, connect_start, request, first_byte};
  for (size_t i = 0; i < 5; ++i) {
    if (!starts[i]) continue;
    Us next = end;
    for (size_t j = i + 1; j < 5; ++j) {
      if (starts[j]) {
        next = *starts[j];
        break;
      }
    }
    *durations[i] = std::max<Us>(0, next - *starts[i]);
  }
  if (tls_start && h.connect >= 0) {
    const Us connect_end = *connect_start + h.connect;
    h.ssl = std::max<Us>(0, std::min(tls_end.value_or(connect_end), connect_end) - *tls_start);
    if (tls_end && *tls_end > connect_end) {
      h.early_data_connect = *tls_end - *connect_start;
      h.early_data_ssl = *tls_end - *tls_start;
    }
  }
  h.send = 0;  // the request is one write (h1) or one HEADERS frame (h2): no duration modelled
  h.time =
      h.blocked + std::max<Us>(0, h.dns) + std::max<Us>(0, h.connect) + h.send + h.wait + h.receive;
  return h;
}

nlohmann::ordered_json TimingsJson(const HarTimings& h) {
  auto ms = [](Us us) {
    return us < 0 ? nlohmann::ordered_json(-1) : nlohmann::ordered_json(UsToMs(us));
  };
  return {{"blocked", ms(h.blocked)}, {"dns", ms(h.dns)},   {"connect", ms(h.connect)},
          {"ssl", ms(h.ssl)},         {"send", ms(h.send)}, {"wait", ms(h.wait)},
          {"receive", ms(h.receive)}};
}

// The value of a header field, case-insensitively by name; nullptr if absent.
const std::string* FieldValue(const HeaderFields& fields, const char* name) {
  for (const auto& [n, v] : fields) {
    if (n.size() != std::char_traits<char>::length(name)) continue;
    bool same = true;
    for (size_t i = 0; i < n.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(n[i])) == name[i];
    }
    if (same) return &v;
  }
  return nullptr;
}

nlohmann::ordered_json HeadersJson(const HeaderFields& fields) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& [name, value] : fields) a.push_back({{"name", name}, {"value", value}});
  return a;
}

// HTTP/1.1 header block sizes as they went on the wire: the start line, "name: value\r\n" per
// field and the empty line (RFC 9112 2.1); h1_client.cc and h1_server.cc write them so.
int64_t H1BlockSize(const std::string& start_line, const HeaderFields& fields) {
  int64_t n = static_cast<int64_t>(start_line.size()) + 2;
  for (const auto& [name, value] : fields)
    n += static_cast<int64_t>(name.size() + value.size()) + 4;
  return n + 2;
}

// The query of a path ("/a?x=1&y" -> x=1, y=""), as written (HAR does not ask for decoding).
nlohmann::ordered_json QueryStringJson(const std::string& path) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  const size_t q = path.find('?');
  if (q == std::string::npos) return a;
  size_t at = q + 1;
  while (at <= path.size()) {
    size_t amp = path.find('&', at);
    if (amp == std::string::npos) amp = path.size();
    const std::string pair = path.substr(at, amp - at);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      a.push_back({{"name", pair.substr(0, eq)},
                   {"value", eq == std::string::npos ? "" : pair.substr(eq + 1)}});
    }
    at = amp + 1;
  }
  return a;
}

// DevTools' Network.ResourceType names (what Chrome writes as _resourceType).
const char* HarResourceType(ResourceType type) {
  switch (type) {
    case ResourceType::kDocument:
      return "document";
    case ResourceType::kStyle:
      return "stylesheet";
    case ResourceType::kScript:
      return "script";
    case ResourceType::kImage:
      return "image";
    case ResourceType::kFont:
      return "font";
    case ResourceType::kOther:
    case ResourceType::kPreconnect:
      break;
  }
  return "other";
}

// Why a fetch did not complete, as an _error; "" when it did.
std::string ErrorOf(const ResourceTiming& t) {
  switch (t.status) {
    case ResourceStatus::kComplete:
      return "";
    case ResourceStatus::kTlsFailed:
      return "tls_failed: " + t.tls_error;
    default:
      return ToString(t.status);
  }
}

nlohmann::ordered_json EntryJson(const Scenario& scenario, const ModeSpec& mode,
                                 const ResourceTiming& t, const std::string& server_address,
                                 Us start) {
  const bool h2 = VersionFor(mode, scenario, t.url.origin) == HttpVersion::kHttp2;
  const char* version = h2 ? "h2" : "http/1.1";  // as Chrome writes them
  const HarTimings timings = TimingsOf(t);
  const bool fetched = t.queued_ms.has_value();
  const bool sent = !t.request_headers.empty();
  const bool answered = !t.response_headers.empty() || t.response_status != 0;
  // HTTP/2 header blocks are HPACK-compressed: their size on the wire is not known here (-1,
  // HAR 1.2's "not available"); HTTP/1.1's is the text itself.
  int64_t request_headers_size = -1, response_headers_size = -1;
  if (!h2 && sent) {
    request_headers_size = H1BlockSize("GET " + t.url.path + " HTTP/1.1", t.request_headers);
  }
  if (!h2 && answered) {
    response_headers_size =
        H1BlockSize("HTTP/1.1 " + std::to_string(t.response_status) + " " + t.response_status_text,
                    t.response_headers);
  }
  const std::string* content_type = FieldValue(t.response_headers, "content-type");
  const uint64_t body = fetched ? t.body_bytes : 0;

  nlohmann::ordered_json request = {{"method", "GET"},
                                    {"url", t.url.ToString()},
                                    {"httpVersion", version},
                                    {"cookies", nlohmann::ordered_json::array()},
                                    {"headers", HeadersJson(t.request_headers)},
                                    {"queryString", QueryStringJson(t.url.path)},
                                    {"headersSize", request_headers_size},
                                    {"bodySize", 0}};
  nlohmann::ordered_json response = {
      {"status", fetched ? t.response_status : 200},
      {"statusText", fetched ? t.response_status_text : std::string("OK")},
      {"httpVersion", version},
      {"cookies", nlohmann::ordered_json::array()},
      {"headers", HeadersJson(t.response_headers)},
      {"content",
       {{"size", t.body_bytes},
        {"mimeType", content_type ? *content_type : std::string(ContentType(t.type))}}},
      {"redirectURL", ""},
      {"headersSize", response_headers_size},
      {"bodySize", fetched ? static_cast<int64_t>(body) : 0}};
  if (!fetched) {  // a cache hit: Chrome says so, and nothing crossed the wire
    response["content"]["size"] = t.size_bytes;
  }

  // The parser's and its preload scanner's finds (a cache hit is one: the parser found it in
  // the cache) name their parent, as Chrome's do; the document, pushes and what a 103 or a Link
  // header asked for are "other".
  nlohmann::ordered_json initiator = {{"type", "other"}};
  const bool parsed =
      t.initiator == Initiator::kParser || t.initiator == Initiator::kPreloadScanner;
  if ((parsed || !fetched) && t.parent) {
    initiator = {{"type", "parser"}, {"url", t.parent->ToString()}};
  }

  nlohmann::ordered_json e = {{"pageref", kPageId},
                              {"startedDateTime", HarDateTime(start / 1000)},
                              {"time", UsToMs(timings.time)},
                              {"request", std::move(request)},
                              {"response", std::move(response)},
                              {"cache", nlohmann::ordered_json::object()},
                              {"timings", TimingsJson(timings)}};
  if (fetched) e["serverIPAddress"] = server_address;
  if (t.where.connection >= 0) e["connection"] = std::to_string(t.where.connection);
  e["_initiator"] = std::move(initiator);
  // Chrome's spelling of the request's priority; none for what was never requested.
  if (t.priority) e["_priority"] = HarPriorityName(*t.priority);
  e["_was_pushed"] = t.pushed ? 1 : 0;
  if (!fetched) e["_fromCache"] = "memory";
  e["_transferSize"] =
      fetched ? static_cast<int64_t>(body) + std::max<int64_t>(0, response_headers_size) : 0;
  e["_resourceType"] = HarResourceType(t.type);
  if (timings.early_data_connect) {
    e["_early_data"] = {{"connect", UsToMs(*timings.early_data_connect)},
                        {"ssl", UsToMs(*timings.early_data_ssl)}};
  }
  // The start to the microsecond (startedDateTime has milliseconds) and what started it.
  e["_queued_ms"] = UsToMs(start);
  e["_waterfall_initiator"] = fetched ? ToString(t.initiator) : "cache";
  if (const std::string error = ErrorOf(t); !error.empty()) e["_error"] = error;
  return e;
}

}  // namespace

std::string HarDateTime(int64_t ms_after_epoch) {
  const int64_t ms_per_day = 86'400'000;
  int64_t days = ms_after_epoch / ms_per_day;
  int64_t rest = ms_after_epoch % ms_per_day;
  if (rest < 0) {
    rest += ms_per_day;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(kEpochDays + days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rest / 3'600'000),
                static_cast<long long>(rest / 60'000 % 60),
                static_cast<long long>(rest / 1000 % 60), static_cast<long long>(rest % 1000));
  return buf;
}

nlohmann::ordered_json RunToHar(const Scenario& scenario, const ModeSpec& mode,
                                const RunResult& run) {
  std::map<OriginKey, std::string> addresses;
  for (const OriginSummary& o : run.origins) addresses.emplace(o.origin, o.address);

  // What the page fetched or took from its cache, in order of start (Chrome's order); a
  // preconnect row is a connection, not a fetch, and a resource never discovered (blocked)
  // was never asked for.
  struct Row {
    Us start;
    size_t index;
  };
  std::vector<Row> rows;
  for (size_t i = 0; i < run.timings.size(); ++i) {
    const ResourceTiming& t = run.timings[i];
    if (t.type == ResourceType::kPreconnect) continue;
    const std::optional<Us> start = ToUs(t.queued_ms ? t.queued_ms : t.discovered_ms);
    if (!start) continue;
    rows.push_back({*start, i});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.start < b.start; });

  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const Row& row : rows) {
    const ResourceTiming& t = run.timings[row.index];
    const auto address = addresses.find(t.url.origin);
    entries.push_back(EntryJson(scenario, mode, t,
                                address == addresses.end() ? std::string() : address->second,
                                row.start));
  }

  const std::optional<Us> onload = ToUs(run.page.page_load_ms);
  const std::optional<Us> content_loaded = ToUs(run.page.dom_content_loaded_ms);
  // HAR 1.2 pageTimings: -1 for an event that did not happen.
  auto or_minus_one = [](const std::optional<Us>& us) {
    return us ? nlohmann::ordered_json(UsToMs(*us)) : nlohmann::ordered_json(-1);
  };
  nlohmann::ordered_json page = {
      {"startedDateTime", kHarEpoch},
      {"id", kPageId},
      {"title", scenario.name + " (" + run.mode + ")"},
      {"pageTimings",
       {{"onContentLoad", or_minus_one(content_loaded)},
        {"onLoad", or_minus_one(onload)},
        {"comment",
         "onContentLoad is the result's dom_content_loaded_ms, onLoad its page_load_ms (-1: not "
         "reached)"}}}};
  nlohmann::ordered_json log = {
      {"version", "1.2"},
      {"creator", {{"name", "waterfall"}, {"version", kCreatorVersion}}},
      {"browser", {{"name", "waterfall browser model"}, {"version", kCreatorVersion}}},
      {"pages", nlohmann::ordered_json::array({std::move(page)})},
      {"entries", std::move(entries)},
      {"comment", "simulated in ns-3 by waterfall: scenario " + scenario.name + ", mode " +
                      run.mode + ", seed " + std::to_string(run.seed) +
                      "; startedDateTime counts from a fixed epoch, " + kHarEpoch}};
  return {{"log", std::move(log)}};
}

}  // namespace waterfall
