// HAR 1.2 -> scenario TOML. Each rule is written beside its code with its source; the same list
// is docs/har-import.md. HAR 1.2 spec: http://www.softwareishard.com/blog/har-12-spec/ (cited
// as "HAR 1.2"); Chrome's extensions (_initiator, _resourceType, _transferSize, _fromCache,
// _priority) are those DevTools writes (front_end/models/har/HARFormat.ts, Log.ts in
// devtools-frontend), and chrome-har's (_initiator as a string, _initiator_detail) those of
// github.com/sitespeedio/chrome-har.
#include "models/har/har_import.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/har/har_priority.h"
#include "models/page/url.h"
#include "models/scenario/scenario_schema.h"
#include "models/scenario/toml_diagnostics.h"

namespace waterfall {
namespace {

using Json = nlohmann::json;

// Our cap on an estimated process_ms (a child discovered more than 10 s after its parent ended
// was most likely discovered by something the capture does not show).
constexpr double kMaxProcessMs = 10000;
// The ranges of rtt_ms and dns_ms (kMaxRttMs), think_ms (kMaxServerMs) and size (kMaxSizeBytes)
// are the loader's own (scenario_schema.h).
// The network default rtt_ms when a capture has no timing to estimate one from
// (docs/scenario-format.md, [network] rtt_ms).
constexpr double kDefaultRttMs = 100;
// The 103's Link header must fit in nghttp2's 65536-byte header block (docs/scenario-format.md,
// "Every Link header ..."); we stop listing hints well below the loader's 65481-byte limit.
constexpr size_t kHintsLinkBudget = 60000;

// ---- Small helpers ---------------------------------------------------------------------------

double Median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Rounded to 0.1 ms: the captures' timings are microseconds, the simulator's inputs need not be.
double Tenth(double v) { return std::round(v * 10) / 10; }

std::string Number(double v) { return FormatDouble(Tenth(v), false); }

// A TOML basic string (TOML 1.0 "Basic strings": escape " and \ and control characters).
std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// A comment line's text: no line breaks (the header quotes titles and file names).
std::string CommentSafe(std::string_view s) {
  std::string out;
  for (char ch : s) out += (ch == '\n' || ch == '\r') ? ' ' : ch;
  if (out.size() > 200) out = out.substr(0, 200) + "...";
  return out;
}

const Json* Member(const Json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

double NumberOr(const Json& j, const char* key, double fallback) {
  const Json* v = Member(j, key);
  if (!v || !v->is_number()) return fallback;
  const double d = v->get<double>();
  return std::isfinite(d) ? d : fallback;
}

std::string StringOr(const Json& j, const char* key) {
  const Json* v = Member(j, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// HAR 1.2 "startedDateTime": ISO 8601, "2017-11-13T12:03:02.550Z" or with "+01:00". Returns ms
// since 1970-01-01 UTC; nullopt when it is not that form.
std::optional<double> ParseDateTime(const std::string& t) {
  int y, mo, d, h, mi;
  double s;
  int used = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &s, &used) != 6) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || !(s >= 0 && s < 61)) {
    return std::nullopt;
  }
  double offset_min = 0;
  const std::string zone = t.substr(static_cast<size_t>(used));
  if (zone == "Z" || zone.empty()) {
  } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() >= 3) {
    int zh = 0, zm = 0;
    if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) < 1 || zh > 23 || zm > 59) {
      return std::nullopt;
    }
    offset_min = (zone[0] == '+' ? 1 : -1) * (zh * 60 + zm);
  } else {
    return std::nullopt;
  }
  // Days from the civil date (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms",
  // days_from_civil).
  const int yy = y - (mo <= 2);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(yy - era * 400);
  const unsigned doy = static_cast<unsigned>((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const double days = static_cast<double>(era) * 146097 + static_cast<double>(doe) - 719468;
  return ((days * 24 + h) * 60 + mi - offset_min) * 60000 + s * 1000;
}

// 64-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/), to keep shortened URLs unique.
uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// A request URL as the loader takes it: bytes it refuses (space, control characters) and
// non-ASCII bytes percent-encoded (RFC 3986 section 2.1), then parsed and written back in the
// loader's canonical form (lower-case scheme and host, no default port, no fragment). nullopt
// for anything but http(s)://host/....
std::optional<Url> NormalizeUrl(const std::string& raw) {
  std::string text;
  for (char ch : raw) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      text += buf;
    } else {
      text += ch;
    }
  }
  std::optional<Url> url = Url::Parse(text);
  if (!url || url->origin.host.empty()) return std::nullopt;
  if (url->origin.scheme != "http" && url->origin.scheme != "https") return std::nullopt;
  return url;
}

