// A scenario's page as real files a real browser can load: for every resource, bytes of exactly
// its size_bytes in which each child is referenced so that a browser finds it once the parent's
// discover_at_bytes have arrived (HTML tags, CSS @import / url(), JS that inserts it). Used by
// `waterfall site` (sim/cli/site_command.h) to serve the page from Apache to Chromium, the
// reference the simulated browser is checked against (scripts/reference-load).
//
// Sans-I/O: it returns the files' contents and writes nothing.
//
// How each kind of parent references a child (a child found by the parent's bytes "ends" at
// discover_at_bytes, or as close before it as the other references allow):
//   HTML: <link rel=stylesheet> (render_blocking: in the head; otherwise media=print, which
//     Chrome loads at low priority without blocking rendering), <script src> (blocking: plain;
//     defer / async as Resource says; any other: async), <img src width height>, <link
//     rel=preconnect>, <link rel=preload as=font|fetch> for fonts and other resources, <iframe>
//     for documents. <body> starts at head_bytes (default: just before the first image's tag).
//   CSS: @import url() for styles (before every other rule, as CSS requires); a rule
//     `.wN{background-image:url()}` for images and `@font-face` + `.wN{font-family}` for fonts,
//     with an element of class wN in the document's body, so that the image or font is used
//     (Chrome fetches neither for a rule no element matches). Scripts and other children of a
//     stylesheet cannot be referenced from CSS: the document's <link> for the stylesheet (the
//     top of its @import chain) inserts them from its onload attribute, which runs when the
//     stylesheet and its imports have loaded, i.e. at the end of the parent.
//   JS: busy-waits process_ms, then inserts each child (new Image().src, a created <script> or
//     <link>, new FontFace().load(), fetch()).
// Padding is comments (or whitespace where a comment does not fit). Images are GIFs whose
// padding is a comment extension; fonts and other resources are padding only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/page/scenario.h"

namespace waterfall {

struct PageSiteOptions {
  // Write absolute references (other origins') with this scheme instead of the scenario's
  // ("https" when serving a page over TLS, so no reference is mixed content). Empty: as written.
  std::string scheme;
};

struct SiteFile {
  std::string url;           // the resource's canonical URL (Resource::url)
  OriginKey origin;          // the origin that serves it (the scenario's, before options.scheme)
  std::string path;          // its path on that origin, "/style.css"
  std::string content_type;  // "text/html; charset=utf-8", "text/css", ...
  std::string body;          // exactly Resource::size_bytes bytes unless a warning says otherwise
};

// Where a reference to a child was put in its parent's body (for tests and for the warnings).
struct SiteReference {
  std::string parent;  // Resource::url
  std::string child;   // Resource::url
  uint64_t begin = 0;  // byte offsets in the parent's body: [begin, end)
  uint64_t end = 0;
  uint64_t target_end = 0;  // discover_at_bytes, or the parent's size
};

struct PageSite {
  std::vector<SiteFile> files;  // one per fetched resource (no preconnects), scenario order
  std::vector<SiteReference> references;
  // Anything that could not be made as declared: a resource too small for its references, a
  // reference later than its discover_at, an @import after a rule. One line each.
  std::vector<std::string> warnings;

  const SiteFile* Find(const std::string& url) const;
};

PageSite BuildPageSite(const Scenario& scenario, const PageSiteOptions& options = {});

}  // namespace waterfall
