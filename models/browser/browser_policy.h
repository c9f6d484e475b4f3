// How the browser behaves in a mode, as Chrome does: what the mode and the scenario's client
// settings make of BrowserPolicy.
#pragma once

#include "models/browser/browser.h"
#include "models/http/mode.h"
#include "models/page/scenario.h"

namespace waterfall {

// act_on_early_hints: Chrome acts on 103 Early Hints over HTTP/2 (and HTTP/3) only, unless the
// scenario sets client.h1_early_hints.
BrowserPolicy MakeBrowserPolicy(const ModeSpec& mode, const Scenario& scenario);

}  // namespace waterfall
