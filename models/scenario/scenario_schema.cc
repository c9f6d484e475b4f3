#include "models/scenario/scenario_schema.h"

#include <iterator>
#include <stdexcept>

#include "models/scenario/toml_diagnostics.h"

namespace waterfall {
namespace {

// Enum keys: the words of the file and the values they stand for, in the same order.
constexpr std::string_view kQueueWords[] = {"droptail", "fq_codel"};
constexpr QueueDiscipline kQueueValues[] = {QueueDiscipline::kDropTail, QueueDiscipline::kFqCoDel};
constexpr std::string_view kTcpWords[] = {"cubic", "newreno", "bbr"};
constexpr TcpVariant kTcpValues[] = {TcpVariant::kCubic, TcpVariant::kNewReno, TcpVariant::kBbr};
constexpr std::string_view kPushOrderWords[] = {"before", "after"};
constexpr PushOrder kPushOrderValues[] = {PushOrder::kBefore, PushOrder::kAfter};
constexpr std::string_view kConnectionWords[] = {"cold", "warm", "resumed"};
constexpr ConnectionStart kConnectionValues[] = {ConnectionStart::kCold, ConnectionStart::kWarm,
                                                 ConnectionStart::kResumed};
constexpr std::string_view kSchemeWords[] = {"http", "https"};
constexpr std::string_view kTlsVersionWords[] = {"1.3", "1.2"};
constexpr TlsVersion kTlsVersionValues[] = {TlsVersion::k13, TlsVersion::k12};
constexpr std::string_view kCertificateWords[] = {"ecdsa-p256", "rsa-2048", "rsa-4096"};
constexpr CertificateKey kCertificateValues[] = {
    CertificateKey::kEcdsaP256, CertificateKey::kRsa2048, CertificateKey::kRsa4096};
constexpr std::string_view kCertificateErrorWords[] = {"none", "untrusted-root", "wrong-host",
                                                       "expired"};
constexpr CertificateError kCertificateErrorValues[] = {
    CertificateError::kNone, CertificateError::kUntrustedRoot, CertificateError::kWrongHost,
    CertificateError::kExpired};
constexpr std::string_view kTypeWords[] = {"document", "style", "script",    "image",
                                           "font",     "other", "preconnect"};
constexpr std::string_view kFaultWords[] = {"none", "reset", "goaway", "no_response"};
// LoadPriority and StreamScheduler in enum order (ParseLoadPriority / ParseStreamScheduler read
// the same words).
constexpr std::string_view kPriorityWords[] = {"very-low", "low", "medium", "high", "very-high"};
constexpr std::string_view kSchedulerWords[] = {"rfc7540", "rfc9218", "fifo", "round-robin"};
constexpr StreamScheduler kSchedulerValues[] = {StreamScheduler::kRfc7540,
                                                StreamScheduler::kRfc9218, StreamScheduler::kFifo,
                                                StreamScheduler::kRoundRobin};

using Setter = void (*)(Scenario&, const KeyValue&);

constexpr KeySpec Key(std::string_view table, std::string_view name, std::string_view member,
                      KeyType type, std::string_view unit, std::string_view default_value,
                      std::string_view default_source, Setter set) {
  return KeySpec{table, name, member,        type,           0,  0, false, "", nullptr,
                 0,     unit, default_value, default_source, set};
}
constexpr KeySpec Int(std::string_view table, std::string_view name, std::string_view member,
                      int64_t lo, int64_t hi, std::string_view unit, std::string_view default_value,
                      std::string_view default_source, Setter set, std::string_view hi_note = "") {
  return KeySpec{table,
                 name,
                 member,
                 KeyType::kInt,
                 static_cast<double>(lo),
                 static_cast<double>(hi),
                 false,
                 hi_note,
                 nullptr,
                 0,
                 unit,
                 default_value,
                 default_source,
                 set};
}
constexpr KeySpec Number(std::string_view table, std::string_view name, std::string_view member,
                         double lo, double hi, bool lo_open, std::string_view unit,
                         std::string_view default_value, std::string_view default_source,
                         Setter set) {
  return KeySpec{table, name, member,        KeyType::kNumber, lo, hi, lo_open, "", nullptr,
                 0,     unit, default_value, default_source,   set};
}
template <size_t N>
constexpr KeySpec Enum(std::string_view table, std::string_view name, std::string_view member,
                       const std::string_view (&choices)[N], std::string_view default_value,
                       std::string_view default_source, Setter set) {
  return KeySpec{table, name, member,        KeyType::kEnum, 0,  0, false, "", choices,
                 N,     "",   default_value, default_source, set};
}

// Everything here is constexpr, so the loader works even when called during static
// initialization of another translation unit. Tables in the order the loader reads them, and
// keys in each table in the order it reads (and reports) them.
constexpr KeySpec kKeys[] = {
    // ---- top level
    Key("", "name", "name", KeyType::kString, "", "required", "", nullptr),
    Enum("", "scheme", "origins", kSchemeWords, "`\"http\"`", "", nullptr),
    Key("", "network", "network", KeyType::kTable, "", "all defaults", "", nullptr),
    Key("", "dns", "dns", KeyType::kTable, "", "absent = no lookups", "", nullptr),
    Key("", "origin", "origins", KeyType::kArrayOfTables, "",
        "absent = one origin, `http://waterfall.test`", "", nullptr),
    Key("", "tls", "tls", KeyType::kTable, "", "all defaults", "", nullptr),
    Key("", "server", "server", KeyType::kTable, "", "all defaults", "", nullptr),
    Key("", "client", "client", KeyType::kTable, "", "all defaults", "", nullptr),
    Key("", "resource", "resources", KeyType::kArrayOfTables, "", "required", "", nullptr),

    // ---- [network] -> LinkProfile
    Number("network", "rtt_ms", "rtt_ms", 0, kMaxRttMs, false, "ms", "100", "",
           [](Scenario& s, const KeyValue& v) { s.network.rtt_ms = v.number; }),
    Number("network", "bandwidth_mbps", "bandwidth_mbps", 0, kMaxRateMbps, true, "Mbit/s", "10", "",
           [](Scenario& s, const KeyValue& v) { s.network.bandwidth_mbps = v.number; }),
    Number("network", "uplink_mbps", "uplink_mbps", 0, kMaxRateMbps, true, "Mbit/s",
           "absent (0 = same as `bandwidth_mbps`)", "",
           [](Scenario& s, const KeyValue& v) { s.network.uplink_mbps = v.number; }),
    Int("network", "queue_packets", "queue_packets", 1, 100000, "packets", "100",
        "ns-3 `PointToPointNetDevice` default queue (100p).",
        [](Scenario& s, const KeyValue& v) {
          s.network.queue_packets = static_cast<uint32_t>(v.integer);
        }),
    Enum("network", "queue", "queue", kQueueWords, "`\"droptail\"`", "",
         [](Scenario& s, const KeyValue& v) { s.network.queue = kQueueValues[v.choice]; }),
    Number("network", "loss_rate", "loss_rate", 0, kMaxLossRate, false, "", "0", "",
           [](Scenario& s, const KeyValue& v) { s.network.loss_rate = v.number; }),
    Enum("network", "tcp", "tcp", kTcpWords, "`\"cubic\"`", "Linux default since 2.6.19.",
         [](Scenario& s, const KeyValue& v) { s.network.tcp = kTcpValues[v.choice]; }),
    Int("network", "initial_cwnd", "initial_cwnd", 1, 1000, "segments", "10",
        "RFC 6928; Linux default since 2.6.39.",
        [](Scenario& s, const KeyValue& v) {
          s.network.initial_cwnd = static_cast<uint32_t>(v.integer);
        }),
    Int("network", "mss", "mss_bytes", 536, 9000, "bytes", "1448",
        "1500 MTU − 20 IP − 20 TCP − 12 timestamp option (Linux).",
        [](Scenario& s, const KeyValue& v) {
          s.network.mss_bytes = static_cast<uint32_t>(v.integer);
        }),
    Number("network", "outage_start_ms", "outage_start_ms", 0, kMaxTimeoutMs, false, "ms", "0", "",
           [](Scenario& s, const KeyValue& v) { s.network.outage_start_ms = v.number; }),
    Number("network", "outage_ms", "outage_ms", 0, kMaxTimeoutMs, false, "ms", "0 (no outage)", "",
           [](Scenario& s, const KeyValue& v) { s.network.outage_ms = v.number; }),

    // ---- [dns] -> DnsConfig; the table's presence sets `enabled`
    Number("dns", "resolver_rtt_ms", "resolver_rtt_ms", 0, kMaxRttMs, false, "ms", "20",
           "Our choice: a nearby ISP resolver.",
           [](Scenario& s, const KeyValue& v) { s.dns.resolver_rtt_ms = v.number; }),

    // ---- [[origin]] -> Origin; read by the loader with the checks between origins
    Key("origin", "url", "key", KeyType::kString, "", "required", "", nullptr),
    Number("origin", "rtt_ms", "rtt_ms", 0, kMaxRttMs, false, "ms", "`network.rtt_ms`", "",
           nullptr),
    Number("origin", "dns_ms", "dns_ms", 0, kMaxRttMs, false, "ms", "0", "", nullptr),
    Number("origin", "think_ms", "think_ms", 0, kMaxServerMs, false, "ms", "0", "", nullptr),
    Key("origin", "protocols", "speaks_h2, speaks_http11", KeyType::kStringList, "",
        "`[\"h2\", \"http/1.1\"]`", "", nullptr),
    Key("origin", "address", "address", KeyType::kString, "", "absent = a node of its own", "",
        nullptr),
    Key("origin", "tls", "tls", KeyType::kTable, "", "absent = `[tls]`", "", nullptr),

    // ---- [tls] -> Scenario::tls, and each https origin's Origin::tls (an [[origin]]'s `tls`
    // table is read with the same rows, over a copy of [tls])
    Enum("tls", "version", "version", kTlsVersionWords, "`\"1.3\"`",
         "What Chrome and every major CDN negotiate (Chrome offers TLS 1.3 since 70).",
         [](Scenario& s, const KeyValue& v) { s.tls.version = kTlsVersionValues[v.choice]; }),
    Enum("tls", "certificate", "certificate", kCertificateWords, "`\"ecdsa-p256\"`",
         "Certbot, the Let's Encrypt client, makes ECDSA P-256 (secp256r1) keys for new "
         "certificates by default since 2.0.0 (its CHANGELOG).",
         [](Scenario& s, const KeyValue& v) { s.tls.certificate = kCertificateValues[v.choice]; }),
    Int("tls", "chain_depth", "chain_depth", 1, 4, "certificates", "2",
        "A Let's Encrypt leaf plus its one intermediate.",
        [](Scenario& s, const KeyValue& v) { s.tls.chain_depth = static_cast<int>(v.integer); }),
    Enum("tls", "certificate_error", "certificate_error", kCertificateErrorWords, "`\"none\"`", "",
         [](Scenario& s, const KeyValue& v) {
           s.tls.certificate_error = kCertificateErrorValues[v.choice];
         }),
    Int("tls", "record_bytes", "record_bytes", 512, 16384, "bytes", "16384",
        "The largest record, RFC 8446 section 5.1; Apache mod_ssl / OpenSSL write records of up to "
        "16 KB.",
        [](Scenario& s, const KeyValue& v) {
          s.tls.record_bytes = static_cast<uint32_t>(v.integer);
        }),
    Key("tls", "dynamic_records", "dynamic_records", KeyType::kBool, "", "`false`",
        "Off in stock servers; on in nginx with Cloudflare's dynamic TLS records patch.",
        [](Scenario& s, const KeyValue& v) { s.tls.dynamic_records = v.boolean; }),
    Int("tls", "session_tickets", "session_tickets", 0, 8, "", "2",
        "OpenSSL's `SSL_CTX_set_num_tickets` default (TLS 1.3 servers send 2).",
        [](Scenario& s, const KeyValue& v) {
          s.tls.session_tickets = static_cast<int>(v.integer);
        }),
    Key("tls", "early_data", "early_data", KeyType::kBool, "", "`false`",
        "OpenSSL and nginx accept no 0-RTT data unless configured to (`ssl_early_data off`).",
        [](Scenario& s, const KeyValue& v) { s.tls.early_data = v.boolean; }),

    // ---- [server] -> ServerConfig
    Number("server", "think_ms", "think_ms", 0, kMaxServerMs, false, "ms", "0", "",
           [](Scenario& s, const KeyValue& v) { s.server.think_ms = v.number; }),
    Key("server", "push", "push", KeyType::kUrlList, "", "absent = every child of the document", "",
        [](Scenario& s, const KeyValue& v) { s.server.push = v.urls; }),
    Enum("server", "push_order", "push_order", kPushOrderWords, "`\"after\"`", "",
         [](Scenario& s, const KeyValue& v) { s.server.push_order = kPushOrderValues[v.choice]; }),
    Key("server", "hints", "hints", KeyType::kUrlList, "", "absent = the push set", "",
        [](Scenario& s, const KeyValue& v) { s.server.hints = v.urls; }),
    Key("server", "preload", "preload", KeyType::kUrlList, "", "`[]` (none)", "",
        [](Scenario& s, const KeyValue& v) { s.server.preload = v.urls; }),
    Key("server", "preconnect", "preconnect", KeyType::kUrlList, "", "`[]` (none)", "",
        [](Scenario& s, const KeyValue& v) { s.server.preconnect = v.urls; }),
    Int("server", "notsent_lowat_bytes", "notsent_lowat_bytes", 0, int64_t{1} << 30, "bytes",
        "0 (off)", "0 = off, as in Linux (`net.ipv4.tcp_notsent_lowat = UINT_MAX`).",
        [](Scenario& s, const KeyValue& v) {
          s.server.notsent_lowat_bytes = static_cast<uint32_t>(v.integer);
        }),
    Int("server", "max_frame_bytes", "max_frame_bytes", 16384, 16777215, "bytes", "16384",
        "HTTP/2's initial `SETTINGS_MAX_FRAME_SIZE`.",
        [](Scenario& s,
           const KeyValue& v) { s.server.max_frame_bytes = static_cast<uint32_t>(v.integer); }),
    Int("server", "send_buffer_bytes", "send_buffer_bytes", kMinSendBufferBytes,
        kMaxSendBufferBytes, "bytes", "4194304 (4 MiB)",
        "The largest Linux autotuning grows a send buffer to on Debian 12: `net.ipv4.tcp_wmem = "
        "\"4096 16384 4194304\"` (`Documentation/networking/ip-sysctl.rst`); 4096, the minimum, "
        "is its first value.",
        [](Scenario& s, const KeyValue& v) {
          s.server.send_buffer_bytes = static_cast<uint32_t>(v.integer);
        }),
    Int("server", "max_concurrent_streams", "max_concurrent_streams", 1, kMaxConcurrentStreams, "",
        "100", "nginx's `http2_max_concurrent_streams` and nghttpd's default.",
        [](Scenario& s, const KeyValue& v) {
          s.server.max_concurrent_streams = static_cast<uint32_t>(v.integer);
        }),
    Enum("server", "scheduler", "scheduler", kSchedulerWords, "`\"rfc7540\"`",
         "nghttp2's default: the RFC 7540 dependency tree of the client's HEADERS frames "
         "(`nghttp2_option_set_no_rfc7540_priorities` unset).",
         [](Scenario& s, const KeyValue& v) { s.server.scheduler = kSchedulerValues[v.choice]; }),

    // ---- [client] -> ClientConfig
    Enum("client", "connection", "connection", kConnectionWords, "`\"cold\"`", "",
         [](Scenario& s, const KeyValue& v) { s.client.connection = kConnectionValues[v.choice]; }),
    Key("client", "cache", "cache", KeyType::kUrlList, "", "`[]`", "",
        [](Scenario& s, const KeyValue& v) { s.client.cache = v.urls; }),
    Key("client", "dns_cache", "dns_cache", KeyType::kStringList, "", "`[]`", "",
        [](Scenario& s, const KeyValue& v) { s.client.dns_cache = v.strings; }),
    Int("client", "h1_connections", "h1_connections", 1, 256, "", "6",
        "Chrome's per-origin limit (`net/socket/client_socket_pool_manager.cc`).",
        [](Scenario& s, const KeyValue& v) {
          s.client.h1_connections = static_cast<uint32_t>(v.integer);
        }),
    Key("client", "h1_early_hints", "h1_early_hints", KeyType::kBool, "", "`false`",
        "Chrome ignores 103 over HTTP/1.1.",
        [](Scenario& s, const KeyValue& v) { s.client.h1_early_hints = v.boolean; }),
    Int("client", "h2_stream_window_bytes", "h2_stream_window_bytes", 65535, 2147483647, "bytes",
        "6291456 (6 MiB)", "Chrome, `net/spdy/spdy_session.cc` `kDefaultInitialWindowSize`.",
        [](Scenario& s, const KeyValue& v) {
          s.client.h2_stream_window_bytes = static_cast<uint32_t>(v.integer);
        }),
    Int("client", "h2_connection_window_bytes", "h2_connection_window_bytes", 65535, 2147483647,
        "bytes", "15728640 (15 MiB)", "Chrome's 15 MB session window (`net/spdy/spdy_session.cc`).",
        [](Scenario& s, const KeyValue& v) {
          s.client.h2_connection_window_bytes = static_cast<uint32_t>(v.integer);
        }),
    Number("client", "timeout_ms", "timeout_ms", 0, kMaxTimeoutMs, true, "ms", "120000", "",
           [](Scenario& s, const KeyValue& v) { s.client.timeout_ms = v.number; }),
    Key("client", "tls_false_start", "tls_false_start", KeyType::kBool, "", "`true`",
        "Chrome does TLS 1.2 False Start (`net/socket/ssl_client_socket_impl.cc`, BoringSSL's "
        "`SSL_MODE_ENABLE_FALSE_START`).",
        [](Scenario& s, const KeyValue& v) { s.client.tls_false_start = v.boolean; }),
    Key("client", "early_data", "early_data", KeyType::kBool, "", "`false`", "",
        [](Scenario& s, const KeyValue& v) { s.client.early_data = v.boolean; }),
    Key("client", "priority_header", "priority_header", KeyType::kBool, "", "`false`", "",
        [](Scenario& s, const KeyValue& v) { s.client.priority_header = v.boolean; }),
    // The renderer's own time (docs/scenario-format.md "Renderer time"): 0 is an ideal browser.
    Number("client", "navigation_ms", "navigation_ms", 0, kMaxServerMs, false, "ms", "0", "",
           [](Scenario& s, const KeyValue& v) { s.client.navigation_ms = v.number; }),
    Number("client", "discovery_ms", "discovery_ms", 0, kMaxServerMs, false, "ms", "0", "",
           [](Scenario& s, const KeyValue& v) { s.client.discovery_ms = v.number; }),
    Number("client", "dispatch_ms", "dispatch_ms", 0, kMaxServerMs, false, "ms", "0", "",
           [](Scenario& s, const KeyValue& v) { s.client.dispatch_ms = v.number; }),
    Number("client", "paint_ms", "paint_ms", 0, kMaxServerMs, false, "ms", "0", "",
           [](Scenario& s, const KeyValue& v) { s.client.paint_ms = v.number; }),
    Number("client", "load_event_ms", "load_event_ms", 0, kMaxServerMs, false, "ms", "0", "",
           [](Scenario& s, const KeyValue& v) { s.client.load_event_ms = v.number; }),

    // ---- [[resource]] -> Resource; read by the loader with the page-graph checks
    Key("resource", "url", "url", KeyType::kString, "", "required", "", nullptr),
    Enum("resource", "type", "type", kTypeWords, "required", "", nullptr),
    Int("resource", "size", "size_bytes", 0, kMaxSizeBytes, "bytes",
        "required; not allowed on a preconnect", "", nullptr),
    Key("resource", "parent", "parent", KeyType::kString, "",
        "required except on the document; not allowed on the document", "", nullptr),
    Int("resource", "discover_at", "discover_at_bytes", 0, kMaxSizeBytes, "bytes",
        "absent = the whole parent", "", nullptr, "parent's `size`"),
    Number("resource", "process_ms", "process_ms", 0, kMaxServerMs, false, "ms", "0", "", nullptr),
    Number("resource", "think_ms", "think_ms", 0, kMaxServerMs, false, "ms",
           "its origin's `think_ms`", "", nullptr),
    Key("resource", "render_blocking", "render_blocking", KeyType::kBool, "",
        "`false` (document: `true`)", "", nullptr),
    Enum("resource", "fault", "fault", kFaultWords, "`\"none\"`", "", nullptr),
    Int("resource", "fault_after_bytes", "fault_after_bytes", 0, kMaxSizeBytes, "bytes", "0", "",
        nullptr, "`size`"),
    Enum("resource", "priority", "priority", kPriorityWords, "absent = Chrome's own choice", "",
         nullptr),
    Key("resource", "blocking", "blocking", KeyType::kBool, "", "`false`", "", nullptr),
    Key("resource", "defer", "defer", KeyType::kBool, "", "`false`", "", nullptr),
    Key("resource", "async", "async", KeyType::kBool, "", "`false`", "", nullptr),
    Key("resource", "lcp", "lcp", KeyType::kBool, "", "`false`", "", nullptr),
    Int("resource", "head_bytes", "head_bytes", 0, kMaxSizeBytes, "bytes",
        "absent = up to the first image reference", "", nullptr, "`size`"),
};

}  // namespace

std::string KeySpec::RangeText() const {
  if (type == KeyType::kInt) {
    return "[" + std::to_string(static_cast<int64_t>(lo)) + ", " +
           (hi_note.empty() ? std::to_string(static_cast<int64_t>(hi)) : std::string(hi_note)) +
           "]";
  }
  return (lo_open ? "(" : "[") + FormatDouble(lo, false) + ", " + FormatDouble(hi, false) + "]";
}

bool KeySpan::Contains(std::string_view name) const {
  for (const KeySpec& k : *this) {
    if (k.name == name) return true;
  }
  return false;
}

KeySpan ScenarioKeys() { return {kKeys, std::size(kKeys)}; }

KeySpan KeysOf(std::string_view table) {
  const KeySpec* first = nullptr;
  size_t count = 0;
  for (const KeySpec& k : kKeys) {
    if (k.table != table) continue;
    if (!first) first = &k;
    ++count;
  }
  return {first, count};
}

const KeySpec& SchemaKey(std::string_view table, std::string_view name) {
  for (const KeySpec& k : kKeys) {
    if (k.table == table && k.name == name) return k;
  }
  throw std::logic_error("no scenario key " + std::string(table) + "." + std::string(name));
}

const char* TypeWord(KeyType type) {
  switch (type) {
    case KeyType::kString:
    case KeyType::kEnum:
      return "string";
    case KeyType::kInt:
      return "integer";
    case KeyType::kNumber:
      return "number";
    case KeyType::kBool:
      return "boolean";
    case KeyType::kUrlList:
      return "array of URLs";
    case KeyType::kStringList:
      return "array of strings";
    case KeyType::kTable:
      return "table";
    case KeyType::kArrayOfTables:
      return "array of tables";
  }
  return "";
}

const std::vector<Section>& Sections() {
  static const std::vector<Section> kSections = {
      {"", "", " is a top-level key; top-level keys must come before the first [table] header"},
      {"network", "network.", "it belongs in [network]"},
      {"dns", "dns.", "it belongs in [dns]"},
      {"server", "server.", "it belongs in [server]"},
      {"client", "client.", "it belongs in [client]"},
      {"tls", "tls.", "it belongs in [tls]"},
      {"resource", "", " belongs in a [[resource]]"},
      {"origin", "", " belongs in an [[origin]]"}};
  return kSections;
}

}  // namespace waterfall
