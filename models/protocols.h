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

std::unique_ptr<HttpClient> MakeHttpClient(const ModeSpec& mode, const Scenario& scenario,
                                           ResponseSink& sink, ConnectionOpener& opener);

// One server session per accepted connection.
std::unique_ptr<ByteStream> MakeServerSession(const ModeSpec& mode, const Origin& origin,
                                              EventLoop& loop);

// Whether the browser acts on 103 Early Hints in this mode (Chrome: HTTP/2 only, unless the
// scenario sets client.h1_early_hints).
bool ActsOnEarlyHints(const ModeSpec& mode, const Scenario& scenario);

}  // namespace waterfall
