#include "models/mode.h"

namespace waterfall {

const std::vector<ModeSpec>& AllModes() {
  static const std::vector<ModeSpec> modes = {
      {"h1", HttpVersion::kHttp11, false, false},
      {"h2", HttpVersion::kHttp2, false, false},
      {"h2-push", HttpVersion::kHttp2, true, false},
      {"h2-hints", HttpVersion::kHttp2, false, true},
  };
  return modes;
}

const ModeSpec* FindMode(const std::string& name) {
  for (const ModeSpec& m : AllModes()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string ModeNames() {
  std::string out;
  for (const ModeSpec& m : AllModes()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

}  // namespace waterfall
