// BuildPageSite: lays out each resource's references at their discover_at offsets and pads the
// rest (page_site.h has the rules).
#include "models/page/page_site.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace waterfall {
namespace {

// One reference (or the <body> tag) to place in a parent: it should end at target_end.
struct Item {
  std::string text;
  uint64_t target_end = 0;
  double order = 0;   // ties at one target_end: ascending
  std::string child;  // empty for <body>
};

std::string Filler(size_t n) {
  std::string s(n, 'x');
  for (size_t i = 79; i < n; i += 80) s[i] = '\n';
  return s;
}

// Padding of exactly n bytes for a parent of this type: a comment when one fits, else spaces.
std::string Padding(ResourceType type, size_t n) {
  if (type == ResourceType::kDocument) {
    if (n >= 7) return "<!--" + Filler(n - 7) + "-->";  // "<!--" + "-->"
  } else if (type == ResourceType::kStyle || type == ResourceType::kScript) {
    if (n >= 4) return "/*" + Filler(n - 4) + "*/";
  } else {
    return std::string(n, '\0');
  }
  return std::string(n, ' ');
}

std::string ContentType(ResourceType type) {
  switch (type) {
    case ResourceType::kDocument:
      return "text/html; charset=utf-8";
    case ResourceType::kStyle:
      return "text/css";
    case ResourceType::kScript:
      return "text/javascript";
    case ResourceType::kImage:
      return "image/gif";
    case ResourceType::kFont:
      return "font/woff2";
    default:
      return "application/octet-stream";
  }
}

// A GIF89a of one transparent pixel (GIF89a specification, sections 17-27), padded to exactly
// size bytes with a comment extension (section 24) before the trailer; 1 or 2 bytes that do not
// make a sub-block go after the trailer, where decoders stop reading.
std::string Gif(uint64_t size) {
  static const unsigned char kHead[] = {
      'G',  'I',  'F',  '8',  '9',  'a',  1, 0, 1, 0, 0x80, 0, 0,  // screen 1x1, 2-colour table
      0,    0,    0,    0xff, 0xff, 0xff,                          // the colour table
      0x21, 0xf9, 4,    1,    0,    0,    0, 0,                    // graphic control: transparent 0
      0x2c, 0,    0,    0,    0,    1,    0, 1, 0, 0,              // image descriptor 1x1
      2,    2,    0x44, 1,    0};                                  // LZW min 2, one block, end
  std::string gif(reinterpret_cast<const char*>(kHead), sizeof kHead);
  const size_t trailer = 1;
  if (size < gif.size() + trailer) return gif + ";";
  size_t pad = size - gif.size() - trailer;
  std::string after;
  if (pad >= 3) {
    gif += "\x21\xfe";
    size_t rest = pad - 3;  // bytes of sub-blocks (each 1 length byte + 1..255 data bytes)
    while (rest >= 2) {
      size_t k = std::min<size_t>(255, rest - 1);
      if (rest - 1 - k == 1) --k;  // never leave a single byte
      gif += static_cast<char>(k);
      gif += Filler(k);
      rest -= k + 1;
    }
    gif += '\0';
    after.assign(rest, '\0');
  } else {
    after.assign(pad, '\0');
  }
  return gif + ";" + after;
}

class SiteBuilder {
 public:
  SiteBuilder(const Scenario& scenario, const PageSiteOptions& options)
      : scenario_(scenario), options_(options) {
    for (size_t i = 0; i < scenario.resources.size(); ++i) index_[scenario.resources[i].url] = i;
  }

  PageSite Build() {
    for (const Resource& r : scenario_.resources) {
      if (r.type == ResourceType::kPreconnect) continue;
      Url url = scenario_.UrlOf(r.url);
      SiteFile file{r.url, url.origin, url.path, ContentType(r.type), Body(r)};
      if (file.body.size() != r.size_bytes)
        site_.warnings.push_back(r.url + ": " + std::to_string(file.body.size()) +
                                 " bytes, not its size " + std::to_string(r.size_bytes) +
                                 " (too small for its references)");
      site_.files.push_back(std::move(file));
    }
    return std::move(site_);
  }

 private:
  std::vector<const Resource*> ChildrenOf(const Resource& parent) const {
    std::vector<const Resource*> out;
    for (const Resource& r : scenario_.resources)
      if (r.parent == parent.url && !parent.url.empty()) out.push_back(&r);
    return out;
  }
  size_t IndexOf(const Resource& r) const { return index_.at(r.url); }