// ---- The page's entries ----------------------------------------------------------------------

struct Entry {
  const Json* json = nullptr;
  size_t file_index = 0;
  double start_ms = 0;  // startedDateTime, ms since the epoch
};

// What one imported entry becomes.
struct Imported {
  Url url;
  std::string key;  // Url::ToString(), the duplicate check and the parent lookup
  std::string type;
  double size = 0;
  double start_ms = 0;
  double receive_start_ms = 0;  // start + blocked + dns + connect + send + wait
  double receive_end_ms = 0;    // receive_start + receive
  double wait_ms = -1;
  bool cached = false;
  bool render_blocking = false;
  std::optional<LoadPriority> priority;  // _priority, Chrome's
  std::optional<size_t> parent;
  std::optional<double> discover_at;
  double process_ms = 0;
  size_t origin = 0;
};

struct OriginInfo {
  OriginKey key;
  std::vector<double> rtt_samples;
  std::vector<double> dns_samples;
  bool h2 = false;
  bool h3 = false;
  double rtt_ms = 0;
  double dns_ms = 0;
  bool rtt_estimated = false;  // from the page's median
};

// HAR 1.2 "timings": -1 (or absent) means "does not apply"; we count it as 0.
double Timing(const Json& timings, const char* key) {
  const double v = NumberOr(timings, key, -1);
  return v > 0 ? v : 0;
}

// The initiator's URL: DevTools' object form {type, url, stack} gives url, or for a script the
// top stack frame's url (the first frame with a url, recursing into stack.parent when a stack
// has none: async stacks); chrome-har's string form is the url itself; chrome-har's
// _initiator_detail is the object form as a JSON string. "" when none names a URL.
std::string StackUrl(const Json& stack, int depth) {
  if (depth > 64 || !stack.is_object()) return "";
  if (const Json* frames = Member(stack, "callFrames"); frames && frames->is_array()) {
    for (const Json& frame : *frames) {
      std::string url = StringOr(frame, "url");
      if (!url.empty()) return url;
    }
  }
  if (const Json* parent = Member(stack, "parent")) return StackUrl(*parent, depth + 1);
  return "";
}

std::string InitiatorObjectUrl(const Json& initiator) {
  std::string url = StringOr(initiator, "url");
  if (!url.empty()) return url;
  if (const Json* stack = Member(initiator, "stack")) return StackUrl(*stack, 0);
  return "";
}

std::string InitiatorUrl(const Json& entry) {
  if (const Json* init = Member(entry, "_initiator")) {
    if (init->is_object()) {
      std::string url = InitiatorObjectUrl(*init);
      if (!url.empty()) return url;
    } else if (init->is_string() && !init->get<std::string>().empty()) {
      return init->get<std::string>();
    }
  }
  const std::string detail = StringOr(entry, "_initiator_detail");
  if (!detail.empty()) {
    Json parsed = Json::parse(detail, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) return InitiatorObjectUrl(parsed);
  }
  return "";
}

// The resource type: DevTools' _resourceType, else the MIME type, else the path's extension.
// Only the page's first entry is the "document" (a page has exactly one); other HTML (iframes,
// redirect targets) is "other".
std::string TypeFromResourceType(const std::string& t) {
  if (t == "document") return "other";
  if (t == "stylesheet") return "style";
  if (t == "script" || t == "image" || t == "font") return t;
  return t.empty() ? "" : "other";
}

std::string TypeFromMime(std::string mime) {
  mime = Lower(mime.substr(0, mime.find(';')));
  if (mime.empty()) return "";
  if (mime == "text/css") return "style";
  if (mime.find("javascript") != std::string::npos ||
      mime.find("ecmascript") != std::string::npos) {
    return "script";
  }
  if (mime.rfind("image/", 0) == 0) return "image";
  if (mime.rfind("font/", 0) == 0 || mime.find("font-") != std::string::npos ||
      mime.find("woff") != std::string::npos) {
    return "font";
  }
  return "other";
}

