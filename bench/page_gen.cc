#include "bench/page_gen.h"

#include <cstdio>
#include <sstream>

namespace waterfall::bench {

namespace {
// Each resource's place in the repeating mix of 20: its type and who references it.
enum class Parent { kDocumentHead, kDocumentBody, kDocumentEnd, kStyle, kScript, kScriptScript };
struct Slot {
  ResourceType type;
  Parent parent;
};
constexpr Slot kMix[20] = {
    {ResourceType::kStyle, Parent::kDocumentHead},   // <link rel=stylesheet> in <head>
    {ResourceType::kScript, Parent::kDocumentHead},  // <script> in <head>
    {ResourceType::kImage, Parent::kDocumentBody},   // <img>
    {ResourceType::kImage, Parent::kDocumentBody},   //
    {ResourceType::kFont, Parent::kStyle},           // @font-face
    {ResourceType::kImage, Parent::kStyle},          // background-image
    {ResourceType::kScript, Parent::kDocumentEnd},   // <script> before </body>
    {ResourceType::kOther, Parent::kScript},         // fetch() from a script
    {ResourceType::kImage, Parent::kDocumentBody},   //
    {ResourceType::kScript, Parent::kScript},        // a script that loads a script
    {ResourceType::kStyle, Parent::kDocumentBody},   // a stylesheet in <body>
    {ResourceType::kImage, Parent::kDocumentBody},   //
    {ResourceType::kOther, Parent::kScriptScript},   // fetch() from a script's script
    {ResourceType::kImage, Parent::kDocumentBody},   //
    {ResourceType::kFont, Parent::kStyle},           //
    {ResourceType::kImage, Parent::kDocumentBody},   //
    {ResourceType::kImage, Parent::kDocumentBody},   //
    {ResourceType::kOther, Parent::kScript},         //
    {ResourceType::kImage, Parent::kDocumentBody},   //
    {ResourceType::kImage, Parent::kDocumentBody},   //
};

// 12 000 .. 28 000 bytes, mean 20 000: a splitmix64 step of the index, so no RNG state.
uint64_t SizeOf(size_t index) {
  uint64_t z = (index + 1) * 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return 12000 + z % 16001;
}

std::string Url(ResourceType type, size_t index) {
  const char* pattern = "/other/o%05zu.json";
  switch (type) {
    case ResourceType::kStyle:
      pattern = "/css/s%05zu.css";
      break;
    case ResourceType::kScript:
      pattern = "/js/j%05zu.js";
      break;
    case ResourceType::kImage:
      pattern = "/img/i%05zu.png";
      break;
    case ResourceType::kFont:
      pattern = "/font/f%05zu.woff2";
      break;
    default:
      break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, pattern, index);
  return buf;
}

std::string OriginUrl(size_t k) {
  if (k == 0) return "http://www.bench.test";
  char buf[40];
  std::snprintf(buf, sizeof buf, "http://o%02zu.bench.test", k);
  return buf;
}

// GeneratePage's page; with origins, resource i on s.origins[i % size] (else all on the one
// default origin, and s.origins left empty as the loader's one-origin pages have it).
Scenario Generate(size_t resources, size_t origins) {
  Scenario s;
  s.name = "bench-" + std::to_string(resources);
  if (origins > 0) s.name += "x" + std::to_string(origins);
  s.source_path = s.name + " (generated)";
  s.network.rtt_ms = kBenchRttMs;
  s.network.bandwidth_mbps = kBenchBandwidthMbps;
  for (size_t k = 0; k < origins; ++k) {
    Origin o;
    o.key = *OriginKey::Parse(OriginUrl(k));
    o.rtt_ms = k == 0 ? kBenchRttMs : OriginRttMs(k);
    s.origins.push_back(o);
  }
  s.resources.reserve(resources);

  Resource document;
  document.url = "/index.html";
  document.type = ResourceType::kDocument;
  document.size_bytes = SizeOf(0);
  s.resources.push_back(document);
  const uint64_t html_bytes = document.size_bytes;
  // Indices of the latest resource of each kind, to hang children on.
  size_t last_style = 0, last_doc_script = 0, last_script_script = 0;
  for (size_t i = 1; i < resources; ++i) {
    const Slot& slot = kMix[(i - 1) % 20];
    Resource r;
    r.type = slot.type;
    r.url = Url(slot.type, i);
    if (origins > 0 && i % origins != 0) r.url = OriginUrl(i % origins) + r.url;
    r.size_bytes = SizeOf(i);
    switch (slot.parent) {
      case Parent::kDocumentHead:  // the first 2 KB of the HTML
        r.parent = document.url;
        r.discover_at_bytes = 2000 * i / resources;
        r.render_blocking = true;
        break;
      case Parent::kDocumentBody:  // spread over the HTML in order
        r.parent = document.url;
        r.discover_at_bytes = 2000 + (html_bytes - 2000) * i / resources;
        r.render_blocking = false;
        break;
      case Parent::kDocumentEnd:  // the whole HTML (the default)
        r.parent = document.url;
        break;
      case Parent::kStyle:
        r.parent = s.resources[last_style].url;
        break;
      case Parent::kScript:
        r.parent = s.resources[last_doc_script].url;
        break;
      case Parent::kScriptScript:
        r.parent = s.resources[last_script_script].url;
        break;
    }
    // Scripts run for a millisecond before what they fetch is known.
    if (r.type == ResourceType::kScript) r.process_ms = 1;
    if (r.type == ResourceType::kStyle) last_style = i;
    if (r.type == ResourceType::kScript && slot.parent == Parent::kScript) {
      last_script_script = i;
    } else if (r.type == ResourceType::kScript) {
      last_doc_script = i;
    }
    s.resources.push_back(r);
  }
  return s;
}
}  // namespace

double OriginRttMs(size_t k) { return 10 + 20 * static_cast<double>((k - 1) % 8); }

Scenario GeneratePage(size_t resources) { return Generate(resources, 0); }

Scenario GenerateHttpsPage(size_t resources) {
  Scenario s = Generate(resources, 0);
  s.name += "-https";
  s.source_path = s.name + " (generated)";
  Origin o;
  o.key = {"https", ScenarioOrigin().host, 443};
  o.rtt_ms = kBenchRttMs;
  s.origins = {o};
  return s;
}

Scenario GenerateMultiOriginPage(size_t resources, size_t origins) {
  return Generate(resources, origins < 1 ? 1 : origins);
}

uint64_t PageBodyBytes(const Scenario& page) {
  uint64_t total = 0;
  for (const Resource& r : page.resources) total += r.size_bytes;
  return total;
}

std::string PageToToml(const Scenario& page) {
  std::ostringstream t;
  const bool https = page.origins.size() == 1 && page.origins.front().UsesTls();
  t << "# Generated by `build/bench/waterfall_bench --write_page=" << page.resources.size()
    << (https ? " --tls" : "")
    << "` (bench/page_gen.cc): the\n# benchmarks' synthetic page, about 20 KB per resource, at "
       "50 ms RTT and 20 Mbit/s.\n";
  t << "name = \"" << page.name << "\"\n";
  // GenerateHttpsPage's one origin: the implicit one, made https.
  if (https) t << "scheme = \"https\"\n";
  t << "\n[network]\nrtt_ms = " << page.network.rtt_ms
    << "\nbandwidth_mbps = " << page.network.bandwidth_mbps << "\n";
  // A multi-origin page (GenerateMultiOriginPage) declares its origins.
  if (page.origins.size() > 1) {
    for (const Origin& o : page.origins) {
      t << "\n[[origin]]\nurl = \"" << o.key.ToString() << "\"\nrtt_ms = " << o.rtt_ms << "\n";
      if (o.dns_ms > 0) t << "dns_ms = " << o.dns_ms << "\n";
    }
  }
  for (const Resource& r : page.resources) {
    t << "\n[[resource]]\nurl = \"" << r.url << "\"\ntype = \"" << ToString(r.type)
      << "\"\nsize = " << r.size_bytes << "\n";
    if (!r.parent.empty()) t << "parent = \"" << r.parent << "\"\n";
    if (r.discover_at_bytes) t << "discover_at = " << *r.discover_at_bytes << "\n";
    if (r.process_ms > 0) t << "process_ms = " << r.process_ms << "\n";
    if (r.render_blocking) t << "render_blocking = true\n";
  }
  return t.str();
}

}  // namespace waterfall::bench
