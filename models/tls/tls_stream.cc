// TlsStream: a GnuTLS session over memory buffers between an inner ByteStream (plaintext) and
// the transport (records). See tls_stream.h.
#include "models/tls/tls_stream.h"

#include <gnutls/gnutls.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "models/tls/record_sizer.h"
#include "models/tls/tls_library.h"

namespace waterfall {
namespace {

// The most plaintext a TLS record carries (RFC 8446 section 5.1: 2^14 bytes).
constexpr size_t kMaxRecordPlaintext = 16384;
// The most 0-RTT data the server accepts and the client sends (one record's worth: the first
// request of a page, HTTP/1.1 GET or HTTP/2 preface + SETTINGS + HEADERS, fits).
constexpr size_t kMaxEarlyDataBytes = 16384;
// gnutls_handshake calls per step that may return non-fatal errors (warning alerts) before
// the step gives up: bounds the loop, never reached by a well-formed peer.
constexpr int kMaxHandshakeCallsPerStep = 16;
// Records built per Pull: bounds the loop (16384-byte pulls need at most 12 records of 1369).
constexpr int kMaxRecordsPerPull = 64;

// Client offer: TLS 1.3 and 1.2, as Chrome. Server: the one version it is configured with.
constexpr const char* kClientPriority = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
const char* ServerPriority(TlsVersion version) {
  return version == TlsVersion::k13 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3"
                                    : "NORMAL:-VERS-ALL:+VERS-TLS1.2";
}

// The client's trust store: TrustedRootsPem(), parsed once and shared (read only).
gnutls_certificate_credentials_t ClientCredentials() {
  static gnutls_certificate_credentials_t credentials = [] {
    gnutls_certificate_credentials_t made = nullptr;
    if (gnutls_certificate_allocate_credentials(&made) < 0) return made;
    const std::string& pem = TrustedRootsPem();
    gnutls_datum_t datum{reinterpret_cast<unsigned char*>(const_cast<char*>(pem.data())),
                         static_cast<unsigned>(pem.size())};
    gnutls_certificate_set_x509_trust_mem(made, &datum, GNUTLS_X509_FMT_PEM);
    return made;
  }();
  return credentials;
}

std::string Hex(const unsigned char* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

// "GNUTLS_A_HANDSHAKE_FAILURE" -> "handshake_failure", the RFC 8446 section 6 name.
std::string AlertName(const char* gnutls_name) {
  std::string name = gnutls_name;
  const std::string prefix = "GNUTLS_A_";
  if (name.rfind(prefix, 0) == 0) name.erase(0, prefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

struct TlsStream::Impl {
  ByteStream& inner;
  TlsObserver* observer;
  bool client;
  TlsClientOptions client_options;
  TlsServerOptions server_options;
  gnutls_session_t session = nullptr;
  RecordSizer sizer;

  std::vector<uint8_t> incoming;  // records from the peer GnuTLS has not read yet
  size_t incoming_read = 0;
  std::vector<uint8_t> outgoing;  // records for the transport
  size_t outgoing_taken = 0;
  std::vector<uint8_t> plaintext;   // inner output waiting to be encrypted
  std::vector<uint8_t> early_data;  // what the client sent as 0-RTT, resent if refused
  std::vector<uint8_t> scratch;

  bool started = false;
  bool handshake_done = false;
  bool failed = false;
  bool inner_done = false;    // inner had nothing more at the last Pull
  bool inner_failed = false;  // inner's Receive refused its input: it gets no more
  bool bye_sent = false;
  bool peer_closed = false;

  Impl(ByteStream& inner_stream, TlsObserver* tls_observer, bool is_client,
       RecordSizer record_sizer)
      : inner(inner_stream), observer(tls_observer), client(is_client), sizer(record_sizer) {}
  ~Impl() {
    if (session != nullptr) gnutls_deinit(session);
  }

  size_t OutgoingPending() const { return outgoing.size() - outgoing_taken; }

  // Appends to a buffer read from the front (`taken` bytes already read), first dropping what
  // was read when the buffer would otherwise grow: the transport rarely takes all of it, so
  // without this the buffer would hold every byte of the connection, reallocated as it grows.
  static void Append(std::vector<uint8_t>& buffer, size_t& taken, const uint8_t* data,
                     size_t size) {
    if (taken > 0 && buffer.size() + size > buffer.capacity()) {
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(taken));
      taken = 0;
    }
    buffer.insert(buffer.end(), data, data + size);
  }

  // GnuTLS transport: writes append to outgoing; reads come from incoming or say EAGAIN.
  static ssize_t Push(gnutls_transport_ptr_t ptr, const void* data, size_t size) {
    auto* impl = static_cast<Impl*>(ptr);
    const auto* bytes = static_cast<const uint8_t*>(data);
    Append(impl->outgoing, impl->outgoing_taken, bytes, size);
    return static_cast<ssize_t>(size);
  }
  static ssize_t PullFromPeer(gnutls_transport_ptr_t ptr, void* data, size_t size) {
    auto* impl = static_cast<Impl*>(ptr);
    const size_t available = impl->incoming.size() - impl->incoming_read;
    if (available == 0) {
      gnutls_transport_set_errno(impl->session, EAGAIN);
      return -1;
    }
    const size_t n = std::min(size, available);
    std::memcpy(data, impl->incoming.data() + impl->incoming_read, n);
    impl->incoming_read += n;
    if (impl->incoming_read == impl->incoming.size()) {
      impl->incoming.clear();
      impl->incoming_read = 0;
    }
    return static_cast<ssize_t>(n);
  }
  static int PullTimeout(gnutls_transport_ptr_t ptr, unsigned) {
    auto* impl = static_cast<Impl*>(ptr);
    return impl->incoming.size() > impl->incoming_read ? 1 : 0;
  }
  // NSS key log line: "LABEL <client random hex> <secret hex>".
  static int KeyLog(gnutls_session_t session, const char* label, const gnutls_datum_t* secret) {
    auto* impl = static_cast<Impl*>(gnutls_session_get_ptr(session));
    if (impl == nullptr || !impl->client_options.keylog) return 0;
    gnutls_datum_t client_random{nullptr, 0};
    gnutls_datum_t server_random{nullptr, 0};
    gnutls_session_get_random(session, &client_random, &server_random);
    const std::string line = std::string(label) + " " +
                             Hex(client_random.data, client_random.size) + " " +
                             Hex(secret->data, secret->size);
    impl->client_options.keylog(line);
    return 0;
  }

  bool Init(unsigned flags, const char* priority);
  bool InitClient();
  bool InitServer();
  void StartClient();
  void DriveHandshake();
  void DrainEarlyData();
  void Deliver(size_t plaintext_bytes);
  void OnHandshakeComplete();
  void ReadRecords();
  uint64_t ReadSequence() const;
  void EncryptInnerOutput(size_t wanted_bytes);
  void MaybeSendBye();
  void Fail(int code);
  void FailWith(const std::string& reason);
  std::string Reason(int code) const;
};

bool TlsStream::Impl::Init(unsigned flags, const char* priority) {
  EnsureTlsLibrary();
  if (gnutls_init(&session, flags | GNUTLS_NONBLOCK) < 0) return false;
  gnutls_session_set_ptr(session, this);
  gnutls_transport_set_ptr(session, this);
  gnutls_transport_set_push_function(session, Push);
  gnutls_transport_set_pull_function(session, PullFromPeer);
  gnutls_transport_set_pull_timeout_function(session, PullTimeout);
  gnutls_handshake_set_timeout(session, GNUTLS_INDEFINITE_TIMEOUT);
  scratch.resize(kMaxRecordPlaintext);
  return gnutls_priority_set_direct(session, priority, nullptr) >= 0;
}

namespace {
std::vector<gnutls_datum_t> AlpnDatums(const std::vector<std::string>& protocols) {
  std::vector<gnutls_datum_t> datums;
  for (const std::string& protocol : protocols) {
    datums.push_back({reinterpret_cast<unsigned char*>(const_cast<char*>(protocol.data())),
                      static_cast<unsigned>(protocol.size())});
  }
  return datums;
}
}  // namespace

bool TlsStream::Impl::InitClient() {
  unsigned flags = GNUTLS_CLIENT;
  if (client_options.false_start) flags |= GNUTLS_ENABLE_FALSE_START;
  if (client_options.early_data) flags |= GNUTLS_ENABLE_EARLY_DATA;
  if (!Init(flags, kClientPriority)) return false;
  gnutls_certificate_credentials_t credentials = ClientCredentials();
  if (credentials == nullptr ||
      gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials) < 0) {
    return false;
  }
  const std::string& name = client_options.server_name;
  if (!name.empty()) gnutls_server_name_set(session, GNUTLS_NAME_DNS, name.data(), name.size());
  gnutls_session_set_verify_cert(session, name.empty() ? nullptr : name.c_str(), 0);
  std::vector<gnutls_datum_t> alpn = AlpnDatums(client_options.alpn);
  if (!alpn.empty()) {
    gnutls_alpn_set_protocols(session, alpn.data(), static_cast<unsigned>(alpn.size()), 0);
  }
  if (client_options.keylog) gnutls_session_set_keylog_function(session, KeyLog);
  if (!client_options.resume_session.empty()) {
    // A stale or foreign ticket is not an error: the handshake is simply a full one.
    gnutls_session_set_data(session, client_options.resume_session.data(),
                            client_options.resume_session.size());
  }
  return true;
}

bool TlsStream::Impl::InitServer() {
  const ServerIdentity* identity = server_options.identity;
  const TlsConfig& config = server_options.config;
  if (identity == nullptr) return false;
  // Tickets are sent by OnHandshakeComplete, config.session_tickets of them.
  unsigned flags = GNUTLS_SERVER | GNUTLS_NO_AUTO_SEND_TICKET;
  // 0-RTT, and EARLY_START: the server may write application data right after its Finished
  // (0.5-RTT) instead of waiting for the client's Finished.
  if (config.early_data) flags |= GNUTLS_ENABLE_EARLY_DATA | GNUTLS_ENABLE_EARLY_START;
  if (!Init(flags, ServerPriority(config.version))) return false;
  if (gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, identity->credentials()) < 0) {
    return false;
  }
  std::vector<gnutls_datum_t> alpn = AlpnDatums(server_options.alpn);
  if (!alpn.empty()) {
    // MANDATORY: a client offering ALPN but none of these gets a no_application_protocol
    // alert (RFC 7301 section 3.2) instead of a connection without a protocol.
    gnutls_alpn_set_protocols(session, alpn.data(), static_cast<unsigned>(alpn.size()),
                              GNUTLS_ALPN_SERVER_PRECEDENCE | GNUTLS_ALPN_MANDATORY);
  }
  if (config.session_tickets > 0 &&
      gnutls_session_ticket_enable_server(
          session, static_cast<const gnutls_datum_t*>(identity->ticket_key())) < 0) {
    return false;
  }
  if (config.early_data) {
    gnutls_record_set_max_early_data_size(session, kMaxEarlyDataBytes);
    gnutls_anti_replay_enable(session, static_cast<gnutls_anti_replay_t>(identity->anti_replay()));
  }
  return true;
}

void TlsStream::Impl::StartClient() {
  started = true;
  if (client_options.early_data && !client_options.resume_session.empty()) {
    const size_t limit =
        std::min(kMaxEarlyDataBytes, gnutls_record_get_max_early_data_size(session));
    while (early_data.size() < limit) {
      const size_t n =
          inner.Pull(scratch.data(), std::min(scratch.size(), limit - early_data.size()));
      if (n == 0) break;
      early_data.insert(early_data.end(), scratch.data(), scratch.data() + n);
    }
    if (!early_data.empty() &&
        gnutls_record_send_early_data(session, early_data.data(), early_data.size()) < 0) {
      plaintext.swap(early_data);  // no 0-RTT after all: it goes after the handshake
    }
  }
  DriveHandshake();
}

void TlsStream::Impl::DriveHandshake() {
  for (int call = 0; call < kMaxHandshakeCallsPerStep && !failed && !handshake_done; ++call) {
    const int rc = gnutls_handshake(session);
    if (!client) DrainEarlyData();
    if (rc == 0) {
      OnHandshakeComplete();
      return;
    }
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return;
    if (gnutls_error_is_fatal(rc)) {
      Fail(rc);
      return;
    }
  }
}

// Plaintext in scratch to the inner session, unless it has refused input before.
void TlsStream::Impl::Deliver(size_t plaintext_bytes) {
  if (inner_failed) return;
  if (!inner.Receive(scratch.data(), plaintext_bytes)) inner_failed = true;
}

// 0-RTT data the server has decrypted goes to the inner session as it arrives.
void TlsStream::Impl::DrainEarlyData() {
  for (int record = 0; record < kMaxRecordsPerPull && !failed; ++record) {
    const ssize_t n = gnutls_record_recv_early_data(session, scratch.data(), scratch.size());
    if (n <= 0) return;
    Deliver(static_cast<size_t>(n));
  }
}

void TlsStream::Impl::OnHandshakeComplete() {
  handshake_done = true;
  TlsHandshakeResult result;
  gnutls_datum_t alpn{nullptr, 0};
  if (gnutls_alpn_get_selected_protocol(session, &alpn) == 0) {
    result.alpn.assign(reinterpret_cast<const char*>(alpn.data), alpn.size);
  }
  result.version =
      gnutls_protocol_get_version(session) == GNUTLS_TLS1_3 ? TlsVersion::k13 : TlsVersion::k12;
  result.resumed = gnutls_session_is_resumed(session) != 0;
  const unsigned flags = gnutls_session_get_flags(session);
  result.early_data_accepted = (flags & GNUTLS_SFLAGS_EARLY_DATA) != 0;
  result.false_start = (flags & GNUTLS_SFLAGS_FALSE_START) != 0;
  if (client && !early_data.empty() && !result.early_data_accepted) {
    early_data.insert(early_data.end(), plaintext.begin(), plaintext.end());
    plaintext.swap(early_data);  // refused 0-RTT data is sent again, first
  }
  early_data.clear();
  if (observer != nullptr) observer->OnTlsHandshakeDone(result);
  const int tickets = server_options.config.session_tickets;
  if (!client && result.version == TlsVersion::k13 && tickets > 0) {
    const int rc = gnutls_session_ticket_send(session, static_cast<unsigned>(tickets), 0);
    if (rc < 0 && gnutls_error_is_fatal(rc)) Fail(rc);
  }
}

// The read sequence number: it advances with every record GnuTLS decrypts.
uint64_t TlsStream::Impl::ReadSequence() const {
  unsigned char seq[8] = {0};
  if (gnutls_record_get_state(session, 1, nullptr, nullptr, nullptr, seq) < 0) return ~uint64_t{0};
  uint64_t value = 0;
  for (unsigned char byte : seq) value = (value << 8) | byte;
  return value;
}

void TlsStream::Impl::ReadRecords() {
  // gnutls_record_recv says EAGAIN both when it needs more bytes and after it handled a
  // post-handshake message (a NewSessionTicket) with more records behind it in its buffer. So
  // read on while a call made progress: a record decrypted or bytes taken. Each round with
  // progress consumes a record (at least 5 bytes); the cap only guards against a bug.
  const size_t max_rounds = (incoming.size() - incoming_read) / 5 + 256;
  for (size_t round = 0; round < max_rounds && !failed; ++round) {
    const uint64_t sequence_before = ReadSequence();
    const size_t unread_before = incoming.size() - incoming_read;
    const ssize_t n = gnutls_record_recv(session, scratch.data(), scratch.size());
    if (n > 0) {
      Deliver(static_cast<size_t>(n));
    } else if (n == 0) {  // close_notify: the peer sends no more
      if (!peer_closed) {
        peer_closed = true;
        inner.OnPeerClosed();
      }
      return;
    } else if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
      const bool progress =
          ReadSequence() != sequence_before || incoming.size() - incoming_read != unread_before;
      if (!progress) return;
    } else if (gnutls_error_is_fatal(static_cast<int>(n))) {
      Fail(static_cast<int>(n));
    }
  }
}

void TlsStream::Impl::EncryptInnerOutput(size_t wanted_bytes) {
  for (int record = 0; record < kMaxRecordsPerPull && OutgoingPending() < wanted_bytes; ++record) {
    const size_t limit = std::min(sizer.NextRecordLimit(), kMaxRecordPlaintext);
    while (plaintext.size() < limit) {
      const size_t n =
          inner.Pull(scratch.data(), std::min(scratch.size(), limit - plaintext.size()));
      if (n == 0) break;
      plaintext.insert(plaintext.end(), scratch.data(), scratch.data() + n);
    }
    inner_done = plaintext.size() < limit;
    if (plaintext.empty()) return;
    const size_t n = std::min(limit, plaintext.size());
    const ssize_t sent = gnutls_record_send(session, plaintext.data(), n);
    if (sent < 0) {
      if (gnutls_error_is_fatal(static_cast<int>(sent))) Fail(static_cast<int>(sent));
      return;
    }
    plaintext.erase(plaintext.begin(), plaintext.begin() + sent);
    sizer.OnRecordSent();
  }
}

// close_notify once the inner session wants to close and all its output is encrypted (Apache
// mod_ssl's ssl_filter_io_shutdown does SSL_shutdown before closing the socket).
void TlsStream::Impl::MaybeSendBye() {
  if (bye_sent || failed || !handshake_done || !inner_done || !plaintext.empty()) return;
  if (!inner.WantsClose()) return;
  bye_sent = true;
  gnutls_bye(session, GNUTLS_SHUT_WR);
}

std::string TlsStream::Impl::Reason(int code) const {
  if (code == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
    const unsigned status = gnutls_session_get_verify_cert_status(session);
    if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA)) {
      return "certificate untrusted-root";
    }
    if (status & GNUTLS_CERT_EXPIRED) return "certificate expired";
    if (status & GNUTLS_CERT_UNEXPECTED_OWNER) return "certificate wrong-host";
  }
  if (code == GNUTLS_E_NO_APPLICATION_PROTOCOL) return "alpn no common protocol";
  if (code == GNUTLS_E_FATAL_ALERT_RECEIVED) {
    // The peer chooses the number: it may be none of the enumerators (found by
    // fuzz/tls_record_fuzzer.cc: 210), so it is held as an int and named only if known.
    const int alert = gnutls_alert_get(session);
    if (alert == GNUTLS_A_NO_APPLICATION_PROTOCOL) return "alpn no common protocol";
    const char* name = nullptr;
    if (alert >= 0 && alert <= GNUTLS_A_MAX) {
      name = gnutls_alert_get_strname(static_cast<gnutls_alert_description_t>(alert));
    }
    return "alert " + (name != nullptr ? AlertName(name) : std::to_string(alert));
  }
  return TlsErrorName(code);
}

