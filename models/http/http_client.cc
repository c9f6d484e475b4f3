#include "models/http/http_client.h"

#include <cctype>

namespace waterfall {

const char* ToString(Initiator initiator) {
  switch (initiator) {
    case Initiator::kNone:
      return "none";
    case Initiator::kParser:
      return "parser";
    case Initiator::kPush:
      return "push";
    case Initiator::kEarlyHints:
      return "early-hints";
    case Initiator::kPreload:
      return "preload";
    case Initiator::kPreloadScanner:
      return "preload-scanner";
  }
  return "?";
}

namespace {
std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::vector<std::string> ParsePreloadLinks(const std::string& value) {
  LinkRelations links;
  ParseLinks(value, &links);
  return links.preload;
}

void ParseLinks(const std::string& value, LinkRelations* out) {
  // RFC 8288 link-values separated by commas: <uri-reference> *( ";" link-param ).
  size_t pos = 0;
  while (pos < value.size()) {
    size_t open = value.find('<', pos);
    if (open == std::string::npos) break;
    size_t close = value.find('>', open);
    if (close == std::string::npos) break;
    size_t end = value.find(',', close);
    if (end == std::string::npos) end = value.size();
    std::string url = value.substr(open + 1, close - open - 1);
    std::string params = value.substr(close + 1, end - close - 1);
    bool preload = false, preconnect = false;
    size_t p = 0;
    while (p < params.size()) {
      size_t semi = params.find(';', p);
      if (semi == std::string::npos) semi = params.size();
      std::string param = Lower(Trim(params.substr(p, semi - p)));
      if (param == "rel=preload" || param == "rel=\"preload\"") preload = true;
      if (param == "rel=preconnect" || param == "rel=\"preconnect\"") preconnect = true;
      p = semi + 1;
    }
    if (preload && !url.empty()) out->preload.push_back(url);
    if (preconnect && !url.empty()) out->preconnect.push_back(url);
    pos = end + 1;
  }
}

}  // namespace waterfall