  // The child's URL as its parent writes it: a path on the parent's origin, else absolute.
  std::string Ref(const Resource& parent, const Resource& child) const {
    Url to = scenario_.UrlOf(child.url);
    if (child.type == ResourceType::kPreconnect) {
      return Rescheme(to.origin).ToString();
    }
    if (to.origin == scenario_.UrlOf(parent.url).origin) return to.path;
    to.origin = Rescheme(to.origin);
    return to.ToString();
  }

  // origin with options.scheme, its port the new scheme's default if it had the old one's.
  OriginKey Rescheme(OriginKey origin) const {
    if (options_.scheme.empty()) return origin;
    if (origin.port == OriginKey::DefaultPort(origin.scheme))
      origin.port = OriginKey::DefaultPort(options_.scheme);
    origin.scheme = options_.scheme;
    return origin;
  }

  // JavaScript that makes the browser fetch child now (single quotes only: it also goes into
  // an HTML attribute in double quotes).
  std::string InsertStatement(const Resource& parent, const Resource& child) const {
    const std::string u = Ref(parent, child);
    const std::string append = "document.documentElement.appendChild(Object.assign(";
    switch (child.type) {
      case ResourceType::kImage:
        return "new Image().src='" + u + "';";
      case ResourceType::kScript:
        return append + "document.createElement('script'),{src:'" + u + "'}));";
      case ResourceType::kStyle: {
        std::string onload = DeferredStatements(child);
        return append + "document.createElement('link'),{rel:'stylesheet',href:'" + u + "'" +
               (onload.empty() ? "" : ",onload:function(){" + onload + "}") + "}));";
      }
      case ResourceType::kFont:
        return "new FontFace('w" + std::to_string(IndexOf(child)) + "','url(" + u + ")').load();";
      case ResourceType::kDocument:
        return append + "document.createElement('iframe'),{src:'" + u + "'}));";
      case ResourceType::kPreconnect:
        return append + "document.createElement('link'),{rel:'preconnect',href:'" + u + "'}));";
      default:
        return "fetch('" + u + "');";
    }
  }

  // The statements that fetch what a stylesheet and its @imports reference but CSS cannot
  // (scripts, documents, other): run by the stylesheet's onload.
  std::string DeferredStatements(const Resource& style) const {
    std::string out;
    for (const Resource* c : ChildrenOf(style)) {
      if (c->type == ResourceType::kStyle)
        out += DeferredStatements(*c);
      else if (c->type != ResourceType::kImage && c->type != ResourceType::kFont)
        out += InsertStatement(style, *c);
    }
    return out;
  }

  std::string HtmlTag(const Resource& parent, const Resource& child) const {
    const std::string u = Ref(parent, child);
    switch (child.type) {
      case ResourceType::kStyle: {
        std::string onload = DeferredStatements(child);
        return "<link rel=stylesheet href=\"" + u + "\"" +
               (child.render_blocking ? "" : " media=print") +
               (onload.empty() ? "" : " onload=\"" + onload + "\"") + ">";
      }
      case ResourceType::kScript:
        return std::string("<script") +
               (child.blocking ? ""
                : child.defer  ? " defer"
                               : " async") +
               " src=\"" + u + "\"></script>";
      case ResourceType::kImage:
        return "<img src=\"" + u + "\" width=100 height=100>";
      case ResourceType::kPreconnect:
        return "<link rel=preconnect href=\"" + u + "\">";
      case ResourceType::kFont:
        return "<link rel=preload as=font crossorigin href=\"" + u + "\">";
      case ResourceType::kDocument:
        return "<iframe src=\"" + u + "\"></iframe>";
      default:
        return "<link rel=preload as=fetch crossorigin href=\"" + u + "\">";
    }
  }

  std::string CssRule(const Resource& parent, const Resource& child) const {
    const std::string u = Ref(parent, child);
    const std::string cls = "w" + std::to_string(IndexOf(child));
    if (child.type == ResourceType::kStyle) return "@import url(" + u + ");";
    if (child.type == ResourceType::kImage)
      return "." + cls + "{display:block;width:1px;height:1px;background-image:url(" + u + ")}";
    return "@font-face{font-family:" + cls + ";src:url(" + u + ")}." + cls + "{font-family:" + cls +
           "}";
  }

  // <body> and one element for every image or font a stylesheet references, so it is used.
  std::string BodyTag() const {
    // A line of text: something to paint (Chrome records no first paint for an empty body).
    std::string out = "<body><p>waterfall</p>";
    for (const Resource& r : scenario_.resources) {
      const Resource* p = scenario_.Find(r.parent);
      if (p == nullptr || p->type != ResourceType::kStyle) continue;
      if (r.type == ResourceType::kImage)
        out += "<i class=w" + std::to_string(IndexOf(r)) + "></i>";
      else if (r.type == ResourceType::kFont)
        out += "<i class=w" + std::to_string(IndexOf(r)) + ">x</i>";
    }
    return out;
  }

