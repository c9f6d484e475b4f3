// The server half of each mode's protocol: one session per accepted connection, built from the
// mode's HTTP version; the content and the strategy come from SiteContent.
#pragma once

#include <memory>

#include "models/byte_stream.h"
#include "models/event_loop.h"
#include "models/mode.h"
#include "models/site_content.h"

namespace waterfall {

std::unique_ptr<ByteStream> MakeServerSession(const ModeSpec& mode, const SiteContent& content,
                                              EventLoop& loop);

}  // namespace waterfall
