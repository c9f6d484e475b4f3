// A memory "wire" for TLS tests: a client and a server TlsStream over fake HTTP sessions, with
// every flight (what one side wrote before the other answered) and every record recorded.
// No network, no clock; every loop is bounded.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/tls/server_identity.h"
#include "models/tls/tls_stream.h"

namespace waterfall::testing {

// An inner session: records the plaintext it receives and hands out what it is given.
class FakeSession : public ByteStream {
 public:
  explicit FakeSession(const int* flight_clock = nullptr) : flight_clock_(flight_clock) {}

  bool Receive(const uint8_t* data, size_t len) override {
    received.append(reinterpret_cast<const char*>(data), len);
    if (on_receive) on_receive(*this);
    return !refuse_input;
  }
  size_t Pull(uint8_t* out, size_t max_bytes) override {
    const size_t n = std::min(max_bytes, output_.size());
    if (n > 0 && first_pull_flight < 0 && flight_clock_ != nullptr) {
      first_pull_flight = *flight_clock_;
    }
    std::copy(output_.begin(), output_.begin() + static_cast<long>(n), out);
    output_.erase(0, n);
    return n;
  }
  bool WantsClose() const override { return close_after_output && output_.empty(); }
  void OnPeerClosed() override { peer_closed = true; }

  // Queues output and tells the transport, as a timer or a submitted request would.
  void Say(const std::string& bytes) {
    output_ += bytes;
    NotifyOutput();
  }
  size_t pending() const { return output_.size(); }

  std::string received;
  bool peer_closed = false;
  bool close_after_output = false;
  bool refuse_input = false;   // Receive returns false, as a session hit by a protocol error
  int first_pull_flight = -1;  // the flight during which TLS first took output (-1: never)
  std::function<void(FakeSession&)> on_receive;

 private:
  const int* flight_clock_;
  std::string output_;
};

class RecordingObserver : public TlsObserver {
 public:
  void OnTlsHandshakeDone(const TlsHandshakeResult& handshake) override {
    ++done;
    result = handshake;
  }
  void OnTlsFailed(const std::string& reason) override { failures.push_back(reason); }

  int done = 0;
  TlsHandshakeResult result;
  std::vector<std::string> failures;
};

// One TLS record on the wire: its content type and its whole size (5-byte header + body).
struct WireRecord {
  uint8_t type = 0;  // 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data
  size_t bytes = 0;
};

struct Flight {
  bool from_client = false;
  std::vector<uint8_t> bytes;
  std::vector<WireRecord> records;
};

// Splits bytes into records by their headers (RFC 8446 section 5.1); a torn tail is ignored.
inline std::vector<WireRecord> SplitRecords(const std::vector<uint8_t>& bytes) {
  std::vector<WireRecord> records;
  size_t at = 0;
  while (at + 5 <= bytes.size()) {
    const size_t body = (size_t{bytes[at + 3]} << 8) | bytes[at + 4];
    if (at + 5 + body > bytes.size()) break;
    records.push_back({bytes[at], 5 + body});
    at += 5 + body;
  }
  return records;
}

class TlsWire {
 public:
  TlsWire(const ServerIdentity& identity, TlsClientOptions client_options,
          TlsServerOptions server_options)
      : client_app(&flights_sent), server_app(&flights_sent) {
    server_options.identity = &identity;
    client = TlsStream::Client(client_app, std::move(client_options), &client_observer);
    server = TlsStream::Server(server_app, std::move(server_options), &server_observer);
  }

  // Moves one flight from one side to the other; false if it was empty.
  bool Step(bool from_client) {
    TlsStream& from = from_client ? *client : *server;
    TlsStream& to = from_client ? *server : *client;
    Flight flight;
    flight.from_client = from_client;
    uint8_t buffer[16384];
    for (int pulls = 0; pulls < 4096; ++pulls) {
      const size_t n = from.Pull(buffer, sizeof buffer);
      if (n == 0) break;
      flight.bytes.insert(flight.bytes.end(), buffer, buffer + n);
    }
    ++flights_sent;
    if (flight.bytes.empty()) return false;
    flight.records = SplitRecords(flight.bytes);
    to.Receive(flight.bytes.data(), flight.bytes.size());
    flights.push_back(std::move(flight));
    return true;
  }

  // Alternates client and server flights, the client first, until both are silent.
  void Run(int max_flights = 20) {
    bool from_client = flights.empty() || !flights.back().from_client;
    int silent = 0;
    for (int i = 0; i < max_flights && silent < 2; ++i, from_client = !from_client) {
      silent = Step(from_client) ? 0 : silent + 1;
    }
  }

  // Bytes of every flight one side sent.
  std::vector<size_t> FlightSizes(bool from_client) const {
    std::vector<size_t> sizes;
    for (const Flight& flight : flights) {
      if (flight.from_client == from_client) sizes.push_back(flight.bytes.size());
    }
    return sizes;
  }
  // Server flights before the client's first flight carrying application plaintext: the round
  // trips the client waited before it could send its request.
  int RoundTripsBeforeClientData() const { return client_app.first_pull_flight / 2; }

  int flights_sent = 0;  // Step calls so far, empty ones too (the FakeSessions' clock)
  FakeSession client_app;
  FakeSession server_app;
  RecordingObserver client_observer;
  RecordingObserver server_observer;
  std::unique_ptr<TlsStream> client;
  std::unique_ptr<TlsStream> server;
  std::vector<Flight> flights;
};

}  // namespace waterfall::testing
