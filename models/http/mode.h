// The ways waterfall loads a page. A mode is one point of a product:
//
//   HTTP version (h1, h2; later h3) x security (cleartext; later TLS) x server strategy
//   (none, push, 103 hints; later preload, push + hints, ...)
//
// and its name is spelled from those three parts ("h2" + "" + "-push"), so a name and its
// parts can never disagree. The modes waterfall offers are the rows of one table (AllModes(),
// mode.cc); adding one is a row there (plus, for a new HTTP version, an HttpClient and a server
// session; for TLS, the handshake), never a new boolean.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace waterfall {

enum class HttpVersion { kHttp11, kHttp2 };
// Cleartext TCP today (the names carry no security part: "h2"); TLS will add a value and a name
// part of its own.
enum class Security { kCleartext };
// What the server does alongside the document's response.
enum class ServerStrategy {
  kNone,
  kPush,   // PUSH_PROMISE the push set with the document (HTTP/2 only)
  kHints,  // a 103 with Link: rel=preload before the document's final response
};

// The parts of a mode name: "h1" / "h2", "" (cleartext), "" / "-push" / "-hints".
const char* NamePart(HttpVersion version);
const char* NamePart(Security security);
const char* NamePart(ServerStrategy strategy);

struct ModeKey {
  HttpVersion version = HttpVersion::kHttp2;
  Security security = Security::kCleartext;
  ServerStrategy strategy = ServerStrategy::kNone;

  std::string Name() const;  // the three name parts in order: "h2-push"
  bool operator==(const ModeKey& o) const {
    return version == o.version && security == o.security && strategy == o.strategy;
  }
};
// The parts of a mode name, read back from its text: a version, then at most one security
// part and at most one strategy part, in that order. nullopt if it is not spelled that way.
// Whether the mode is offered is AllModes()'s business, not the parser's.
std::optional<ModeKey> ParseModeName(const std::string& name);

struct ModeSpec {
  std::string name;  // key.Name()
  HttpVersion version;
  Security security;
  ServerStrategy strategy;
  // Run when no mode is named (`run` without --mode, a sweep without `modes`).
  bool by_default;

  ModeKey key() const { return {version, security, strategy}; }
  bool pushes() const { return strategy == ServerStrategy::kPush; }
  bool sends_early_hints() const { return strategy == ServerStrategy::kHints; }
};

// Every mode waterfall offers, in table order: h1, h2, h2-push, h2-hints (the default set,
// in that order), then the modes that run only when named (h1-hints).
const std::vector<ModeSpec>& AllModes();
// The modes run when none is named, in table order.
const std::vector<const ModeSpec*>& DefaultModes();
// nullptr when there is no such mode.
const ModeSpec* FindMode(const std::string& name);
std::string ModeNames();         // every mode: "h1, h2, h2-push, h2-hints, h1-hints", for messages
std::string DefaultModeNames();  // "h1, h2, h2-push, h2-hints"

}  // namespace waterfall
