// Blink's priority table, in one place: what Chrome asks for each resource of a page. Sources
// (Chromium, third_party/blink/renderer/platform/loader/fetch/):
//   [type]   resource_fetcher.cc TypeToPriority
//   [late]   resource_fetcher.cc ComputeLoadPriority (image_fetched_, kInDocument preloads)
//   [defer]  resource_fetcher.cc ComputeLoadPriority (FetchParameters::kLazyLoad for scripts)
//   [raise]  resource_fetcher.cc AdjustPriorityWithPriorityHintAndRenderBlocking
//   [incr]   resource_fetcher.cc / resource_request_utils.cc ShouldLoadIncremental
//   [net]    platform/loader/fetch/resource_load_priority.h and
//            renderer/platform/loader/fetch/url_loader/ (ResourceLoadPriority -> net priority)
// Where Chrome differs from the project's table (the issue), the table wins; each such row says
// so.
#include "models/browser/resource_priority.h"

namespace waterfall {

namespace {

// [type] The priority of a resource type before anything about the request is known.
LoadPriority TypePriority(ResourceType type) {
  switch (type) {
    case ResourceType::kDocument:
      // Chrome makes navigations net HIGHEST (the browser process sets it, not Blink); Blink's
      // TypeToPriority had kMainResource at VeryHigh until it moved out of Blink.
      return LoadPriority::kVeryHigh;
    case ResourceType::kStyle:
    case ResourceType::kFont:
      return LoadPriority::kVeryHigh;  // [type] kCSSStyleSheet, kFont
    case ResourceType::kScript:
    case ResourceType::kOther:
      return LoadPriority::kHigh;  // [type] kScript, kRaw (fetch, XHR)
    case ResourceType::kImage:
      return LoadPriority::kLow;  // [type] kImage (before layout finds it in the viewport)
    case ResourceType::kPreconnect:
      // Not a request; a preconnect carries no priority. The lowest, should one be asked.
      return LoadPriority::kVeryLow;
  }
  return LoadPriority::kVeryLow;
}

}  // namespace

LoadPriority ChromeLoadPriority(const Resource& r, const PriorityContext& context) {
  // The `priority` key overrides everything, as the table says. Chrome's fetchpriority
  // is a hint instead: "high" raises to at least High, "low" lowers to at most Low (VeryHigh
  // stylesheets to High), and render blocking still raises afterwards [raise].
  if (r.priority) return *r.priority;

  LoadPriority priority = TypePriority(r.type);
  // [late] A resource found by the preload scanner after the document's first image is "late
  // in the document".
  const bool late_from_preload_scanner = context.speculative && context.after_image;
  if (r.type == ResourceType::kScript) {
    if (r.async || r.defer) {
      priority = LoadPriority::kLow;  // [defer] async and defer scripts: Low
    } else if (late_from_preload_scanner) {
      priority = LoadPriority::kMedium;  // [late] late-body scripts: Medium
    } else if (r.blocking) {
      // The table: a parser-blocking script is VeryHigh. Chrome differs: it leaves
      // parser-blocking scripts at TypeToPriority's High (net MEDIUM; the "Also parser-blocking
      // scripts" comment in TypeToPriority is stale, nothing in ComputeLoadPriority sets it).
      priority = LoadPriority::kVeryHigh;
    }
  } else if (r.type == ResourceType::kStyle && late_from_preload_scanner) {
    // [late] Blink lowers late-body stylesheets found by the preload scanner to Medium, as it
    // does scripts ("They do not block render"); a render-blocking one is raised back to High
    // below.
    priority = LoadPriority::kMedium;
  }
  // [raise] "Render-blocking is a signal that the resource is important, so we bump it to at
  // least kHigh."
  if (r.render_blocking && priority < LoadPriority::kHigh) priority = LoadPriority::kHigh;
  return priority;
}

RequestPriority NetPriority(LoadPriority priority) {
  // [net] Blink's ResourceLoadPriority -> net::RequestPriority, one level for one level.
  switch (priority) {
    case LoadPriority::kVeryHigh:
      return RequestPriority::kHighest;
    case LoadPriority::kHigh:
      return RequestPriority::kMedium;
    case LoadPriority::kMedium:
      return RequestPriority::kLow;
    case LoadPriority::kLow:
      return RequestPriority::kLowest;
    case LoadPriority::kVeryLow:
      return RequestPriority::kIdle;
  }
  return RequestPriority::kIdle;
}

Priority ChromeRequestPriority(const Resource& r, const PriorityContext& context) {
  Priority priority;
  priority.level = NetPriority(ChromeLoadPriority(r, context));
  // [incr] ShouldLoadIncremental: true for kImage and kRaw (and media, SVG documents, ...),
  // false for stylesheets, scripts and fonts, which must be complete to be used. The document
  // is the browser process's request, not Blink's; the table leaves it sequential.
  priority.incremental = r.type == ResourceType::kImage || r.type == ResourceType::kOther;
  return priority;
}

}  // namespace waterfall
