// How much plaintext the next application-data record a TlsStream writes may carry: a fixed
// size (Apache mod_ssl / OpenSSL: up to 16 KB), or nginx with Cloudflare's dynamic TLS records
// patch: small records first so the first bytes of a response can be decrypted sooner.
#pragma once

#include <cstddef>

namespace waterfall {

// Cloudflare's nginx dynamic TLS records patch
// (https://github.com/cloudflare/sslconfig/blob/master/patches/nginx__dynamic_tls_records.patch):
// ssl_dyn_rec_size_lo=1369, ssl_dyn_rec_size_hi=4229, ssl_dyn_rec_threshold=40. The patch
// also returns to small records after an idle time (ssl_dyn_rec_timeout, 1 s); a sans-I/O
// stream has no clock, so there is no idle reset here.
constexpr size_t kDynamicRecordSmallBytes = 1369;
constexpr size_t kDynamicRecordMediumBytes = 4229;
constexpr int kDynamicRecordThreshold = 40;

class RecordSizer {
 public:
  RecordSizer(size_t record_bytes, bool dynamic) : record_bytes_(record_bytes), dynamic_(dynamic) {
    if (record_bytes_ == 0) record_bytes_ = 1;
  }
  // The most plaintext the next record may carry.
  size_t NextRecordLimit() const {
    if (dynamic_ && records_sent_ < kDynamicRecordThreshold) {
      return record_bytes_ < kDynamicRecordSmallBytes ? record_bytes_ : kDynamicRecordSmallBytes;
    }
    if (dynamic_ && records_sent_ < 2 * kDynamicRecordThreshold) {
      return record_bytes_ < kDynamicRecordMediumBytes ? record_bytes_ : kDynamicRecordMediumBytes;
    }
    return record_bytes_;
  }
  void OnRecordSent() { ++records_sent_; }

 private:
  size_t record_bytes_;
  bool dynamic_;
  int records_sent_ = 0;
};

}  // namespace waterfall
