// TLS between an HTTP session and its transport, sans-I/O: a ByteStream that wraps the session's
// ByteStream. Bytes from the peer (records) go into GnuTLS through memory buffers; the plaintext
// it yields goes to the inner session. The inner session's output is cut into records and
// encrypted; the ciphertext is what Pull hands the transport (sim/SocketPump). Nothing here
// reads a clock or a socket.
//
//   HTTP session (inner ByteStream)  <-- plaintext -->  TlsStream  <-- records -->  SocketPump
//
// One TLS layer for HTTP/1.1 and HTTP/2 alike; ALPN picks which one the connection carries.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/core/byte_stream.h"
#include "models/page/scenario.h"
#include "models/tls/server_identity.h"

namespace waterfall {

// What the handshake settled, reported once to the observer.
struct TlsHandshakeResult {
  std::string alpn;  // "h2", "http/1.1", or "" when none was negotiated
  TlsVersion version = TlsVersion::k13;
  bool resumed = false;              // a PSK / ticket handshake: no certificate was sent
  bool early_data_accepted = false;  // the server took the 0-RTT data
  bool false_start = false;  // the client sent application data before the server's Finished
};

class TlsObserver {
 public:
  virtual ~TlsObserver() = default;
  // The client may send application data: the handshake is complete, or (TLS 1.2 False Start)
  // complete but for the server's Finished. Once per stream, before any inner plaintext leaves.
  virtual void OnTlsHandshakeDone(const TlsHandshakeResult& result) = 0;
  // The handshake failed (a rejected certificate, an ALPN mismatch, a fatal alert, hostile
  // bytes). reason is short and stable, for results: "certificate untrusted-root",
  // "certificate wrong-host", "certificate expired", "alpn no common protocol",
  // "alert <name>", "<gnutls error name>". After it the stream produces nothing but the alert
  // and WantsClose() is true.
  virtual void OnTlsFailed(const std::string& reason) = 0;
};

struct TlsClientOptions {
  std::string server_name;        // SNI and the name checked against the certificate
  std::vector<std::string> alpn;  // offered, in preference order ("h2", "http/1.1")
  bool false_start = true;        // TLS 1.2 False Start when the cipher suite allows it
  // Session data from an earlier visit (TlsSessionTicket::data); empty: a full handshake.
  std::vector<uint8_t> resume_session;
  bool early_data = false;  // send the inner stream's first output as 0-RTT data when resuming
  // Called with each NSS key-log line ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <random> <secret>"),
  // without the newline. Empty: no key log.
  std::function<void(std::string_view line)> keylog;
};

struct TlsServerOptions {
  const ServerIdentity* identity = nullptr;  // chain, key, ticket key; outlives the stream
  TlsConfig config;                          // version, records, tickets, early data
  std::vector<std::string> alpn;             // spoken, in preference order
};

class TlsStream : public ByteStream {
 public:
  // inner and observer (may be null for the server) must outlive the stream.
  static std::unique_ptr<TlsStream> Client(ByteStream& inner, TlsClientOptions options,
                                           TlsObserver* observer);
  static std::unique_ptr<TlsStream> Server(ByteStream& inner, TlsServerOptions options,
                                           TlsObserver* observer);
  ~TlsStream() override;

  bool Receive(const uint8_t* data, size_t len) override;
  size_t Pull(uint8_t* out, size_t max_bytes) override;
  bool WantsClose() const override;
  void OnPeerClosed() override;

  bool handshake_done() const;
  bool failed() const;
  // Client: what a later visit resumes with (TlsClientOptions::resume_session), from
  // gnutls_session_get_data2, once a TLS 1.3 NewSessionTicket has arrived or a TLS 1.2
  // handshake is complete; empty before, on the server, or after a failure.
  std::vector<uint8_t> SessionData() const;

 private:
  struct Impl;
  explicit TlsStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace waterfall
