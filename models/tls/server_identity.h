// What a TLS server node presents: its certificate chain (real X.509, built deterministically at
// start-up from the shipped test keys in models/tls/test_keys.inc), its private key, and the key
// that encrypts its session tickets. One per server node (address x port): the leaf names every
// host served there, so coalesced origins share it. The browser trusts TrustedRoots().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/page/scenario.h"

namespace waterfall {

class ServerIdentity {
 public:
  // A chain of config.chain_depth certificates of key type config.certificate, leaf first,
  // naming hosts (subjectAltName dNSName), made wrong as config.certificate_error says. The same
  // arguments always give the same bytes (fixed keys, serials, validity; deterministic
  // signatures). ticket_seed: the same seed gives the same session-ticket key, so a browser's
  // ticket from an earlier visit (TicketFromEarlierVisit) is accepted by the server node.
  static std::unique_ptr<ServerIdentity> Build(const TlsConfig& config,
                                               const std::vector<std::string>& hosts,
                                               const std::string& ticket_seed);
  ~ServerIdentity();

  // DER certificates, leaf first (what goes into the TLS Certificate message).
  const std::vector<std::vector<uint8_t>>& chain_der() const;
  // Bytes of the chain, summed (for messages and tests).
  size_t chain_bytes() const;
  // GnuTLS handles, for TlsStream.
  void* credentials() const;       // gnutls_certificate_credentials_t
  const void* ticket_key() const;  // gnutls_datum_t
  void* anti_replay() const;       // gnutls_anti_replay_t, for servers accepting 0-RTT data

 private:
  struct Impl;
  explicit ServerIdentity(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class TlsStream;
};

// The roots every browser trusts: one per key type (PEM). An untrusted-root chain is signed by
// another root that is not among them.
const std::string& TrustedRootsPem();

// A session ticket the browser kept from an earlier visit to a server presenting identity:
// a complete in-memory handshake (client and server TlsStream back to back, no network) that
// returns the client's session data (gnutls_session_get_data2), or empty if none was issued.
std::vector<uint8_t> TicketFromEarlierVisit(const ServerIdentity& identity, const TlsConfig& config,
                                            const std::string& server_name,
                                            const std::vector<std::string>& alpn);

}  // namespace waterfall
