// A scenario: one page, one network, one server and one browser configuration.
//
// Every default lives here, next to where it comes from. models/scenario/scenario_schema.cc
// describes each key of the file (range, default, its source) for the loader and the docs;
// tests/models/scenario/scenario_schema_test.cc checks that its defaults are these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/page/url.h"

namespace waterfall {

// kPreconnect is not fetched: a <link rel=preconnect href=ORIGIN> in its parent, whose url is
// that origin ("http://cdn.example.net"). Its row records what the preconnect cost.
enum class ResourceType { kDocument, kStyle, kScript, kImage, kFont, kOther, kPreconnect };
const char* ToString(ResourceType type);
std::optional<ResourceType> ParseResourceType(const std::string& name);

// A server misbehaving on one resource (robustness tests; docs/scenario-format.md).
enum class ServerFault {
  kNone,
  // HTTP/2: RST_STREAM (INTERNAL_ERROR) after fault_after_bytes of the body.
  // HTTP/1.1: the server closes the connection after fault_after_bytes of the body.
  kReset,
  // HTTP/2: GOAWAY (NO_ERROR, last stream = the last request read) after fault_after_bytes of
  // the body; this response and those already requested finish, later requests are refused.
  // HTTP/1.1: the response says "Connection: close" and the server closes after it.
  kGoAway,
  // The server reads the request and never answers it.
  kNoResponse,
};
const char* ToString(ServerFault fault);

// How much the browser wants a resource, in Blink's terms (ResourceLoadPriority,
// third_party/blink/renderer/platform/loader/fetch/resource_load_priority.h); what it sends is
// the net priority it maps to (models/http/request_priority.h). In a file: "very-low", "low",
// "medium", "high", "very-high" (Chrome's HAR `_priority`: VeryLow ... VeryHigh).
enum class LoadPriority { kVeryLow, kLow, kMedium, kHigh, kVeryHigh };
const char* ToString(LoadPriority priority);
std::optional<LoadPriority> ParseLoadPriority(const std::string& name);

struct Resource {
  // As the loader canonicalizes it: a path ("/style.css") on the document's origin, an
  // absolute URL ("http://cdn.example.net/app.js") on any other, an origin for a preconnect.
  // parent, server.push/hints/preload and client.cache use the same form, so a string
  // compares equal exactly when the URLs are the same. Scenario::UrlOf makes it absolute.
  std::string url;
  ResourceType type = ResourceType::kOther;
  uint64_t size_bytes = 0;
  std::string parent;  // empty for the document
  // Bytes of the parent that must arrive before this resource is discovered; unset means the
  // whole parent (a reference at the end of the HTML, or a script that must run first).
  std::optional<uint64_t> discover_at_bytes;
  double process_ms = 0;  // time to parse/execute this resource before its children appear
  // Server time to produce it; the document's is server.think_ms, not this. Absent in the file:
  // its origin's think_ms (the loader fills it in).
  double think_ms = 0;
  bool render_blocking = false;  // the document is always render blocking
  ServerFault fault = ServerFault::kNone;
  uint64_t fault_after_bytes = 0;  // body bytes sent before a kReset or kGoAway fault