void TlsStream::Impl::Fail(int code) {
  if (failed) return;
  // Tell the peer why, unless it told us (RFC 8446 section 6.2).
  if (code != GNUTLS_E_FATAL_ALERT_RECEIVED) gnutls_alert_send_appropriate(session, code);
  FailWith(Reason(code));
}

void TlsStream::Impl::FailWith(const std::string& reason) {
  if (failed) return;
  failed = true;
  plaintext.clear();
  if (observer != nullptr) observer->OnTlsFailed(reason);
}

std::unique_ptr<TlsStream> TlsStream::Client(ByteStream& inner, TlsClientOptions options,
                                             TlsObserver* observer) {
  auto impl =
      std::make_unique<Impl>(inner, observer, true, RecordSizer(kMaxRecordPlaintext, false));
  impl->client_options = std::move(options);
  const bool ok = impl->InitClient();
  std::unique_ptr<TlsStream> stream(new TlsStream(std::move(impl)));
  if (!ok) stream->impl_->FailWith("GNUTLS_E_INTERNAL_ERROR");
  return stream;
}

std::unique_ptr<TlsStream> TlsStream::Server(ByteStream& inner, TlsServerOptions options,
                                             TlsObserver* observer) {
  const TlsConfig& config = options.config;
  auto impl = std::make_unique<Impl>(inner, observer, false,
                                     RecordSizer(config.record_bytes, config.dynamic_records));
  impl->server_options = std::move(options);
  const bool ok = impl->InitServer();
  std::unique_ptr<TlsStream> stream(new TlsStream(std::move(impl)));
  if (!ok) stream->impl_->FailWith("GNUTLS_E_INTERNAL_ERROR");
  return stream;
}

