// The server half of each mode's protocol: one session per accepted connection, built from the
// mode's HTTP version; the content and the strategy come from SiteContent.
#pragma once

#include <memory>

#include "models/core/byte_stream.h"
#include "models/core/event_loop.h"
#include "models/http/mode.h"
#include "models/server/site_content.h"

namespace waterfall {

// The session of one server connection speaking `version` (a server node speaks what its
// origins' protocols and the mode make of them: VersionFor in models/http/protocols.h).
std::unique_ptr<ByteStream> MakeServerSession(HttpVersion version, const SiteContent& content,
                                              EventLoop& loop);
std::unique_ptr<ByteStream> MakeServerSession(const ModeSpec& mode, const SiteContent& content,
                                              EventLoop& loop);

}  // namespace waterfall
