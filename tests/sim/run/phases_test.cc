// Every resource has the same phases in every mode (README, "Results"): queued
// [queued_ms, connect_start_ms or request_ms), connect [connect_start_ms, connect_end_ms),
// wait [request_ms, first_byte_ms), download [first_byte_ms, complete_ms]. A request is "sent"
// when its bytes are handed to a connection that is up, under HTTP/1.1 and HTTP/2 alike; the
// connect phase belongs to the requests that opened or waited for a connection. The same
// fields, in the same order, make up DIR/<mode>.csv.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "models/scenario/scenario_loader.h"
#include "sim/report/resource_csv.h"
#include "sim/report/result_json.h"
#include "sim/run/run.h"
#include "tests/support/page_builder.h"
#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace waterfall {
namespace {

using testing::Add;
using testing::FastLink;

RunResult Load(const Scenario& s, const std::string& mode) {
  return RunPageLoad(s, *FindMode(mode), RunOptions{});
}

const ResourceTiming& Timing(const RunResult& r, const std::string& url) {
  for (const ResourceTiming& t : r.timings) {
    if (t.url.path == url) return t;
  }
  throw std::runtime_error("no resource " + url);
}

// ---- the phases, on the shipped scenarios, every mode, cold and warm ------------------------

struct Case {
  std::string scenario;  // file in scenarios/
  std::string mode;
  bool warm;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.scenario << " " << c.mode << (c.warm ? " warm" : " cold");
}

std::string Name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = info.param.scenario + "_" + info.param.mode + (info.param.warm ? "_warm" : "");
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

class Phases : public ::testing::TestWithParam<Case> {};

TEST_P(Phases, AreOrderedAndConnectBelongsToTheRequestsThatWaitedForAConnection) {
  const Case& c = GetParam();
  std::vector<Override> overrides;
  if (c.warm) overrides.push_back(ParseOverride("client.connection=warm"));
  const Scenario s = LoadScenarioFile(
      std::string(WATERFALL_SOURCE_DIR) + "/scenarios/" + c.scenario + ".toml", overrides);
  const RunResult r = Load(s, c.mode);
  const bool h1 = c.mode == "h1";

  // The document: asked for at navigation start, sent once a connection is up.
  const ResourceTiming& doc = r.timings.front();
  ASSERT_TRUE(doc.queued_ms && doc.request_ms && doc.first_byte_ms && doc.complete_ms);
  EXPECT_EQ(*doc.queued_ms, 0);
  if (c.warm) {
    // The connection was up before navigation: nothing to wait for.
    EXPECT_FALSE(doc.connect_start_ms || doc.connect_end_ms);
    EXPECT_EQ(*doc.request_ms, 0);
  } else {
    ASSERT_TRUE(doc.connect_start_ms && doc.connect_end_ms);
    EXPECT_EQ(*doc.connect_start_ms, 0);
    // The handshake is a round trip (plus the SYN and SYN-ACK's serialization).
    EXPECT_GE(*doc.connect_end_ms, s.network.rtt_ms);
    EXPECT_LT(*doc.connect_end_ms, s.network.rtt_ms + 1);
    EXPECT_GE(*doc.request_ms, *doc.connect_end_ms);
  }

  std::map<int, int> waited_per_connection;
  for (const ResourceTiming& t : r.timings) {
    const std::string where = c.mode + " " + t.url.path;
    // Each phase starts where the previous one ended, or later.
    std::vector<double> seq;
    for (const auto* p : {&t.queued_ms, &t.connect_start_ms, &t.connect_end_ms, &t.request_ms,
                          &t.first_byte_ms, &t.complete_ms}) {
      if (*p) seq.push_back(**p);
    }
    EXPECT_TRUE(std::is_sorted(seq.begin(), seq.end())) << where;
    EXPECT_EQ(t.connect_start_ms.has_value(), t.connect_end_ms.has_value()) << where;
    if (t.from_cache) {
      EXPECT_FALSE(t.queued_ms || t.connect_start_ms || t.request_ms) << where;
      continue;
    }
    if (t.status != ResourceStatus::kComplete) continue;
    ASSERT_TRUE(t.queued_ms && t.request_ms && t.first_byte_ms && t.complete_ms) << where;
    if (t.initiator == Initiator::kParser) {
      // Asked for the moment the parser found it: discovered <= request <= first byte.
      EXPECT_EQ(*t.queued_ms, *t.discovered_ms) << where;
    } else if (t.discovered_ms) {
      // Hinted, preloaded or pushed before the parser got to it.
      EXPECT_LE(*t.queued_ms, *t.discovered_ms) << where;
    }
    if (t.pushed) {
      // A push: "queued" and "sent" are the PUSH_PROMISE; no connect phase.
      EXPECT_EQ(*t.request_ms, *t.queued_ms) << where;
      EXPECT_FALSE(t.connect_start_ms) << where;
    }
    if (t.connect_end_ms) {
      // It waited for this handshake, so it went out the moment the connection was up, as
      // that connection's first request.
      EXPECT_EQ(*t.request_ms, *t.connect_end_ms) << where;
      if (h1) {
        EXPECT_EQ(t.where.stream_id, 1) << where;
      }
      ++waited_per_connection[t.where.connection];
    }
  }
  // Under HTTP/2 only the document waited for the one connection (nothing else is asked for
  // before the HTML arrives); under HTTP/1.1 each connection opened during the page carried
  // one request that waited for it. A warm connection 0 had no handshake during the page.
  const int opened_during_page = r.connections - (c.warm ? 1 : 0);
  EXPECT_EQ(static_cast<int>(waited_per_connection.size()), h1 ? opened_during_page : !c.warm);
  for (const auto& [connection, n] : waited_per_connection) {
    EXPECT_EQ(n, 1) << "connection " << connection;
    if (c.warm) {
      EXPECT_NE(connection, 0);
    }
  }
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const char* scenario :
       {"seed-200ms", "many-resources", "early-hints-think", "push-cached"}) {
    for (const ModeSpec* m : DefaultModes()) {
      for (bool warm : {false, true}) cases.push_back({scenario, m->name, warm});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Shipped, Phases, ::testing::ValuesIn(AllCases()), Name);

// ---- the seed page by hand ------------------------------------------------------------------

TEST(PhasesSeed, DocumentConnectsForOneRoundTripThenIsSentUnderH1AndH2Alike) {
  // 200 ms RTT, 10 Mbit/s. SYN at 0, SYN-ACK back at 200 ms (+ 2 x 0.05 ms serialization of
  // the 60-byte SYN and SYN-ACK): connect 0 -> ~200, the GET leaves at once, the response's
  // first segment is back one round trip later (+ 1.2 ms for its 1502 bytes): ~401.
  const Scenario s =
      LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/seed-200ms.toml");
  for (const char* mode : {"h1", "h2", "h2-push", "h2-hints"}) {
    const RunResult r = Load(s, mode);
    const ResourceTiming& doc = Timing(r, "/index.html");
    EXPECT_EQ(*doc.queued_ms, 0) << mode;
    EXPECT_EQ(*doc.connect_start_ms, 0) << mode;
    EXPECT_NEAR(*doc.connect_end_ms, 200, 0.2) << mode;
    EXPECT_EQ(*doc.request_ms, *doc.connect_end_ms) << mode;
    EXPECT_NEAR(*doc.first_byte_ms, 400 + 1.2, 0.5) << mode;
  }
  // h1: the logo finds connection 0 busy with style.css and opens connection 1: its own
  // handshake, one round trip from the moment the HTML was complete.
  const RunResult h1 = Load(s, "h1");
  const ResourceTiming& logo = Timing(h1, "/logo.png");
  EXPECT_EQ(logo.where.connection, 1);
  EXPECT_EQ(*logo.connect_start_ms, *Timing(h1, "/index.html").complete_ms);
  EXPECT_NEAR(*logo.connect_end_ms - *logo.connect_start_ms, 200, 0.2);
  EXPECT_EQ(*logo.request_ms, *logo.connect_end_ms);
  // style.css reuses connection 0: no connect phase.
  EXPECT_FALSE(Timing(h1, "/style.css").connect_start_ms);
}

// ---- HTTP/2: "sent" is when the HEADERS frame goes out --------------------------------------

TEST(PhasesH2, RequestsBeyondTheServersStreamLimitAreSentWhenAStreamFrees) {
  // The server allows 100 concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS). 150 images,
  // all discovered when the HTML is complete (its stream is closed by then): nghttp2 sends
  // 100 requests at once and holds the other 50 until streams close. Those 50 were queued,
  // not sent, until then.
  Scenario s = FastLink(20, 100);
  Add(s, "/index.html", ResourceType::kDocument, 5000);
  for (int i = 0; i < 150; ++i) {
    Add(s, "/img" + std::to_string(i) + ".png", ResourceType::kImage, 20000, "/index.html");
  }
  const RunResult r = Load(s, "h2");
  const double html_done = *Timing(r, "/index.html").complete_ms;
  int sent_at_once = 0, held = 0;
  for (size_t i = 1; i < r.timings.size(); ++i) {
    const ResourceTiming& t = r.timings[i];
    ASSERT_EQ(t.status, ResourceStatus::kComplete);
    EXPECT_EQ(*t.queued_ms, html_done);
    if (*t.request_ms == *t.queued_ms) {
      ++sent_at_once;
    } else {
      ++held;
      // Held until a stream closed: after at least one response's first byte.
      EXPECT_GT(*t.request_ms, html_done + s.network.rtt_ms);
    }
  }
  EXPECT_EQ(sent_at_once, 100);
  EXPECT_EQ(held, 50);
  EXPECT_EQ(r.page.requests, 151u);
}

TEST(PhasesH2, ARequestRefusedAfterGoAwayWasNeverSent) {
  // GOAWAY (last stream 1) as the document's body starts: the requests the browser makes
  // after it are refused by nghttp2 and never reach the wire, so they have no request time
  // and are not counted as requests.
  Scenario s = FastLink(50, 10);
  Add(s, "/index.html", ResourceType::kDocument, 20000).fault = ServerFault::kGoAway;
  Add(s, "/a.css", ResourceType::kStyle, 30000, "/index.html");
  const RunResult r = Load(s, "h2");
  const ResourceTiming& css = Timing(r, "/a.css");
  EXPECT_EQ(css.status, ResourceStatus::kReset);
  EXPECT_TRUE(css.queued_ms.has_value());
  EXPECT_FALSE(css.request_ms.has_value());
  EXPECT_EQ(r.page.requests, 1u);
}

// ---- the CSV ---------------------------------------------------------------------------------

// RFC 4180 rows (quoted cells, doubled quotes), as a reader would parse them.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false, row_open = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    row_open = true;
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      rows.back().push_back(cell);
      cell.clear();
    } else if (ch == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      rows.emplace_back();
      row_open = false;
    } else {
      cell += ch;
    }
  }
  if (row_open) rows.back().push_back(cell);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// The CSV cell a JSON value must have become.
