#include "models/protocols.h"

#include "models/h1_client.h"
#include "models/h1_server.h"
#include "models/h2_client.h"
#include "models/h2_server.h"

namespace waterfall {

std::unique_ptr<ConnectionPool> MakeConnectionPool(const ModeSpec& mode, const Scenario& scenario,
                                                   const OriginKey& origin, ResponseSink& sink,
                                                   ConnectionOpener& opener) {
  if (mode.version == HttpVersion::kHttp2) {
    H2ClientSettings settings;
    settings.enable_push = mode.server_push;
    settings.stream_window_bytes = scenario.client.h2_stream_window_bytes;
    settings.connection_window_bytes = scenario.client.h2_connection_window_bytes;
    return std::make_unique<H2Client>(origin, settings, sink, opener);
  }
  return std::make_unique<H1Client>(origin, scenario.client.h1_connections, sink, opener);
}

ConnectionPoolFactory ConnectionPools(const ModeSpec& mode, const Scenario& scenario,
                                      ConnectionOpener& opener) {
  return [&mode, &scenario, &opener](const OriginKey& origin, ResponseSink& sink) {
    return MakeConnectionPool(mode, scenario, origin, sink, opener);
  };
}

std::unique_ptr<ByteStream> MakeServerSession(const ModeSpec& mode, const Origin& origin,
                                              EventLoop& loop) {
  if (mode.version == HttpVersion::kHttp2) return std::make_unique<H2ServerSession>(origin, loop);
  return std::make_unique<H1ServerSession>(origin, loop);
}

bool ActsOnEarlyHints(const ModeSpec& mode, const Scenario& scenario) {
  return mode.version == HttpVersion::kHttp2 || scenario.client.h1_early_hints;
}

}  // namespace waterfall
