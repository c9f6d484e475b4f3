// The client and server halves of each mode's protocol, built from a ModeSpec.
#pragma once

#include <memory>

#include "models/byte_stream.h"
#include "models/event_loop.h"
#include "models/http_client.h"
#include "models/mode.h"
#include "models/origin.h"
#include "models/scenario.h"

namespace waterfall {

// The mode's pool for one origin (HTTP/1.1: client.h1_connections connections; HTTP/2: one
// session), opening its connections through opener.
std::unique_ptr<ConnectionPool> MakeConnectionPool(const ModeSpec& mode, const Scenario& scenario,
                                                   const OriginKey& origin, ResponseSink& sink,
                                                   ConnectionOpener& opener);
// What a Browser is given: MakeConnectionPool for each origin it requests from. mode,
// scenario and opener must outlive the pools.
ConnectionPoolFactory ConnectionPools(const ModeSpec& mode, const Scenario& scenario,
                                      ConnectionOpener& opener);

// One server session per accepted connection.
std::unique_ptr<ByteStream> MakeServerSession(const ModeSpec& mode, const Origin& origin,
                                              EventLoop& loop);

// Whether the browser acts on 103 Early Hints in this mode (Chrome: HTTP/2 only, unless the
// scenario sets client.h1_early_hints).
bool ActsOnEarlyHints(const ModeSpec& mode, const Scenario& scenario);

}  // namespace waterfall
