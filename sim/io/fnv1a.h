// FNV-1a, 64 bits: a hash that is stable across platforms, compilers and releases (unlike
// std::hash), for record ids (sim/sweep/sweep_plan.cc) and a scenario file's fingerprint in the
// result file's "run" object (sim/cli/run_command.cc).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace waterfall {

class Fnv1a64 {
 public:
  // The bytes as they are: Fnv1a64().AddBytes(text).Hex() is the standard FNV-1a 64 of text.
  Fnv1a64& AddBytes(std::string_view bytes) {
    for (unsigned char c : bytes) Byte(c);
    return *this;
  }
  // The bytes and a 0 separator, so that fields ("ab", "c") and ("a", "bc") differ.
  Fnv1a64& AddField(std::string_view field) {
    AddBytes(field);
    Byte(0);
    return *this;
  }
  // 16 lowercase hex digits.
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  void Byte(unsigned char c) {
    h_ ^= c;
    h_ *= 0x100000001b3ULL;
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace waterfall
