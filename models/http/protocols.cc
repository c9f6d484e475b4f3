#include "models/http/protocols.h"

#include "models/http/h1/h1_client.h"
#include "models/http/h2/h2_client.h"

namespace waterfall {

std::unique_ptr<ConnectionPool> MakeConnectionPool(const ModeSpec& mode, const Scenario& scenario,
                                                   const OriginKey& origin, ResponseSink& sink,
                                                   ConnectionOpener& opener) {
  if (mode.version == HttpVersion::kHttp2) {
    H2ClientSettings settings;
    settings.enable_push = mode.pushes();
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

}  // namespace waterfall
