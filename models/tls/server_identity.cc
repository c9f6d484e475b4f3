// A TLS server node's identity: chain, GnuTLS credentials, session-ticket key and 0-RTT
// anti-replay context (see server_identity.h).
#include "models/tls/server_identity.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <array>

#include "models/tls/certificate_chain.h"
#include "models/tls/fixed_length_signer.h"
#include "models/tls/test_keys.h"
#include "models/tls/tls_library.h"

namespace waterfall {
namespace {

// GnuTLS's session-ticket key size (gnutls_session_ticket_key_generate makes 64 bytes:
// lib/session_ticket.c TICKET_MASTER_KEY_SIZE).
constexpr size_t kTicketKeyBytes = 64;

// 64 bytes from a seed: SHA-256(seed || 0x01) || SHA-256(seed || 0x02). Never random, so a
// ticket from an earlier visit (another ServerIdentity with the same seed) decrypts.
std::array<uint8_t, kTicketKeyBytes> TicketKeyFromSeed(const std::string& seed) {
  std::array<uint8_t, kTicketKeyBytes> key{};
  for (uint8_t block = 0; block < 2; ++block) {
    std::string input = "waterfall ticket key:" + seed;
    input.push_back(static_cast<char>(block + 1));
    gnutls_hash_fast(GNUTLS_DIG_SHA256, input.data(), input.size(), key.data() + 32 * block);
  }
  return key;
}

// The anti-replay store: a simulated server sees each ClientHello once (every handshake has a
// fresh random), so every entry is new. Returning 0 accepts the early data.
int AcceptEveryClientHello(void*, time_t, const gnutls_datum_t*, const gnutls_datum_t*) {
  return 0;
}

// The server's key as GnuTLS will use it: ECDSA wrapped so its handshake signatures have one
// length (fixed_length_signer.h); RSA as is (its signatures always have the modulus length).
gnutls_privkey_t HandshakeKey(CertificateKey key) {
  gnutls_privkey_t leaf = ImportTestKey(key, TestKeyRole::kLeaf);
  if (leaf == nullptr || key != CertificateKey::kEcdsaP256) return leaf;
  return WrapWithFixedLengthSignatures(leaf);
}

}  // namespace

struct ServerIdentity::Impl {
  std::vector<std::vector<uint8_t>> chain_der;
  gnutls_certificate_credentials_t credentials = nullptr;
  std::array<uint8_t, kTicketKeyBytes> ticket_key_bytes{};
  gnutls_datum_t ticket_key{nullptr, 0};
  gnutls_anti_replay_t anti_replay = nullptr;

  ~Impl() {
    if (credentials != nullptr) gnutls_certificate_free_credentials(credentials);
    if (anti_replay != nullptr) gnutls_anti_replay_deinit(anti_replay);
  }
};

std::unique_ptr<ServerIdentity> ServerIdentity::Build(const TlsConfig& config,
                                                      const std::vector<std::string>& hosts,
                                                      const std::string& ticket_seed) {
  EnsureTlsLibrary();
  auto impl = std::make_unique<Impl>();
  impl->chain_der = BuildCertificateChain(config.certificate, config.chain_depth,
                                          config.certificate_error, hosts);
  if (impl->chain_der.empty()) return nullptr;
  if (gnutls_certificate_allocate_credentials(&impl->credentials) < 0) return nullptr;

  // gnutls_certificate_set_key takes ownership of the certificates and the key on success.
  std::vector<gnutls_pcert_st> pcerts(impl->chain_der.size());
  size_t imported = 0;
  int rc = 0;
  for (std::vector<uint8_t>& der : impl->chain_der) {
    gnutls_datum_t datum{der.data(), static_cast<unsigned>(der.size())};
    rc = gnutls_pcert_import_x509_raw(&pcerts[imported], &datum, GNUTLS_X509_FMT_DER, 0);
    if (rc < 0) break;
    ++imported;
  }
  gnutls_privkey_t key = rc >= 0 ? HandshakeKey(config.certificate) : nullptr;
  if (key != nullptr) {
    rc = gnutls_certificate_set_key(impl->credentials, nullptr, 0, pcerts.data(),
                                    static_cast<int>(pcerts.size()), key);
  }
  if (rc < 0 || key == nullptr) {
    for (size_t i = 0; i < imported; ++i) gnutls_pcert_deinit(&pcerts[i]);
    if (key != nullptr) gnutls_privkey_deinit(key);
    return nullptr;
  }

  impl->ticket_key_bytes = TicketKeyFromSeed(ticket_seed);
  impl->ticket_key = {impl->ticket_key_bytes.data(), kTicketKeyBytes};
  if (gnutls_anti_replay_init(&impl->anti_replay) < 0) return nullptr;
  gnutls_anti_replay_set_add_function(impl->anti_replay, AcceptEveryClientHello);
  return std::unique_ptr<ServerIdentity>(new ServerIdentity(std::move(impl)));
}

ServerIdentity::ServerIdentity(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ServerIdentity::~ServerIdentity() = default;

const std::vector<std::vector<uint8_t>>& ServerIdentity::chain_der() const {
  return impl_->chain_der;
}

size_t ServerIdentity::chain_bytes() const {
  size_t total = 0;
  for (const auto& der : impl_->chain_der) total += der.size();
  return total;
}

void* ServerIdentity::credentials() const { return impl_->credentials; }
const void* ServerIdentity::ticket_key() const { return &impl_->ticket_key; }
void* ServerIdentity::anti_replay() const { return impl_->anti_replay; }

const std::string& TrustedRootsPem() {
  static const std::string roots = TrustedRootPem(CertificateKey::kEcdsaP256) +
                                   TrustedRootPem(CertificateKey::kRsa2048) +
                                   TrustedRootPem(CertificateKey::kRsa4096);
  return roots;
}

}  // namespace waterfall
