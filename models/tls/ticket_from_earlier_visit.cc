// TicketFromEarlierVisit (server_identity.h): a client and a server TlsStream back to back in
// memory, no network, until the client holds a session ticket.
#include <memory>

#include "models/tls/server_identity.h"
#include "models/tls/tls_stream.h"

namespace waterfall {
namespace {

// An application that says nothing: the visit only needs the handshake and its tickets.
class SilentSession : public ByteStream {
 public:
  bool Receive(const uint8_t*, size_t) override { return true; }
  size_t Pull(uint8_t*, size_t) override { return 0; }
};

// Flights exchanged before giving up: a TLS 1.2 handshake takes 4, TLS 1.3 with tickets 3.
constexpr int kMaxFlights = 16;

// Moves all of from's pending output into to; false if to refused it.
bool Shuttle(TlsStream& from, TlsStream& to) {
  uint8_t buffer[16384];
  for (size_t n; (n = from.Pull(buffer, sizeof buffer)) > 0;) {
    if (!to.Receive(buffer, n)) return false;
  }
  return true;
}

}  // namespace

std::vector<uint8_t> TicketFromEarlierVisit(const ServerIdentity& identity, const TlsConfig& config,
                                            const std::string& server_name,
                                            const std::vector<std::string>& alpn) {
  SilentSession client_app;
  SilentSession server_app;
  TlsClientOptions client_options;
  client_options.server_name = server_name;
  client_options.alpn = alpn;
  TlsServerOptions server_options;
  server_options.identity = &identity;
  server_options.config = config;
  server_options.alpn = alpn;
  std::unique_ptr<TlsStream> client = TlsStream::Client(client_app, client_options, nullptr);
  std::unique_ptr<TlsStream> server = TlsStream::Server(server_app, server_options, nullptr);
  for (int flight = 0; flight < kMaxFlights; ++flight) {
    if (!Shuttle(*client, *server) || !Shuttle(*server, *client)) return {};
    std::vector<uint8_t> data = client->SessionData();
    if (!data.empty()) return data;
    if (client->failed() || server->failed()) return {};
  }
  return {};
}

}  // namespace waterfall
