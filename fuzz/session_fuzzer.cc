// libFuzzer target over the protocol sessions and the browser: hostile bytes from the peer.
//
// Input: [side][mode][chunk] then the peer's bytes.
//   side  % 2: 0 = the browser (Browser + the mode's ConnectionPool) reads a server's bytes,
//              1 = the origin server session reads a client's bytes;
//   mode  % 4: h1, h2, h2-push, h2-hints;
//   chunk:     bytes per Receive call (0 = all at once), as TCP may split them anywhere.
// Seeds are real conversations written by session_seed_maker (scripts/fuzz runs it).
//
// Contract checked: no crash or sanitizer report, whatever the peer sends; the browser's
// bookkeeping stays consistent (after Finish, nothing is pending).
#include <cstdlib>

#include "fuzz/session_harness.h"

using namespace waterfall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  static const Scenario kPage = fuzz::FuzzPage();
  const bool server_side = data[0] % 2 == 1;
  const ModeSpec& mode = AllModes()[data[1] % AllModes().size()];
  const size_t chunk = data[2] == 0 ? size : data[2];
  data += 3;
  size -= 3;
  if (server_side) {
    fuzz::ServerSide server(kPage, mode);
    for (size_t at = 0; at < size; at += chunk) server.Feed(data + at, std::min(chunk, size - at));
    return 0;
  }
  fuzz::BrowserSide browser(kPage, mode);
  for (size_t at = 0; at < size; at += chunk) browser.Feed(data + at, std::min(chunk, size - at));
  browser.Close();
  browser.browser().Finish();
  for (const ResourceTiming& t : browser.browser().timings()) {
    if (t.status == ResourceStatus::kPending) std::abort();
  }
  browser.browser().Metrics();
  return 0;
}
