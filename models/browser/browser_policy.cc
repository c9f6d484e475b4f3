#include "models/browser/browser_policy.h"

namespace waterfall {

BrowserPolicy MakeBrowserPolicy(const ModeSpec& mode, const Scenario& scenario) {
  BrowserPolicy policy;
  policy.act_on_early_hints =
      mode.version != HttpVersion::kHttp11 || scenario.client.h1_early_hints;
  return policy;
}

}  // namespace waterfall