TlsStream::TlsStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  // Inner output that appears later (a timer, a submitted request) reaches the transport.
  impl_->inner.SetOutputListener([this] { NotifyOutput(); });
}

TlsStream::~TlsStream() { impl_->inner.SetOutputListener(nullptr); }

bool TlsStream::Receive(const uint8_t* data, size_t len) {
  Impl& impl = *impl_;
  if (impl.failed) return false;
  Impl::Append(impl.incoming, impl.incoming_read, data, len);
  impl.started = true;
  if (!impl.handshake_done) impl.DriveHandshake();
  if (impl.handshake_done) impl.ReadRecords();
  return !impl.failed && !impl.inner_failed;
}

size_t TlsStream::Pull(uint8_t* out, size_t max_bytes) {
  Impl& impl = *impl_;
  if (!impl.started && impl.client && !impl.failed) impl.StartClient();
  if (impl.handshake_done && !impl.failed) {
    impl.EncryptInnerOutput(max_bytes);
    impl.MaybeSendBye();
  }
  const size_t n = std::min(max_bytes, impl.OutgoingPending());
  if (n == 0) return 0;
  std::memcpy(out, impl.outgoing.data() + impl.outgoing_taken, n);
  impl.outgoing_taken += n;
  if (impl.outgoing_taken == impl.outgoing.size()) {
    impl.outgoing.clear();
    impl.outgoing_taken = 0;
  }
  return n;
}