std::string TypeFromExtension(const std::string& path) {
  std::string p = Lower(path.substr(0, path.find_first_of("?#")));
  const size_t dot = p.rfind('.');
  if (dot == std::string::npos || p.find('/', dot) != std::string::npos) return "other";
  const std::string ext = p.substr(dot + 1);
  if (ext == "css") return "style";
  if (ext == "js" || ext == "mjs") return "script";
  for (const char* e : {"png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "avif", "bmp"}) {
    if (ext == e) return "image";
  }
  for (const char* e : {"woff", "woff2", "ttf", "otf", "eot"}) {
    if (ext == e) return "font";
  }
  return "other";
}

// The HTTP version's protocols: "h2", "http/2.0", "HTTP/2", "spdy" (Chrome 70's label for
// HTTP/2) are HTTP/2; "h3", "http/3" too until the simulator has HTTP/3 (the header says so).
void NoteVersion(OriginInfo& origin, const std::string& version) {
  const std::string v = Lower(version);
  if (v == "h2" || v == "http/2.0" || v == "http/2" || v.rfind("spdy", 0) == 0) origin.h2 = true;
  if (v == "h3" || v.rfind("h3-", 0) == 0 || v == "http/3" || v == "http/3.0") origin.h3 = true;
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string ScenarioName(const std::string& source) {
  std::string stem = source.substr(source.find_last_of('/') + 1);
  if (stem.size() > 4 && Lower(stem.substr(stem.size() - 4)) == ".har") {
    stem.resize(stem.size() - 4);
  }
  std::string name;
  for (char c : stem) {
    name +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '-';
  }
  if (name.size() > 200) name.resize(200);
  if (name.empty() || name == "." || name == "..") name = "imported";
  return name;
}

}  // namespace

HarImportResult ImportHar(std::string_view har_json, const HarImportOptions& options) {
  const std::string& src = options.source_name;
  // Parse, dropping what the importer never reads (response bodies, cookies, query strings,
  // POST data, and every header but Location: a header is an object {name, value}): the tree
  // then holds little more than the timings, so memory stays a small multiple of the file (the
  // input text itself is a large part).
  Json root;
  try {
    root = Json::parse(har_json.begin(), har_json.end(),
                       [](int /*depth*/, Json::parse_event_t event, Json& parsed) {
                         if (event == Json::parse_event_t::object_end) {
                           const Json* name = Member(parsed, "name");
                           if (!name || !name->is_string() || !Member(parsed, "value")) return true;
                           return Lower(name->get<std::string>()) == "location";
                         }
                         if (event != Json::parse_event_t::key || !parsed.is_string()) return true;
                         const std::string& k = parsed.get_ref<const std::string&>();
                         return !(k == "text" || k == "cookies" || k == "queryString" ||
                                  k == "postData" || k == "_webSocketMessages");
                       });
  } catch (const Json::exception& e) {
    throw HarError(src + ": not valid JSON: " + e.what());
  }
  const Json* log = Member(root, "log");
  if (!log || !log->is_object()) throw HarError(src + ": not a HAR: no \"log\" object");
  const Json* entries = Member(*log, "entries");
  if (!entries || !entries->is_array()) {
    throw HarError(src + ": not a HAR: no \"log.entries\" array");
  }

  // Pages (HAR 1.2 "pages" is optional): --page N is 1-based, the first by default. Entries
  // belong to a page by pageref; entries without pageref belong to the first page.
  const Json* pages = Member(*log, "pages");
  const size_t page_count = pages && pages->is_array() ? pages->size() : 0;
  const Json* page = nullptr;
  std::string page_id;
  if (page_count == 0) {
    if (options.page != 1) {
      throw HarError(src + ": --page " + std::to_string(options.page) +
                     ": the HAR has no \"log.pages\"; only --page 1 (all entries) exists");
    }
  } else {
    if (options.page < 1 || options.page > page_count) {
      throw HarError(src + ": --page " + std::to_string(options.page) +
                     " is out of range: the HAR has " + Plural(page_count, "page", "pages") +
                     " (--page 1 to " + std::to_string(page_count) + ")");
    }
    page = &(*pages)[options.page - 1];
    page_id = StringOr(*page, "id");
  }
  HarImportResult result;
  HarImportReport& report = result.report;
  std::optional<double> page_start;
  if (page) {
    report.page_title = StringOr(*page, "title");
    page_start = ParseDateTime(StringOr(*page, "startedDateTime"));
    if (const Json* timings = Member(*page, "pageTimings")) {
      report.captured_onload_ms = NumberOr(*timings, "onLoad", -1);
    }
  }
  const std::string first_page_id = page_count ? StringOr((*pages)[0], "id") : "";
  auto skip = [&](const std::string& reason) { ++report.skipped[reason]; };

  // The page's entries, ordered by startedDateTime (HAR 1.2 asks for that order; we sort, stably,
  // in case a writer did not).
  std::vector<Entry> page_entries;
  for (size_t i = 0; i < entries->size(); ++i) {
    const Json& e = (*entries)[i];
    if (!e.is_object()) {
      skip("not an object");
      continue;
    }
    if (page) {
      const Json* ref = Member(e, "pageref");
      const std::string ref_id = ref && ref->is_string() ? ref->get<std::string>() : first_page_id;
      if (ref_id != page_id) continue;  // another page's
    }
    ++report.entries_in_page;
    std::optional<double> start = ParseDateTime(StringOr(e, "startedDateTime"));
    if (!start) {
      skip("no readable startedDateTime");
      continue;
    }
    page_entries.push_back({&e, i, *start});
  }
  std::stable_sort(page_entries.begin(), page_entries.end(),
                   [](const Entry& a, const Entry& b) { return a.start_ms < b.start_ms; });

  // pageTimings.onLoad counts from the page's startedDateTime (HAR 1.2 "pageTimings"); without
  // one, from the first entry.
  const double origin_ms =
      page_start ? *page_start : (page_entries.empty() ? 0 : page_entries.front().start_ms);
  const bool drop_after_onload = !options.until_all && report.captured_onload_ms >= 0;

  std::vector<Imported> resources;
  std::vector<OriginInfo> origins;
  std::unordered_map<std::string, size_t> by_key;       // Url::ToString() -> resource index
  std::unordered_map<std::string, size_t> redirect_to;  // target key -> the 3xx's index
  std::vector<std::string> initiators;                  // per resource: the initiator URL
  std::vector<std::pair<double, double>> timing_pairs;  // per resource: (connect - ssl, dns)

  for (const Entry& entry : page_entries) {
    const Json& e = *entry.json;
    const Json* request = Member(e, "request");
    const Json* response = Member(e, "response");
    const std::string raw_url = request ? StringOr(*request, "url") : "";
    const std::string scheme = Lower(raw_url.substr(0, raw_url.find(':')));
    // data:, blob:, chrome-extension: URLs never reach the network: skipped and counted.
    if (scheme == "data" || scheme == "blob" || scheme == "chrome-extension") {
      skip(scheme + ": URL");
      continue;
    }
    // No response, or status 0 (Chrome's failed or cancelled request): skipped and counted.
    const double status = response ? NumberOr(*response, "status", 0) : 0;
    if (!response || !response->is_object() || status <= 0) {
      skip("no response or status 0");
      continue;
    }
    // Entries that start after the page's onLoad are dropped unless --until all.
    if (drop_after_onload && entry.start_ms - origin_ms > report.captured_onload_ms) {
      skip("started after onLoad");
      continue;
    }
    std::optional<Url> url = NormalizeUrl(raw_url);
    if (!url) {
      skip("not an http(s)://host URL");
      continue;
    }
    // An https host that is not letters, digits, hyphens and dots (e.g. an underscore, which
    // DNS allows) cannot be named by the simulated server's certificate, so its TLS handshake
    // fails (RFC 5280 section 4.2.1.6 takes a SAN dNSName in the "preferred name syntax" of
    // RFC 1034 section 3.5): skipped and counted; its children attach to the page's HTML.
    if (url->origin.scheme == "https" &&
        url->origin.host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") !=
            std::string::npos) {
      skip("https host outside letters, digits, hyphens (no certificate names it)");
      continue;
    }
    std::string key = url->ToString();
    // The loader takes URLs of at most 2048 bytes; a longer one keeps its first bytes and a hash
    // of the whole, so it stays unique.
    if (key.size() > kMaxUrlBytes) {
      char hash[24];
      std::snprintf(hash, sizeof hash, "~%016llx", static_cast<unsigned long long>(Fnv1a(key)));
      const size_t keep = kMaxUrlBytes - 17 - url->origin.ToString().size();
      url->path = url->path.substr(0, keep) + hash;
      key = url->ToString();
      ++report.shortened_urls;
    }
    // Duplicate URLs: the first wins, the rest are counted.
    if (by_key.count(key)) {
      skip("duplicate URL");
      continue;
    }
    Imported r;
    r.url = *url;
    r.key = key;
    r.start_ms = entry.start_ms;
    const Json empty = Json::object();
    const Json* timings_ptr = Member(e, "timings");
    const Json& timings = timings_ptr && timings_ptr->is_object() ? *timings_ptr : empty;
    const double before_receive = Timing(timings, "blocked") + Timing(timings, "dns") +
                                  Timing(timings, "connect") + Timing(timings, "send") +
                                  Timing(timings, "wait");
    r.receive_start_ms = entry.start_ms + before_receive;
    r.receive_end_ms = r.receive_start_ms + Timing(timings, "receive");
    r.wait_ms = NumberOr(timings, "wait", -1);
    const double connect = NumberOr(timings, "connect", -1);
    const double ssl = NumberOr(timings, "ssl", -1);
    // rtt sample: connect - ssl, where connect > 0 (HAR 1.2 "timings": ssl is included in
    // connect; -1 means it does not apply).
    timing_pairs.push_back(
        {connect > 0 ? connect - (ssl > 0 ? ssl : 0) : -1, NumberOr(timings, "dns", -1)});

    // client.cache from _fromCache (DevTools: "memory" or "disk") or a 304.
    const Json* from_cache = Member(e, "_fromCache");
    r.cached =
        status == 304 ||
        (from_cache && ((from_cache->is_string() && !from_cache->get<std::string>().empty()) ||
                        (from_cache->is_boolean() && from_cache->get<bool>())));

    // priority: Chrome's _priority ("VeryHigh" ... "VeryLow"; DevTools writes it for every
    // request), kept as the resource's `priority` so that the run asks for what Chrome asked;
    // any other value is left out (the browser model's own choice).
    r.priority = ParseHarPriority(StringOr(e, "_priority"));

    // size: _transferSize if >= 0, else response.bodySize if >= 0, else content.size, else 0.
    const double transfer = NumberOr(*response, "_transferSize", -1);
    const double body = NumberOr(*response, "bodySize", -1);
    const Json* content = Member(*response, "content");
    const double content_size = content ? NumberOr(*content, "size", -1) : -1;
    const char* size_source = "none (0)";
    if (transfer >= 0) {
      r.size = transfer, size_source = "_transferSize";
    } else if (body >= 0) {
      r.size = body, size_source = "response.bodySize";
    } else if (content_size >= 0) {
      r.size = content_size, size_source = "response.content.size";
    }
    r.size = std::min(std::floor(r.size), static_cast<double>(kMaxSizeBytes));
    ++report.size_sources[size_source];

    // type: _resourceType, else the MIME type, else the extension.
    r.type = TypeFromResourceType(StringOr(e, "_resourceType"));
    if (r.type.empty() && content) r.type = TypeFromMime(StringOr(*content, "mimeType"));
    if (r.type.empty()) r.type = TypeFromExtension(r.url.path);
    if (resources.empty()) r.type = "document";  // the page's first entry is the document

    // Origins in first-seen order (the document's first: it is the first entry).
    size_t o = 0;
    while (o < origins.size() && origins[o].key != r.url.origin) ++o;
    if (o == origins.size()) origins.push_back({r.url.origin, {}, {}, false, false, 0, 0, false});
    r.origin = o;
    NoteVersion(origins[o], StringOr(*response, "httpVersion"));

    // Redirects: a 3xx with redirectURL (HAR 1.2) or a Location header is the parent of its
    // target.
    if (status >= 300 && status < 400) {
      std::string location = StringOr(*response, "redirectURL");
      if (location.empty()) {
        if (const Json* headers = Member(*response, "headers"); headers && headers->is_array()) {
          for (const Json& h : *headers) {
            if (Lower(StringOr(h, "name")) == "location") location = StringOr(h, "value");
          }
        }
      }
      if (!location.empty()) {
        std::optional<Url> target = Url::Resolve(r.url, location);
        if (target) {
          std::optional<Url> normalized = NormalizeUrl(target->ToString());
          if (normalized) redirect_to.emplace(normalized->ToString(), resources.size());
        }
      }
    }
    initiators.push_back(InitiatorUrl(e));
    by_key.emplace(key, resources.size());
    resources.push_back(std::move(r));
  }
  if (resources.empty()) {
    std::string why;
    for (const auto& [reason, n] : report.skipped) {
      why += (why.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
    }
    throw HarError(src + ": page " + std::to_string(options.page) +
                   (page_id.empty() ? "" : " (\"" + page_id + "\")") + " has no entry to import (" +
                   (report.entries_in_page == 0 ? std::string("no entries") : why) + ")");
  }

  // RTT per origin: the median of its samples; the page's median for an origin without one.
  // A page without any sample: the median of timings.wait (a round trip plus the server's time,
  // so an over-estimate), else the network default.
  std::vector<double> page_rtts, page_waits;
  for (size_t i = 0; i < resources.size(); ++i) {
    OriginInfo& o = origins[resources[i].origin];
    if (timing_pairs[i].first > 0) {
      o.rtt_samples.push_back(timing_pairs[i].first);
      page_rtts.push_back(timing_pairs[i].first);
    }
    if (timing_pairs[i].second > 0) o.dns_samples.push_back(timing_pairs[i].second);
    if (!resources[i].cached && resources[i].wait_ms > 0)
      page_waits.push_back(resources[i].wait_ms);
  }
  std::string page_rtt_how;
  double page_rtt = Median(page_rtts);
  if (page_rtt > 0) {
    page_rtt_how = "the median connect - ssl of " + Plural(page_rtts.size(), "sample", "samples");
  } else if (!page_waits.empty()) {
    page_rtt = Median(page_waits);
    page_rtt_how = "no connect timings in the capture: the median timings.wait of " +
                   Plural(page_waits.size(), "entry", "entries");
  } else {
    page_rtt = kDefaultRttMs;
    page_rtt_how = "no timings in the capture: the default";
  }
  page_rtt = std::min(Tenth(page_rtt), kMaxRttMs);
  bool any_dns = false, any_https = false, any_h3 = false;
  for (OriginInfo& o : origins) {
    o.rtt_estimated = o.rtt_samples.empty();
    o.rtt_ms = o.rtt_estimated ? page_rtt : std::min(Tenth(Median(o.rtt_samples)), kMaxRttMs);
    // dns_ms: the median timings.dns > 0 of the origin's entries, 0 if none.
    o.dns_ms = o.dns_samples.empty() ? 0 : std::min(Tenth(Median(o.dns_samples)), kMaxRttMs);
    any_dns = any_dns || o.dns_ms > 0;
    any_https = any_https || o.key.scheme == "https";
    any_h3 = any_h3 || o.h3;
  }

  // Parents: a redirect's target is the 3xx's child; else the initiator's URL when it is an
  // earlier imported resource; else the page's HTML (counted): the end of the navigation's
  // redirect chain so far (the document itself when it did not redirect), so that beacons and
  // other orphans are discovered when the page's HTML is, not at the end of its first 301.
  size_t page_html = 0;
  for (size_t i = 1; i < resources.size(); ++i) {
    Imported& r = resources[i];
    auto redirect = redirect_to.find(r.key);
    if (redirect != redirect_to.end() && redirect->second < i) {
      r.parent = redirect->second;
      ++report.redirect_children;
      // The navigation's redirect chain ends in the page's HTML: render blocking.
      if (redirect->second == page_html) {
        page_html = i;
        r.render_blocking = true;
      }
      continue;
    }
    const std::string& init = initiators[i];
    if (init.empty()) {
      ++report.without_initiator;
      r.parent = page_html;
      continue;
    }
    std::optional<Url> parent_url = NormalizeUrl(init);
    auto found = parent_url ? by_key.find(parent_url->ToString()) : by_key.end();
    if (found == by_key.end() || found->second >= i) {
      ++report.orphans;
      r.parent = page_html;
    } else {
      r.parent = found->second;
    }
  }

  // discover_at and process_ms from the child's start against its parent's bytes arriving:
  // - started before the parent's last byte: discover_at = the fraction of the parent's
  //   receive time elapsed at the child's start (0 before the first byte) x the parent's size;
  // - started after: discover_at absent (the whole parent), and the parent's process_ms is the
  //   smallest such gap (child start - parent end) over its children, capped at 10 s, but only
  //   when all its children started after its end (process_ms delays every child's discovery,
  //   docs/scenario-format.md, so a parent that streams children out keeps 0).
  std::vector<double> min_gap(resources.size(), -1);
  std::vector<bool> streams(resources.size(), false);
  for (size_t i = 1; i < resources.size(); ++i) {
    Imported& r = resources[i];
    const Imported& p = resources[*r.parent];
    if (r.start_ms < p.receive_end_ms) {
      const double span = p.receive_end_ms - p.receive_start_ms;
      double fraction = span > 0 ? (r.start_ms - p.receive_start_ms) / span : 0;
      fraction = std::clamp(fraction, 0.0, 1.0);
      r.discover_at = std::floor(fraction * p.size);
      streams[*r.parent] = true;
    } else {
      const double gap = r.start_ms - p.receive_end_ms;
      double& g = min_gap[*r.parent];
      g = g < 0 ? gap : std::min(g, gap);
    }
  }
  for (size_t i = 0; i < resources.size(); ++i) {
    if (!streams[i] && min_gap[i] > 0)
      resources[i].process_ms = std::min(min_gap[i], kMaxProcessMs);
  }

  // ---- The TOML text ----
  report.imported = resources.size();
  report.origins = origins.size();
  for (const Imported& r : resources) report.cached += r.cached ? 1 : 0;
  size_t skipped_total = 0;
  for (const auto& [reason, n] : report.skipped) skipped_total += n;

  std::string out;
  auto line = [&out](const std::string& s) { out += s + "\n"; };
  line("# Imported from a HAR capture by `waterfall import` (docs/har-import.md).");
  line("# source: " + CommentSafe(src));
  line("# page: " + std::to_string(options.page) + " of " +
       std::to_string(std::max<size_t>(page_count, 1)) +
       (page_id.empty() ? "" : ", id " + CommentSafe(page_id)) +
       (report.page_title.empty() ? "" : ", title " + CommentSafe(report.page_title)));
  {
    std::string tool = "unknown";
    if (const Json* creator = Member(*log, "creator")) {
      tool = StringOr(*creator, "name") + " " + StringOr(*creator, "version");
    }
    if (const Json* browser = Member(*log, "browser")) {
      tool += ", browser " + StringOr(*browser, "name") + " " + StringOr(*browser, "version");
    }
    line("# capture tool: " + CommentSafe(tool));
  }
  line("# captured onLoad: " +
       (report.captured_onload_ms >= 0 ? Number(report.captured_onload_ms) + " ms" : "none") +
       (options.until_all ? " (--until all: entries after it kept)" : ""));
  line("# entries: " + std::to_string(report.entries_in_page) + " in the page, " +
       std::to_string(report.imported) + " imported, " + std::to_string(skipped_total) +
       " skipped");
  for (const auto& [reason, n] : report.skipped)
    line("#   skipped, " + reason + ": " + std::to_string(n));
  line("# sizes from: " + [&] {
    std::string s;
    for (const auto& [source, n] : report.size_sources) {
      s += (s.empty() ? "" : ", ") + source + " " + std::to_string(n);
    }
    return s;
  }());
  line("# parents: " + std::to_string(report.redirect_children) + " redirect targets, " +
       std::to_string(report.orphans) + " orphans (initiator not an earlier imported entry) and " +
       std::to_string(report.without_initiator) +
       " without an initiator URL attached to the page's HTML (the document, or the end of its "
       "redirect chain)");
  if (report.shortened_urls) {
    line("# " + std::to_string(report.shortened_urls) +
         " URLs over 2048 bytes cut, with ~HASH of the whole appended");
  }
  line("# network.rtt_ms (origins without a connect sample): " + Number(page_rtt) + " ms, " +
       page_rtt_how);
  line(
      "# estimated (docs/har-import.md): each origin's rtt_ms (median connect - ssl) and dns_ms "
      "(median timings.dns), think_ms (timings.wait - rtt_ms), discover_at and process_ms (the "
      "child's start against its parent's bytes arriving)");
  line("# not in the capture, so defaults: bandwidth, loss, TCP, TLS versions and certificates");
  if (any_h3) line("# h3 origins are written as h2: HTTP/3 is not simulated yet");
  line("name = " + TomlString(ScenarioName(src)));
  line("");
  line("[network]");
  line("rtt_ms = " + Number(page_rtt));
  line("");
  // The document's server time: its wait minus its origin's round trip.
  const Imported& doc = resources[0];
  line("[server]");
  line("think_ms = " +
       Number(std::min(std::max(0.0, doc.wait_ms - origins[0].rtt_ms), kMaxServerMs)) +
       "  # the document's timings.wait - its origin's rtt_ms");
  // The default hint set (every child of the document) must fit the 103's Link header.
  {
    std::vector<std::string> children;
    size_t link_bytes = 0;
    bool over = false;
    for (size_t i = 1; i < resources.size(); ++i) {
      if (resources[i].parent != 0u) continue;
      // "<URL>; rel=preload; as=TYPE, ": the absolute URL and the longest "as" as a bound.
      link_bytes += resources[i].key.size() + 30;
      if (link_bytes > kHintsLinkBudget) {
        over = true;
        break;
      }
      children.push_back(resources[i].key);
    }
    if (over) {
      line("# the document's children would not fit one 103's Link header: hint the first " +
           std::to_string(children.size()));
      line("hints = [");
      for (const std::string& k : children) {
        const std::string written =
            by_key.count(k) && resources[by_key[k]].origin == 0 ? resources[by_key[k]].url.path : k;
        line("  " + TomlString(written) + ",");
      }
      line("]");
    }
  }
  line("");
  if (any_dns) {
    // HAR's timings.dns is the whole lookup as the browser saw it, so the resolver's own round
    // trip is 0 and each origin's dns_ms carries it all. A host with two origins (http and
    // https, or two ports) is looked up once; each origin's connections go to its own node.
    line("[dns]");
    line("resolver_rtt_ms = 0  # timings.dns is the whole lookup: it is in each origin's dns_ms");
    line("");
  }
  auto written_url = [&](const Imported& r) { return r.origin == 0 ? r.url.path : r.key; };
  if (report.cached) {
    line("[client]");
    line("cache = [  # _fromCache or 304 in the capture");
    for (const Imported& r : resources) {
      if (r.cached) line("  " + TomlString(written_url(r)) + ",");
    }
    line("]");
    line("");
  }
  for (const OriginInfo& o : origins) {
    line("[[origin]]");
    line("url = " + TomlString(o.key.ToString()));
    line("rtt_ms = " + Number(o.rtt_ms) +
         (o.rtt_estimated ? "  # no connect sample: the page's"
                          : "  # median of " + Plural(o.rtt_samples.size(), "sample", "samples")));
    if (o.dns_ms > 0) line("dns_ms = " + Number(o.dns_ms));
    line(std::string("protocols = ") +
         (o.h2 || o.h3 ? "[\"h2\", \"http/1.1\"]" : "[\"http/1.1\"]") +
         (o.h3 ? "  # h3 in the capture; HTTP/3 is not simulated yet" : ""));
    line("");
  }
  for (size_t i = 0; i < resources.size(); ++i) {
    const Imported& r = resources[i];
    line("[[resource]]");
    line("url = " + TomlString(written_url(r)));
    line("type = " + TomlString(r.type));
    line("size = " + FormatDouble(r.size, false));
    if (r.parent) line("parent = " + TomlString(written_url(resources[*r.parent])));
    if (r.discover_at) line("discover_at = " + FormatDouble(*r.discover_at, false));
    if (r.process_ms > 0) line("process_ms = " + Number(r.process_ms));
    if (i > 0 && !r.cached && r.wait_ms > 0) {
      const double think =
          std::min(std::max(0.0, r.wait_ms - origins[r.origin].rtt_ms), kMaxServerMs);
      if (Tenth(think) > 0) line("think_ms = " + Number(think));
    }
    if (r.render_blocking) line("render_blocking = true");
    if (r.priority) line("priority = " + TomlString(ToString(*r.priority)));
    line("");
  }
  result.toml = std::move(out);
  return result;
}

}  // namespace waterfall
