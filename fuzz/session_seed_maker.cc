// Writes the session fuzzer's seeds: real conversations between the browser and the origin
// server of each mode, run in memory, recorded from either side.
//   session_seed_maker DIR
#include <cstdio>
#include <fstream>
#include <string>

#include "fuzz/session_harness.h"

using namespace waterfall;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: session_seed_maker DIR\n");
    return 2;
  }
  const Scenario page = fuzz::FuzzPage();
  for (size_t m = 0; m < AllModes().size(); ++m) {
    const ModeSpec& mode = AllModes()[m];
    fuzz::BrowserSide browser(page, mode);
    fuzz::ServerSide server(page, mode);
    std::string to_server, to_browser;
    for (int round = 0; round < 50; ++round) {
      std::string up = std::move(browser.output());
      browser.output().clear();
      if (!up.empty()) server.Feed(reinterpret_cast<const uint8_t*>(up.data()), up.size());
      std::string down = std::move(server.output());
      server.output().clear();
      if (!down.empty()) browser.Feed(reinterpret_cast<const uint8_t*>(down.data()), down.size());
      to_server += up;
      to_browser += down;
      if (up.empty() && down.empty()) break;
    }
    for (int side = 0; side < 2; ++side) {
      const std::string& bytes = side == 0 ? to_browser : to_server;
      for (int chunk : {0, 7}) {
        const std::string name = std::string(argv[1]) + "/session-" + mode.name + "-" +
                                 (side == 0 ? "browser" : "server") + "-" + std::to_string(chunk);
        std::ofstream out(name, std::ios::binary);
        out.put(static_cast<char>(side));
        out.put(static_cast<char>(m));
        out.put(static_cast<char>(chunk));
        out << bytes;
      }
    }
    std::printf("%s: %zu bytes to the browser, %zu to the server\n", mode.name.c_str(),
                to_browser.size(), to_server.size());
  }
  return 0;
}
