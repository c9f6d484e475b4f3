// `waterfall site SCENARIO DIR [--set KEY=VALUE]`: the scenario's page as real files for a real
// server and browser (scripts/reference-load loads them in Chromium):
//   DIR/www/http/HOST/PATH, DIR/www/https/HOST/PATH  the resources (models/page/page_site.h);
//                                                    https/ has other origins' references in https
//   DIR/apache-h1.conf, -h1-tls, -h2, -h2-hints      Apache httpd configurations, one per mode
//   DIR/tls/chain.pem, DIR/tls/key.pem               the scenario's certificate chain and key
//   DIR/site.json                                    what a driver needs: the document's URL, the
//                                                    hosts, the SPKI hash, the files, warnings
// The configurations read ${WATERFALL_SITE_RUN} (a directory for the pid file, logs and
// runtime files), ${WATERFALL_SITE_ADDRESS}, ${WATERFALL_SITE_PORT}, ${WATERFALL_SITE_USER} and
// ${WATERFALL_SITE_GROUP} from the environment: `apache2 -DFOREGROUND -f DIR/apache-h2.conf`.
#pragma once

#include <string>
#include <vector>

namespace waterfall {

struct SiteCommand {
  std::string scenario_path;
  std::string out_dir;
  std::vector<std::string> sets;
  bool quiet = false;
};

// The exit status (sim/cli/exit_codes.h): 0, or 2 with a message on stderr.
int Site(const SiteCommand& cmd);

}  // namespace waterfall