bool TlsStream::WantsClose() const {
  return (impl_->failed || impl_->bye_sent) && impl_->OutgoingPending() == 0;
}

void TlsStream::OnPeerClosed() {
  Impl& impl = *impl_;
  if (!impl.handshake_done && !impl.failed && impl.started) {
    impl.FailWith("GNUTLS_E_PREMATURE_TERMINATION");
  }
  if (!impl.peer_closed) {
    impl.peer_closed = true;
    impl.inner.OnPeerClosed();
  }
}

bool TlsStream::handshake_done() const { return impl_->handshake_done; }
bool TlsStream::failed() const { return impl_->failed; }

std::vector<uint8_t> TlsStream::SessionData() const {
  const Impl& impl = *impl_;
  if (!impl.client || !impl.handshake_done || impl.failed) return {};
  const bool tls13 = gnutls_protocol_get_version(impl.session) == GNUTLS_TLS1_3;
  if (tls13 && !(gnutls_session_get_flags(impl.session) & GNUTLS_SFLAGS_SESSION_TICKET)) return {};
  gnutls_datum_t data{nullptr, 0};
  if (gnutls_session_get_data2(impl.session, &data) < 0) return {};
  std::vector<uint8_t> out(data.data, data.data + data.size);
  gnutls_free(data.data);
  return out;
}

}  // namespace waterfall
