#include "models/http/server_session.h"

#include "models/http/h1/h1_server.h"
#include "models/http/h2/h2_server.h"

namespace waterfall {

std::unique_ptr<ByteStream> MakeServerSession(const ModeSpec& mode, const SiteContent& content,
                                              EventLoop& loop) {
  return MakeServerSession(mode.version, content, loop);
}

std::unique_ptr<ByteStream> MakeServerSession(HttpVersion version, const SiteContent& content,
                                              EventLoop& loop) {
  switch (version) {
    case HttpVersion::kHttp2:
      return std::make_unique<H2ServerSession>(content, loop);
    case HttpVersion::kHttp11:
      break;
  }
  return std::make_unique<H1ServerSession>(content, loop);
}

}  // namespace waterfall