std::string Expected(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// The header names every field of every resource, each row's cells are its fields' values
// (empty for a field it does not have, such as an unset `priority`), and the first resource's
// fields come in their JSON order.
void ExpectCsvMatchesJson(const std::string& csv, const nlohmann::ordered_json& resources) {
  const auto rows = ParseCsv(csv);
  ASSERT_EQ(rows.size(), resources.size() + 1);
  const std::vector<std::string>& keys = rows[0];
  std::vector<std::string> first_keys;
  for (auto it = resources.front().begin(); it != resources.front().end(); ++it) {
    first_keys.push_back(it.key());
  }
  std::vector<std::string> in_header_order;
  for (const std::string& k : keys) {
    if (resources.front().contains(k)) in_header_order.push_back(k);
  }
  EXPECT_EQ(in_header_order, first_keys);
  for (size_t i = 0; i < resources.size(); ++i) {
    for (auto it = resources[i].begin(); it != resources[i].end(); ++it) {
      EXPECT_NE(std::find(keys.begin(), keys.end(), it.key()), keys.end()) << it.key();
    }
    ASSERT_EQ(rows[i + 1].size(), keys.size()) << "row " << i + 1;
    for (size_t k = 0; k < keys.size(); ++k) {
      const auto field = resources[i].find(keys[k]);
      EXPECT_EQ(rows[i + 1][k], field == resources[i].end() ? "" : Expected(*field))
          << "row " << i + 1 << " " << keys[k];
    }
  }
}

TEST(ResourceCsv, HeaderIsTheJsonFieldsAndEveryValueMatches) {
  // h1 on the seed page: nulls (connect of reused connections), numbers, booleans, text.
  const Scenario s =
      LoadScenarioFile(std::string(WATERFALL_SOURCE_DIR) + "/scenarios/seed-200ms.toml");
  for (const char* mode : {"h1", "h2-push"}) {
    const nlohmann::ordered_json result = ResultToJson(s, Load(s, mode));
    ExpectCsvMatchesJson(ResourcesToCsv(result.at("resources")), result.at("resources"));
  }
}

TEST(ResourceCsv, TextWithCommasQuotesAndLineBreaksIsQuoted) {
  nlohmann::ordered_json resources = nlohmann::ordered_json::array();
  resources.push_back({{"url", "/a,b.css"}, {"ms", 1.5}, {"pushed", false}, {"x", nullptr}});
  resources.push_back({{"url", "/say \"hi\"\n.js"}, {"ms", nullptr}, {"pushed", true}, {"x", 7}});
  const std::string csv = ResourcesToCsv(resources);
  EXPECT_EQ(csv,
            "url,ms,pushed,x\n"
            "\"/a,b.css\",1.5,false,\n"
            "\"/say \"\"hi\"\"\n.js\",,true,7\n");
  ExpectCsvMatchesJson(csv, resources);
}

TEST(ResourceCsv, RunWritesACsvBesideEachJson) {
  const fs::path out =
      fs::temp_directory_path() / ("waterfall-phases-csv-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const auto o =
      testing::Shell(std::string(WATERFALL_BINARY) + " run " + WATERFALL_SOURCE_DIR +
                     "/scenarios/seed-200ms.toml --mode h1 --mode h2 -q --out " + out.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  for (const char* mode : {"h1", "h2"}) {
    std::ifstream json_in(out / (std::string(mode) + ".json"));
    const nlohmann::ordered_json result = nlohmann::ordered_json::parse(json_in);
    std::ifstream csv_in(out / (std::string(mode) + ".csv"));
    std::stringstream csv;
    csv << csv_in.rdbuf();
    ExpectCsvMatchesJson(csv.str(), result.at("resources"));
  }
  fs::remove_all(out);
}

}  // namespace
}  // namespace waterfall
