// `waterfall site`: builds the page's files (models/page/page_site.h) and the TLS identity
// (models/tls/identity_pem.h), writes them with an Apache configuration per mode.
#include "sim/cli/site_command.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/page/page_site.h"
#include "models/scenario/scenario_loader.h"
#include "models/tls/identity_pem.h"
#include "sim/cli/exit_codes.h"
#include "sim/io/atomic_file.h"

namespace waterfall {
namespace {

namespace fs = std::filesystem;

// The modes a real Apache and Chrome can load (Chrome speaks HTTP/2 only over TLS).
struct SiteMode {
  const char* name;
  bool tls;
  bool h2;
  bool hints;
};
constexpr SiteMode kSiteModes[] = {
    {"h1", false, false, false},
    {"h1-tls", true, false, false},
    {"h2", true, true, false},
    {"h2-hints", true, true, true},
};

// The file a path is served from: the query dropped, "index.html" for a directory.
std::string FilePath(const std::string& path) {
  std::string p = path.substr(0, path.find('?'));
  if (p.empty() || p.back() == '/') p += "index.html";
  return p;
}

std::string RegexQuote(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string(".^$*+?()[]{}|\\").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// The Link header value announcing url (server.hints, server.preload).
std::string PreloadLink(const Scenario& s, const std::string& url, const std::string& scheme) {
  const Resource* r = s.Find(url);
  std::string as = "fetch";
  if (r != nullptr) {
    switch (r->type) {
      case ResourceType::kStyle:
        as = "style";
        break;
      case ResourceType::kScript:
        as = "script";
        break;
      case ResourceType::kImage:
        as = "image";
        break;
      case ResourceType::kFont:
        as = "font";
        break;
      default:
        break;
    }
  }
  Url u = s.UrlOf(url);
  std::string ref = u.path;
  if (u.origin != s.DocumentOrigin()) {
    if (u.origin.port == OriginKey::DefaultPort(u.origin.scheme))
      u.origin.port = OriginKey::DefaultPort(scheme);
    u.origin.scheme = scheme;
    ref = u.ToString();
  }
  return "<" + ref + ">; rel=preload; as=" + as +
         (as == "font" || as == "fetch" ? "; crossorigin" : "");
}

// An origin of the scenario as the page served over `scheme` names it.
std::string OtherOrigin(const std::string& origin, const std::string& scheme) {
  std::optional<OriginKey> key = OriginKey::Parse(origin);
  if (!key) return origin;
  key->scheme = scheme;
  key->port = OriginKey::DefaultPort(scheme);
  return key->ToString();
}

std::string ApacheConfig(const Scenario& s, const PageSite& site, const SiteMode& mode,
                         const std::string& dir) {
  const std::string scheme = mode.tls ? "https" : "http";
  const TlsConfig& tls = s.FindOrigin(s.DocumentOrigin())->tls;
  std::string c;
  c += "# Apache httpd for scenario " + s.name + ", mode " + mode.name +
       " (written by `waterfall site`).\n"
       "# Run: WATERFALL_SITE_RUN=DIR WATERFALL_SITE_ADDRESS=127.0.0.1 WATERFALL_SITE_PORT=N\n"
       "#      WATERFALL_SITE_USER=www-data WATERFALL_SITE_GROUP=www-data apache2 -DFOREGROUND -f "
       "THIS_FILE\n"
       "# Not modelled: server think_ms (Apache serves static files at once).\n"
       "ServerRoot ${WATERFALL_SITE_RUN}\n"
       "DefaultRuntimeDir ${WATERFALL_SITE_RUN}\n"
       "PidFile ${WATERFALL_SITE_RUN}/httpd.pid\n"
       "ErrorLog ${WATERFALL_SITE_RUN}/error.log\n"
       "LogLevel warn\n"
       "User ${WATERFALL_SITE_USER}\n"
       "Group ${WATERFALL_SITE_GROUP}\n"
       "Listen ${WATERFALL_SITE_ADDRESS}:${WATERFALL_SITE_PORT}\n"
       "ServerName localhost\n";
  for (const char* m :
       {"mpm_event", "authz_core", "mime", "headers", "dir", "ssl", "http2", "socache_shmcb"})
    c += std::string("LoadModule ") + m + "_module /usr/lib/apache2/modules/mod_" + m + ".so\n";
  c += "LogFormat \"%{ms}T %>s %B %H %r\" timing\n"
       "CustomLog ${WATERFALL_SITE_RUN}/access.log timing\n"
       "KeepAlive On\nMaxKeepAliveRequests 0\nKeepAliveTimeout 60\n"
       "TypesConfig /dev/null\n"  // every file has its ForceType below
       "DirectoryIndex index.html\n"
       "EnableSendfile Off\n";
  c += mode.h2 ? "Protocols h2 http/1.1\n" : "Protocols http/1.1\n";
  if (mode.h2) {
    c += "H2MaxSessionStreams " + std::to_string(s.server.max_concurrent_streams) + "\n";
    c += "H2Push off\n";
    c += mode.hints ? "H2EarlyHints on\n" : "H2EarlyHints off\n";
  }
  if (mode.tls) {
    c += "SSLSessionCache none\n";
    c += std::string("SSLProtocol -all ") +
         (tls.version == TlsVersion::k13 ? "+TLSv1.3" : "+TLSv1.2") + "\n";
  }
  std::set<std::string> hosts;
  for (const SiteFile& f : site.files) hosts.insert(f.origin.host);
  for (const std::string& host : hosts) {
    c += "<VirtualHost ${WATERFALL_SITE_ADDRESS}:${WATERFALL_SITE_PORT}>\n";
    c += "  ServerName " + host + "\n";
    c += "  DocumentRoot \"" + dir + "/www/" + scheme + "/" + host + "\"\n";
    c += "  <Directory \"" + dir + "/www/" + scheme + "/" + host + "\">\n" +
         "    Require all granted\n  </Directory>\n";
    c += "  Header set Access-Control-Allow-Origin \"*\"\n";
    if (mode.tls) {
      c += "  SSLEngine on\n";
      c += "  SSLCertificateFile \"" + dir + "/tls/chain.pem\"\n";
      c += "  SSLCertificateKeyFile \"" + dir + "/tls/key.pem\"\n";
    }
    for (const SiteFile& f : site.files) {
      if (f.origin.host != host) continue;
      c += "  <LocationMatch \"^" + RegexQuote(f.path.substr(0, f.path.find('?'))) + "$\">\n";
      c += "    ForceType \"" + f.content_type + "\"\n";
      if (f.url == s.resources[0].url) {
        if (mode.hints) {
          // mod_http2 sends H2EarlyHint headers in a 103 before the response (H2EarlyHints on);
          // its H2PushResource would announce them too, but without `as=`, which Chrome needs.
          for (const std::string& h : s.HintSet())
            c += "    H2EarlyHint Link \"" + PreloadLink(s, h, scheme) + "\"\n";
          for (const std::string& o : s.server.preconnect)
            c += "    H2EarlyHint Link \"<" + OtherOrigin(o, scheme) + ">; rel=preconnect\"\n";
        }
        for (const std::string& p : s.server.preload)
          c += "    Header add Link \"" + PreloadLink(s, p, scheme) + "\"\n";
        for (const std::string& o : s.server.preconnect)
          c += "    Header add Link \"<" + OtherOrigin(o, scheme) + ">; rel=preconnect\"\n";
      }
      c += "  </LocationMatch>\n";
    }
    c += "</VirtualHost>\n";
  }
  return c;
}

}  // namespace

int Site(const SiteCommand& cmd) {
  Scenario scenario;
  try {
    std::vector<Override> overrides;
    for (const std::string& s : cmd.sets) overrides.push_back(ParseOverride(s));
    scenario = LoadScenarioFile(cmd.scenario_path, overrides);
  } catch (const ScenarioError& e) {
    std::cerr << "waterfall site: " << e.what() << "\n";
    return kExitBadInput;
  }
  const std::string dir = fs::absolute(cmd.out_dir).lexically_normal().string();
  try {
    nlohmann::json files = nlohmann::json::array();
    std::vector<std::string> warnings;
    PageSite http_site;
    for (const char* scheme : {"http", "https"}) {
      PageSiteOptions options;
      options.scheme = scheme;
      PageSite site = BuildPageSite(scenario, options);
      for (const SiteFile& f : site.files) {
        const fs::path path = fs::path(dir) / "www" / scheme / f.origin.host /
                              fs::path(FilePath(f.path)).relative_path();
        fs::create_directories(path.parent_path());
        WriteFileAtomically(path.string(), f.body);
      }
      if (std::string(scheme) == "http") http_site = std::move(site);
    }
    std::vector<std::string> hosts;
    for (const SiteFile& f : http_site.files) {
      if (std::find(hosts.begin(), hosts.end(), f.origin.host) == hosts.end())
        hosts.push_back(f.origin.host);
      files.push_back({{"url", f.url},
                       {"absolute_path", scenario.UrlOf(f.url).path},
                       {"host", f.origin.host},
                       {"type", ToString(scenario.Find(f.url)->type)},
                       {"size", f.body.size()}});
    }
    fs::create_directories(fs::path(dir) / "tls");
    const TlsConfig& tls = scenario.FindOrigin(scenario.DocumentOrigin())->tls;
    IdentityPem pem = ExportIdentityPem(tls, hosts);
    WriteFileAtomically(dir + "/tls/chain.pem", pem.chain_pem);
    WriteFileAtomically(dir + "/tls/key.pem", pem.key_pem);
    nlohmann::json modes = nlohmann::json::object();
    for (const SiteMode& m : kSiteModes) {
      const std::string conf = dir + "/apache-" + m.name + ".conf";
      WriteFileAtomically(conf, ApacheConfig(scenario, http_site, m, dir));
      modes[m.name] = {{"config", conf}, {"scheme", m.tls ? "https" : "http"}, {"h2", m.h2}};
    }
    const Url doc = scenario.UrlOf(scenario.resources[0].url);
    nlohmann::json j = {{"scenario", scenario.name},
                        {"document", {{"host", doc.origin.host}, {"path", doc.path}}},
                        {"hosts", hosts},
                        {"network",
                         {{"rtt_ms", scenario.network.rtt_ms},
                          {"bandwidth_mbps", scenario.network.bandwidth_mbps},
                          {"uplink_mbps", scenario.network.EffectiveUplinkMbps()},
                          {"queue_packets", scenario.network.queue_packets}}},
                        {"spki_sha256", pem.spki_sha256},
                        {"modes", modes},
                        {"files", files},
                        {"warnings", http_site.warnings}};
    WriteFileAtomically(dir + "/site.json", j.dump(2) + "\n");
    for (const std::string& w : http_site.warnings) std::cerr << "waterfall site: " << w << "\n";
    if (!cmd.quiet)
      std::cerr << "waterfall site: " << http_site.files.size() << " files and "
                << std::size(kSiteModes) << " Apache configurations in " << dir << "\n";
  } catch (const std::exception& e) {
    std::cerr << "waterfall site: " << dir << ": " << e.what() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace waterfall
