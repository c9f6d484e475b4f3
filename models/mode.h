// The ways waterfall loads a page. A mode is a small value: which HTTP version carries the
// page and which server strategies (push, 103 Early Hints) are switched on. Adding a mode is
// one row in AllModes() (mode.cc) plus, for a new protocol, an HttpClient and a server session.
#pragma once

#include <string>
#include <vector>

namespace waterfall {

enum class HttpVersion { kHttp11, kHttp2 };

struct ModeSpec {
  std::string name;
  HttpVersion version;
  bool server_push;  // h2-push: PUSH_PROMISE the push set with the document
  bool early_hints;  // h2-hints: 103 with Link: rel=preload before the document's 200
};

const std::vector<ModeSpec>& AllModes();
// nullptr when there is no such mode.
const ModeSpec* FindMode(const std::string& name);
std::string ModeNames();  // "h1, h2, h2-push, h2-hints", for messages

}  // namespace waterfall