  std::vector<Item> Items(const Resource& r) {
    std::vector<Item> items;
    uint64_t last_import = 0;
    if (r.type == ResourceType::kStyle)
      for (const Resource* c : ChildrenOf(r))
        if (c->type == ResourceType::kStyle)
          last_import = std::max(last_import, c->discover_at_bytes.value_or(r.size_bytes));
    for (const Resource* c : ChildrenOf(r)) {
      Item item;
      item.child = c->url;
      item.target_end = c->discover_at_bytes.value_or(r.size_bytes);
      item.order = static_cast<double>(IndexOf(*c));
      if (r.type == ResourceType::kDocument) {
        item.text = HtmlTag(r, *c);
      } else if (r.type == ResourceType::kScript) {
        item.text = InsertStatement(r, *c);
      } else if (r.type == ResourceType::kStyle) {
        if (c->type != ResourceType::kStyle && c->type != ResourceType::kImage &&
            c->type != ResourceType::kFont)
          continue;  // fetched by the document's <link onload> (DeferredStatements)
        item.text = CssRule(r, *c);
        if (c->type == ResourceType::kStyle) {
          item.order -= 1e6;  // every @import before the rules that share its offset
        } else if (item.target_end < last_import) {
          site_.warnings.push_back(r.url + ": " + c->url + " moved after the @imports, to " +
                                   std::to_string(last_import));
          item.target_end = last_import;
        }
      } else {
        site_.warnings.push_back(c->url + ": a " + std::string(ToString(r.type)) +
                                 " cannot reference anything; not referenced");
        continue;
      }
      items.push_back(item);
    }
    if (r.type == ResourceType::kDocument) {
      Item body{BodyTag(), r.size_bytes, 1e9, ""};
      if (r.head_bytes) {
        body.target_end = *r.head_bytes + body.text.size();
        body.order = -1e9;
      } else {
        const Item* first_image = nullptr;
        for (const Item& i : items) {
          if (scenario_.Find(i.child)->type != ResourceType::kImage) continue;
          if (first_image == nullptr || i.target_end < first_image->target_end ||
              (i.target_end == first_image->target_end && i.order < first_image->order))
            first_image = &i;
        }
        if (first_image != nullptr) {
          body.target_end = first_image->target_end;
          body.order = first_image->order - 0.5;
        }
      }
      items.push_back(body);
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.target_end != b.target_end ? a.target_end < b.target_end : a.order < b.order;
    });
    return items;
  }

  std::string Prefix(const Resource& r) const {
    if (r.type == ResourceType::kDocument) return "<!DOCTYPE html><html><head><meta charset=utf-8>";
    if (r.type == ResourceType::kScript && r.process_ms > 0) {
      // Busy-wait: the script's own execution time, process_ms on the main thread.
      return "{const t=performance.now();while(performance.now()-t<" +
             std::to_string(r.process_ms) + ");}\n";
    }
    return "";
  }

  std::string Body(const Resource& r) {
    if (r.type == ResourceType::kImage) return Gif(r.size_bytes);
    std::string body = Prefix(r);
    std::vector<Item> items = Items(r);
    for (size_t i = 0; i < items.size();) {
      size_t j = i;
      uint64_t group_bytes = 0;
      for (; j < items.size() && items[j].target_end == items[i].target_end; ++j)
        group_bytes += items[j].text.size();
      const uint64_t target = items[i].target_end;
      if (target >= group_bytes && target - group_bytes > body.size())
        body += Padding(r.type, target - group_bytes - body.size());
      for (; i < j; ++i) {
        const uint64_t begin = body.size();
        body += items[i].text;
        if (items[i].child.empty()) continue;
        site_.references.push_back({r.url, items[i].child, begin, body.size(), target});
        if (body.size() > target)
          site_.warnings.push_back(r.url + ": the reference to " + items[i].child +
                                   " ends at byte " + std::to_string(body.size()) +
                                   ", after its discover_at " + std::to_string(target));
      }
    }
    if (body.size() < r.size_bytes) body += Padding(r.type, r.size_bytes - body.size());
    return body;
  }

  const Scenario& scenario_;
  const PageSiteOptions& options_;
  std::map<std::string, size_t> index_;
  PageSite site_;
};

}  // namespace

const SiteFile* PageSite::Find(const std::string& url) const {
  for (const SiteFile& f : files)
    if (f.url == url) return &f;
  return nullptr;
}

PageSite BuildPageSite(const Scenario& scenario, const PageSiteOptions& options) {
  return SiteBuilder(scenario, options).Build();
}

}  // namespace waterfall