  // What Chrome would assign it, overridden (the `priority` key, as `fetchpriority` would);
  // unset: Chrome's own choice (models/browser/resource_priority.h).
  std::optional<LoadPriority> priority;
  // Scripts in the document (docs/scenario-format.md "Parsing"): `blocking` is a synchronous
  // <script src> that stops the HTML parser until it has been downloaded and executed (its
  // process_ms on the main thread, after the stylesheets before it); `defer` runs after the
  // document is parsed, in order, before DOMContentLoaded; `async` runs when it arrives. None
  // of them: discovered and fetched, its process_ms on the main thread, nothing waits for it.
  bool blocking = false;
  bool defer = false;
  bool async = false;
  // The largest contentful paint element of the page (an image or a block of text); when no
  // resource says so, the largest image whose parent is the document.
  bool lcp = false;
  // The document only: bytes of the HTML before <body> (its head). Unset: up to the first
  // reference to an image, or the whole document when it references none.
  std::optional<uint64_t> head_bytes;
};

enum class TcpVariant { kCubic, kNewReno, kBbr };
const char* ToString(TcpVariant tcp);

enum class QueueDiscipline { kDropTail, kFqCoDel };
const char* ToString(QueueDiscipline queue);

// The client -- router -- server path. The bottleneck is the router's link to the client.
struct LinkProfile {
  double rtt_ms = 100;           // two-way propagation delay
  double bandwidth_mbps = 10;    // bottleneck rate, server -> client
  double uplink_mbps = 0;        // client -> server; 0 means same as bandwidth_mbps
  uint32_t queue_packets = 100;  // bottleneck buffer; ns-3 PointToPointNetDevice default (100p)
  QueueDiscipline queue = QueueDiscipline::kDropTail;
  double loss_rate = 0;                 // random packet loss on the bottleneck, each direction
  TcpVariant tcp = TcpVariant::kCubic;  // Linux default congestion control since 2.6.19
  uint32_t initial_cwnd = 10;           // segments; RFC 6928, Linux default since 2.6.39
  uint32_t mss_bytes = 1448;            // 1500 MTU - 20 IP - 20 TCP - 12 timestamp option (Linux)
  // A link outage: every packet on the bottleneck, both directions, is lost from
  // outage_start_ms (simulated time since the start of the run) for outage_ms. 0 = none.
  double outage_start_ms = 0;
  double outage_ms = 0;

  double EffectiveUplinkMbps() const { return uplink_mbps > 0 ? uplink_mbps : bandwidth_mbps; }
};

// TLS, for https origins ([tls], and an [[origin]]'s `tls` table over it): how the origin's
// server speaks it. Sources of the defaults: docs/scenario-format.md, "TLS".
enum class TlsVersion { k13, k12 };
const char* ToString(TlsVersion version);  // "1.3", "1.2"
enum class CertificateKey { kEcdsaP256, kRsa2048, kRsa4096 };
const char* ToString(CertificateKey key);  // "ecdsa-p256", "rsa-2048", "rsa-4096"
// What is wrong with the chain the server presents (a failure the browser must report).
enum class CertificateError { kNone, kUntrustedRoot, kWrongHost, kExpired };
const char* ToString(CertificateError error);  // "none", "untrusted-root", "wrong-host", "expired"

struct TlsConfig {
  TlsVersion version = TlsVersion::k13;  // the highest the server speaks; browsers offer 1.3
  CertificateKey certificate = CertificateKey::kEcdsaP256;
  int chain_depth = 2;  // certificates the server sends: the leaf plus chain_depth-1 intermediates
  CertificateError certificate_error = CertificateError::kNone;
  // Plaintext bytes per application-data record the server writes, at most 16384 (RFC 8446
  // section 5.1): Apache mod_ssl / OpenSSL write records of up to 16 KB.
  uint32_t record_bytes = 16384;
  // Small first records, then record_bytes (nginx with Cloudflare's dynamic TLS records patch:
  // 1369-byte records for the first 40, then 4229 bytes for 40 more).
  bool dynamic_records = false;
  // TLS 1.3 NewSessionTicket messages after the handshake, each its own write: OpenSSL sends 2
  // (SSL_CTX_set_num_tickets default).
  int session_tickets = 2;
  bool early_data = false;  // the server accepts TLS 1.3 0-RTT data on resumed connections
};

// [[origin]]: a scheme, host and port the page fetches from, its distance from the client and
// its server. A scenario without [[origin]] has one, ScenarioOrigin(), at network.rtt_ms (or,
// with `scheme = "https"`, https://waterfall.test, port 443).
struct Origin {
  OriginKey key;
  double rtt_ms = 100;  // round trip client <-> this server without load; network.rtt_ms if absent
  double dns_ms = 0;    // the resolver's time to resolve the host when it has not got it cached
  double think_ms = 0;  // server time of this origin's resources that do not set their own
  // What this server speaks (`protocols`): a mode uses HTTP/2 where the origin has it, and
  // HTTP/1.1 otherwise; an h1 mode uses HTTP/1.1 where the origin has it.
  bool speaks_h2 = true;
  bool speaks_http11 = true;
  // Origins with the same non-empty address are one server node (and one HTTP/2 connection
  // for the browser, which coalesces on the address: docs/scenario-format.md). Empty: a node
  // of its own.
  std::string address;
  // https origins: the scenario's [tls] with this origin's `tls` table over it. Unused for http.
  TlsConfig tls;

