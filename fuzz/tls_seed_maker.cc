// Writes seeds for tls_record_fuzzer (fuzz/tls_record_fuzzer.cc) into the directory given:
// real first flights of both sides, each prefixed with the fuzzer's two control bytes.
//   server-13.bin / server-12.bin: a real ClientHello (offering TLS 1.3 and 1.2), for a server.
//   client-13.bin / client-12.bin: a real server first flight, for a client; its randoms and
//     key shares belong to another handshake, so it fails where the keys start to matter.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "models/tls/server_identity.h"
#include "models/tls/tls_stream.h"

namespace {

class QuietSession : public waterfall::ByteStream {
 public:
  bool Receive(const uint8_t*, size_t) override { return true; }
  size_t Pull(uint8_t*, size_t) override { return 0; }
};

std::vector<uint8_t> DrainAll(waterfall::TlsStream& stream) {
  std::vector<uint8_t> bytes;
  uint8_t out[16384];
  for (int pulls = 0; pulls < 64; ++pulls) {
    const size_t n = stream.Pull(out, sizeof out);
    if (n == 0) break;
    bytes.insert(bytes.end(), out, out + n);
  }
  return bytes;
}

void Write(const std::string& path, uint8_t mode, const std::vector<uint8_t>& flight) {
  std::ofstream file(path, std::ios::binary);
  const uint8_t control[2] = {mode, 3};  // chunks of 1 + 3 * 16 = 49 bytes
  file.write(reinterpret_cast<const char*>(control), 2);
  file.write(reinterpret_cast<const char*>(flight.data()), static_cast<long>(flight.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tls_seed_maker DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  for (waterfall::TlsVersion version : {waterfall::TlsVersion::k13, waterfall::TlsVersion::k12}) {
    const bool tls13 = version == waterfall::TlsVersion::k13;
    waterfall::TlsConfig config;
    config.version = version;
    auto identity = waterfall::ServerIdentity::Build(config, {"example.test"}, "fuzz");
    if (!identity) return 1;
    QuietSession client_app;
    QuietSession server_app;
    waterfall::TlsClientOptions client_options;
    client_options.server_name = "example.test";
    client_options.alpn = {"h2", "http/1.1"};
    waterfall::TlsServerOptions server_options;
    server_options.identity = identity.get();
    server_options.config = config;
    server_options.alpn = {"h2", "http/1.1"};
    auto client = waterfall::TlsStream::Client(client_app, client_options, nullptr);
    auto server = waterfall::TlsStream::Server(server_app, server_options, nullptr);
    const std::vector<uint8_t> hello = DrainAll(*client);
    server->Receive(hello.data(), hello.size());
    const std::vector<uint8_t> flight = DrainAll(*server);
    const uint8_t version_bit = tls13 ? 0 : 2;
    Write(dir + (tls13 ? "/server-13.bin" : "/server-12.bin"), version_bit, hello);
    Write(dir + (tls13 ? "/client-13.bin" : "/client-12.bin"), version_bit | 1, flight);
  }
  return 0;
}
