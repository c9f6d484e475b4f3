// The client half of each mode's protocol, built from a ModeSpec. The server half is
// models/server_session.h, the browser's behaviour per mode models/browser_policy.h.
#pragma once

#include <memory>

#include "models/http_client.h"
#include "models/mode.h"
#include "models/scenario.h"

namespace waterfall {

std::unique_ptr<HttpClient> MakeHttpClient(const ModeSpec& mode, const Scenario& scenario,
                                           ResponseSink& sink, ConnectionOpener& opener);

}  // namespace waterfall