  bool UsesTls() const { return key.scheme == "https"; }
};

// [dns]: when enabled, every host the browser has not cached is looked up with a real DNS query
// to a resolver node before its first connection.
struct DnsConfig {
  bool enabled = false;         // [dns] is present
  double resolver_rtt_ms = 20;  // client <-> recursive resolver round trip without load
};

enum class PushOrder { kBefore, kAfter };

// How an HTTP/2 server orders the DATA of concurrent responses (server.scheduler;
// docs/scenario-format.md "Priorities"): by the RFC 7540 dependency tree the client's HEADERS
// frames build (nghttp2's default), by RFC 9218 urgency and incremental from the `priority`
// request header, first come first served (one response at a time, in request order), or
// round-robin (every response an equal share, whatever the client asked).
enum class StreamScheduler { kRfc7540, kRfc9218, kFifo, kRoundRobin };
const char* ToString(StreamScheduler scheduler);  // "rfc7540", "rfc9218", "fifo", "round-robin"
std::optional<StreamScheduler> ParseStreamScheduler(const std::string& name);

struct ServerConfig {
  double think_ms = 0;  // the document's server time
  // URLs to push with the document (h2-push); unset means every child of the document.
  std::optional<std::vector<std::string>> push;
  PushOrder push_order = PushOrder::kAfter;
  // URLs announced in a 103 Early Hints response (h2-hints); unset means the push set.
  std::optional<std::vector<std::string>> hints;
  // Link: rel=preload headers on the document's 200 response (any mode); empty means none.
  std::vector<std::string> preload;
  // Origins announced as Link: <origin>; rel=preconnect in the 103 (h2-hints) and on the
  // document's 200 (every mode), as OriginKey::ToString writes them.
  std::vector<std::string> preconnect;
  // Linux TCP_NOTSENT_LOWAT: pull from the HTTP/2 session only while fewer unsent bytes than
  // this wait in the socket. 0 = off, as in Linux (net.ipv4.tcp_notsent_lowat = UINT_MAX).
  uint32_t notsent_lowat_bytes = 0;
  // Largest DATA frame the server writes; 16384 is HTTP/2's initial SETTINGS_MAX_FRAME_SIZE.
  uint32_t max_frame_bytes = 16384;
  // The server's TCP send buffer (SO_SNDBUF): bytes written but not yet acknowledged, sent or
  // not. 4 MiB is the largest Linux autotuning grows it to on Debian 12 (net.ipv4.tcp_wmem =
  // "4096 16384 4194304", Documentation/networking/ip-sysctl.rst). What the server has written
  // can no longer be cancelled or reordered: a refused push, or hinted responses queued before
  // the document, still go out whole.
  uint32_t send_buffer_bytes = 4 * 1024 * 1024;
  // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS the server announces: requests the client may have
  // open at once. 100: nginx's http2_max_concurrent_streams and nghttpd's default.
  uint32_t max_concurrent_streams = 100;
  StreamScheduler scheduler = StreamScheduler::kRfc7540;
};

// kResumed: new connections, but the browser holds a TLS session ticket for every https origin
// from an earlier visit (a PSK handshake; no certificate).
enum class ConnectionStart { kCold, kWarm, kResumed };

struct ClientConfig {
  ConnectionStart connection = ConnectionStart::kCold;
  std::vector<std::string> cache;      // URLs the browser already holds
  std::vector<std::string> dns_cache;  // hosts the browser has already resolved ([dns] only)
  uint32_t h1_connections =
      6;  // Chrome's per-origin limit (net/socket/client_socket_pool_manager.cc)
  bool h1_early_hints = false;  // Chrome ignores 103 over HTTP/1.1
  // Chrome's HTTP/2 receive windows (net/spdy/spdy_session.cc, kDefaultInitialWindowSize and
  // the 15 MB session window).
  uint32_t h2_stream_window_bytes = 6 * 1024 * 1024;
  uint32_t h2_connection_window_bytes = 15 * 1024 * 1024;
  double timeout_ms = 120000;  // simulated-time limit of one page load
  // TLS 1.2 False Start: the request goes with the client's Finished, one round trip early.
  // Chrome does it (net/socket/ssl_client_socket_impl.cc, SSL_set_false_start / BoringSSL's
  // SSL_MODE_ENABLE_FALSE_START).
  bool tls_false_start = true;
  // TLS 1.3 0-RTT: on a resumed connection the first request rides the ClientHello, when the
  // server allows it ([tls] early_data).
  bool early_data = false;
  // Send the RFC 9218 `priority` request header (u=0..4, i) as well as HTTP/2's RFC 7540
  // priority fields in HEADERS.
  bool priority_header = false;

