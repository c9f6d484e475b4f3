#include "models/http/protocols.h"

#include <map>
#include <string>

#include "models/http/h1/h1_client.h"
#include "models/http/h2/h2_client.h"

namespace waterfall {

namespace {
// An origin whose requests ride another origin's HTTP/2 session. Chrome pools a session for
// every host the connection's address (and, over TLS, certificate) covers
// (net/spdy/spdy_session_pool.cc, FindAvailableSession and the IP-pooling alias map).
class CoalescedPool : public ConnectionPool {
 public:
  CoalescedPool(const OriginKey& origin, ConnectionPool& shared)
      : origin_(origin), shared_(shared) {}
  const OriginKey& origin() const override { return origin_; }
  void Fetch(const Request& request) override { shared_.Fetch(request); }
  void Preconnect() override { shared_.Preconnect(); }
  bool Idle() const override { return shared_.Idle(); }
  bool CarriesPriorities() const override { return shared_.CarriesPriorities(); }

 private:
  OriginKey origin_;
  ConnectionPool& shared_;
};
}  // namespace

HttpVersion VersionFor(const ModeSpec& mode, const Scenario& scenario, const OriginKey& origin) {
  const Origin* o = scenario.FindOrigin(origin);
  if (o == nullptr) return mode.version;  // undeclared (a test's page): as the mode says
  if (mode.version == HttpVersion::kHttp2) {
    return o->speaks_h2 ? HttpVersion::kHttp2 : HttpVersion::kHttp11;
  }
  return o->speaks_http11 ? HttpVersion::kHttp11 : HttpVersion::kHttp2;
}

std::unique_ptr<ConnectionPool> MakeConnectionPool(const ModeSpec& mode, const Scenario& scenario,
                                                   const OriginKey& origin, ResponseSink& sink,
                                                   ConnectionOpener& opener) {
  if (VersionFor(mode, scenario, origin) == HttpVersion::kHttp2) {
    H2ClientSettings settings;
    settings.enable_push = mode.pushes();
    settings.stream_window_bytes = scenario.client.h2_stream_window_bytes;
    settings.connection_window_bytes = scenario.client.h2_connection_window_bytes;
    settings.priority_header = scenario.client.priority_header;
    return std::make_unique<H2Client>(origin, settings, sink, opener);
  }
  return std::make_unique<H1Client>(origin, scenario.client.h1_connections, sink, opener);
}

ConnectionPoolFactory ConnectionPools(const ModeSpec& mode, const Scenario& scenario,
                                      ConnectionOpener& opener) {
  // The HTTP/2 session of each address, made by the first origin at it.
  auto sessions = std::make_shared<std::map<std::string, ConnectionPool*>>();
  return [&mode, &scenario, &opener, sessions](
             const OriginKey& origin, ResponseSink& sink) -> std::unique_ptr<ConnectionPool> {
    const Origin* o = scenario.FindOrigin(origin);
    const bool h2 = VersionFor(mode, scenario, origin) == HttpVersion::kHttp2;
    if (h2 && o != nullptr && !o->address.empty()) {
      auto it = sessions->find(o->address);
      if (it != sessions->end()) return std::make_unique<CoalescedPool>(origin, *it->second);
    }
    std::unique_ptr<ConnectionPool> pool = MakeConnectionPool(mode, scenario, origin, sink, opener);
    if (h2 && o != nullptr && !o->address.empty()) (*sessions)[o->address] = pool.get();
    return pool;
  };
}

}  // namespace waterfall
