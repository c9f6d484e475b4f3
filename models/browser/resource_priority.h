// The priority Chrome gives each request, in one place: Blink's ResourceLoadPriority for the
// resource (resource_fetcher.cc: TypeToPriority, ComputeLoadPriority and
// AdjustPriorityWithPriorityHintAndRenderBlocking), and the net priority Blink maps it to
// (platform/loader/fetch/resource_load_priority.h, WebURLRequest priority -> net
// RequestPriority in third_party/blink/renderer/platform/loader/fetch/url_loader). Sources of
// each row are beside it in resource_priority.cc.
#pragma once

#include "models/http/request_priority.h"
#include "models/page/scenario.h"

namespace waterfall {

// What Blink knows when it makes the request, beyond the resource itself.
struct PriorityContext {
  // Found by the preload scanner ahead of the parser (a speculative preload), not the parser.
  bool speculative = false;
  // An image of the document was requested before this one (Blink's image_fetched_: a script
  // found by the preload scanner after it is "late in the document").
  bool after_image = false;
};

// Blink's ResourceLoadPriority for r: the resource's `priority` key when it has one.
LoadPriority ChromeLoadPriority(const Resource& r, const PriorityContext& context);
// VeryHigh -> HIGHEST, High -> MEDIUM, Medium -> LOW, Low -> LOWEST, VeryLow -> IDLE.
RequestPriority NetPriority(LoadPriority priority);
// The request's priority: NetPriority of ChromeLoadPriority, incremental for images and
// fetches.
Priority ChromeRequestPriority(const Resource& r, const PriorityContext& context);

}  // namespace waterfall