  // The renderer's own time (docs/scenario-format.md "Renderer time"), 0 = none: an ideal
  // browser on an infinitely fast device. Measured ranges for desktop Chromium are in the docs.
  double navigation_ms = 0;  // navigation start -> the document's request is made
  double discovery_ms = 0;   // a reference's bytes arrive -> the request for it is made
  double dispatch_ms = 0;    // a request is made -> it reaches its connection pool
  double paint_ms = 0;       // what the first paint waits for is done -> first paint
  double load_event_ms = 0;  // the last resource is ready -> the load event
};

struct Scenario {
  std::string name;
  std::string source_path;  // the file it came from, for messages
  LinkProfile network;      // the access link every origin's traffic shares
  DnsConfig dns;
  // Never empty once loaded: [[origin]] in file order, or the one implicit origin
  // (ScenarioOrigin(), https://waterfall.test with `scheme = "https"`). Unique keys.
  std::vector<Origin> origins;
  // [tls] as written, defaults where absent. What an origin's server does is its Origin::tls
  // (this with the origin's own `tls` table over it); use that.
  TlsConfig tls;
  ServerConfig server;
  ClientConfig client;
  std::vector<Resource> resources;  // resources[0] is the document

  const Resource* Find(const std::string& url) const;
  // server.push or its default: the document's children on the document's origin (HTTP/2 push
  // is same-authority), preconnects left out.
  std::vector<std::string> PushSet() const;
  // server.hints or its default: the push set when server.push is given, else every child of
  // the document, of any origin (a 103 may preload cross-origin), preconnects left out.
  std::vector<std::string> HintSet() const;
  bool IsCached(const std::string& url) const;

  // The document's origin: its URL's when absolute, else origins[0]'s.
  const OriginKey& DocumentOrigin() const;
  // A canonical URL string (Resource::url) made absolute. A preconnect's is its origin + "/".
  Url UrlOf(const std::string& url) const;
  // The canonical string of an absolute URL: the inverse of UrlOf. (The document on an origin
  // other than origins[0] is the one absolute URL on the document's origin.)
  std::string CanonicalUrl(const Url& url) const;
  // The origin `key`, or nullptr when the page has no such origin.
  const Origin* FindOrigin(const OriginKey& key) const;
};

}  // namespace waterfall
