// libFuzzer target over the TLS record layer (models/tls/tls_stream.h): a server TlsStream fed
// a hostile client's bytes, or a client TlsStream fed a hostile server's bytes after its
// ClientHello. GnuTLS itself is not instrumented, so coverage guides the fuzzer only through
// TlsStream; the sanitizers still see every buffer TlsStream hands GnuTLS and back.
//
// Input: byte 0 picks the side (bit 0: 0 server, 1 client) and the version (bit 1: 0 TLS 1.3,
// 1 TLS 1.2); byte 1 the chunk size (1 + byte1 * 16) the rest is delivered in, as TCP
// segments would cut it. Contract checked: at most one OnTlsHandshakeDone and one
// OnTlsFailed; after a failure Pull yields at most an alert and WantsClose() is true; after
// the peer closes, a started stream has either completed its handshake or failed; every Pull
// returns at most what was asked. Anything else (a crash, a sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "models/tls/server_identity.h"
#include "models/tls/tls_stream.h"

namespace {

using waterfall::ByteStream;
using waterfall::TlsHandshakeResult;
using waterfall::TlsVersion;

void Require(bool ok) {
  if (!ok) std::abort();
}

class SinkSession : public ByteStream {
 public:
  bool Receive(const uint8_t*, size_t) override { return true; }
  size_t Pull(uint8_t* out, size_t max_bytes) override {
    if (said_ || max_bytes < 5) return 0;
    said_ = true;
    for (size_t i = 0; i < 5; ++i) out[i] = static_cast<uint8_t>("hello"[i]);
    return 5;
  }

 private:
  bool said_ = false;
};

class CountingObserver : public waterfall::TlsObserver {
 public:
  void OnTlsHandshakeDone(const TlsHandshakeResult&) override { ++done; }
  void OnTlsFailed(const std::string&) override { ++failed; }
  int done = 0;
  int failed = 0;
};

const waterfall::ServerIdentity& Identity(TlsVersion version) {
  static std::unique_ptr<waterfall::ServerIdentity> identities[2];
  auto& identity = identities[version == TlsVersion::k13 ? 0 : 1];
  if (!identity) {
    waterfall::TlsConfig config;
    config.version = version;
    identity = waterfall::ServerIdentity::Build(config, {"example.test"}, "fuzz");
    Require(identity != nullptr);
  }
  return *identity;
}

size_t Drain(waterfall::TlsStream& stream) {
  uint8_t out[16384];
  size_t total = 0;
  for (int pulls = 0; pulls < 64; ++pulls) {
    const size_t n = stream.Pull(out, sizeof out);
    Require(n <= sizeof out);
    if (n == 0) break;
    total += n;
  }
  return total;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool client_side = (data[0] & 1) != 0;
  const TlsVersion version = (data[0] & 2) != 0 ? TlsVersion::k12 : TlsVersion::k13;
  const size_t chunk = 1 + size_t{data[1]} * 16;
  data += 2;
  size -= 2;

  SinkSession app;
  CountingObserver observer;
  std::unique_ptr<waterfall::TlsStream> stream;
  if (client_side) {
    waterfall::TlsClientOptions options;
    options.server_name = "example.test";
    options.alpn = {"h2", "http/1.1"};
    stream = waterfall::TlsStream::Client(app, options, &observer);
    Require(Drain(*stream) > 0);  // the ClientHello
  } else {
    waterfall::TlsServerOptions options;
    options.identity = &Identity(version);
    options.config.version = version;
    options.alpn = {"h2", "http/1.1"};
    stream = waterfall::TlsStream::Server(app, options, &observer);
  }
  for (size_t at = 0; at < size; at += chunk) {
    const size_t n = size - at < chunk ? size - at : chunk;
    const bool ok = stream->Receive(data + at, n);
    Require(ok == !stream->failed());
    const bool failed_before = stream->failed();
    const size_t out = Drain(*stream);
    if (failed_before) Require(out <= 7 + 16384);  // the rest of a flight, then the alert
  }
  stream->OnPeerClosed();
  Drain(*stream);
  Require(observer.done <= 1 && observer.failed <= 1);
  const bool started = client_side || size > 0;
  Require(!started || stream->handshake_done() || stream->failed());
  if (stream->failed()) Require(stream->WantsClose() && observer.failed == 1);
  return 0;
}
