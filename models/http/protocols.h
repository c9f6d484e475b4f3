// The client half of each mode's protocol, built from a ModeSpec. The server half is
// models/http/server_session.h, the browser's behaviour per mode models/browser_policy.h.
#pragma once

#include <memory>

#include "models/http/http_client.h"
#include "models/http/mode.h"
#include "models/page/scenario.h"

namespace waterfall {

// The HTTP version a mode speaks to origin: the mode's own where the origin's server speaks it
// ([[origin]] protocols), the other otherwise. Client and server both ask this, so that a
// cleartext connection (no ALPN) carries what its server expects.
HttpVersion VersionFor(const ModeSpec& mode, const Scenario& scenario, const OriginKey& origin);

// The mode's pool for one origin (HTTP/1.1: client.h1_connections connections; HTTP/2: one
// session), opening its connections through opener.
std::unique_ptr<ConnectionPool> MakeConnectionPool(const ModeSpec& mode, const Scenario& scenario,
                                                   const OriginKey& origin, ResponseSink& sink,
                                                   ConnectionOpener& opener);
// What a Browser is given: MakeConnectionPool for each origin it requests from, except that
// an origin whose [[origin]] address is that of an origin already using HTTP/2 shares that
// origin's session (connection coalescing; docs/scenario-format.md). mode, scenario and opener
// must outlive the pools, and a coalesced pool must not outlive the pool it shares.
ConnectionPoolFactory ConnectionPools(const ModeSpec& mode, const Scenario& scenario,
                                      ConnectionOpener& opener);

}  // namespace waterfall
