// Chrome's request priorities on the simulated wire: a page loaded in h2 mode with a capture,
// and tshark's reading of the client's HEADERS frames: the RFC 7540 priority fields (Chrome's
// exclusive dependency chain, models/http/h2/http2_priority_dependencies.h) and, with
// client.priority_header, RFC 9218's `priority` header field. Skipped without tshark.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "models/http/mode.h"
#include "sim/run/run.h"
#include "tests/support/page_builder.h"
#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace waterfall {
namespace {

using testing::Add;
using testing::FastLink;

// The document, then four children referenced at its end, requested in this order on one
// HTTP/2 connection: stream 1 the document (Blink VeryHigh -> HIGHEST), 3 style.css (VeryHigh
// -> HIGHEST), 5 app.js (High -> MEDIUM), 7 hero.jpg (Low -> LOWEST, incremental), 9 /api, a
// fetch (High -> MEDIUM, incremental).
Scenario Page() {
  Scenario s = FastLink(40);
  Add(s, "/index.html", ResourceType::kDocument, 1000);
  Add(s, "/style.css", ResourceType::kStyle, 1000, "/index.html");
  Add(s, "/app.js", ResourceType::kScript, 1000, "/index.html");
  Add(s, "/hero.jpg", ResourceType::kImage, 1000, "/index.html");
  Add(s, "/api", ResourceType::kOther, 1000, "/index.html");
  return s;
}

// Splits tshark's field output (one line per packet; a field repeated in a packet, as several
// HEADERS frames in one segment, joined by '|', -E aggregator) into one row per occurrence.
// drop_stream_zero: leave out the first column's "0" values (frames on stream 0).
std::vector<std::vector<std::string>> Rows(const std::string& output, size_t fields,
                                           bool drop_stream_zero = false) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::vector<std::string>> columns;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, '\t')) {
      std::vector<std::string> values;
      std::istringstream parts(cell);
      std::string v;
      while (std::getline(parts, v, '|')) {
        if (!(drop_stream_zero && columns.empty() && v == "0")) values.push_back(v);
      }
      columns.push_back(values);
    }
    if (columns.size() != fields) continue;
    for (size_t i = 0; i < columns[0].size(); ++i) {
      std::vector<std::string> row;
      for (const auto& c : columns) row.push_back(i < c.size() ? c[i] : "");
      rows.push_back(row);
    }
  }
  return rows;
}

class PriorityOnTheWire : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::Shell("command -v tshark").exit_code != 0) {
      GTEST_SKIP() << "tshark not installed (scripts/setup-deps installs it)";
    }
    dir_ = fs::temp_directory_path() / ("waterfall-priority-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // Loads s in h2 mode with a capture; tshark's fields of the client's HEADERS frames.
  std::string Capture(const Scenario& s, const std::string& name, const std::string& fields) {
    RunOptions options;
    options.pcap_prefix = (dir_ / name).string();
    RunPageLoad(s, *FindMode("h2"), options);
    const testing::Outcome o =
        testing::Shell("(tshark -r " + (dir_ / (name + "-0-0.pcap")).string() +
                       " -d tcp.port==80,http2 -Y 'http2.type == 1 && tcp.dstport == 80' -T fields"
                       " -E aggregator='|' " +
                       fields + " 2>/dev/null)");
    EXPECT_EQ(o.exit_code, 0) << o.output;
    return o.output;
  }
  fs::path dir_;
};

TEST_F(PriorityOnTheWire, HeadersFramesCarryChromesExclusiveChain) {
  const std::string out = Capture(Page(), "rfc7540",
                                  "-e http2.streamid -e http2.exclusive -e http2.stream_dependency "
                                  "-e http2.headers.weight");
  // http2.streamid is every frame's, the others only a HEADERS frame's: the connection's
  // first segment also holds the SETTINGS and WINDOW_UPDATE frames (stream 0) before
  // HEADERS 1. Stream 0's ids are dropped to line the columns up.
  std::map<std::string, std::vector<std::string>> by_stream;
  for (const auto& row : Rows(out, 4, /*drop_stream_zero=*/true)) {
    by_stream[row[0]] = {row[1], row[2], row[3]};
  }
  ASSERT_EQ(by_stream.size(), 5u) << out;
  // tshark shows the weight as on the wire, one less than the weight (RFC 7540 6.2): 256 is
  // 255, 220 is 219, 147 is 146. Exclusive on every one.
  // 1, the document, HIGHEST: nothing open, under the root.
  EXPECT_EQ(by_stream["1"], (std::vector<std::string>{"1", "0", "255"})) << out;
  // 3 style.css, HIGHEST: referenced at the document's end, it is discovered when the
  // document completes, i.e. when nghttp2 closes stream 1, which has left the chain then
  // (as in Chrome, whose session closes the stream before the renderer reads the end): no
  // open stream, under the root.
  EXPECT_EQ(by_stream["3"], (std::vector<std::string>{"1", "0", "255"})) << out;
  // 5 app.js, MEDIUM: no MEDIUM yet; the newest HIGHEST is 3.
  EXPECT_EQ(by_stream["5"], (std::vector<std::string>{"1", "3", "219"})) << out;
  // 7 hero.jpg, LOWEST: no LOWEST or LOW; the newest MEDIUM is 5.
  EXPECT_EQ(by_stream["7"], (std::vector<std::string>{"1", "5", "146"})) << out;
  // 9 /api, MEDIUM: the newest MEDIUM is 5 (exclusive: 7 moves under 9).
  EXPECT_EQ(by_stream["9"], (std::vector<std::string>{"1", "5", "219"})) << out;
}

TEST_F(PriorityOnTheWire, ThePriorityHeaderFieldWhenAsked) {
  Scenario s = Page();
  s.client.priority_header = true;
  const std::string out = Capture(s, "rfc9218", "-e http2.header.name -e http2.header.value");
  // Every header field of the client's HEADERS frames, in order; the `priority` ones.
  std::vector<std::string> values;
  for (const auto& row : Rows(out, 2)) {
    if (row[0] == "priority") values.push_back(row[1]);
  }
  // 1 HIGHEST "u=0"; 3 HIGHEST "u=0"; 5 MEDIUM "u=1"; 7 LOWEST incremental "i" (u=3 is the
  // default); 9 MEDIUM incremental "u=1, i".
  EXPECT_EQ(values, (std::vector<std::string>{"u=0", "u=0", "u=1", "i", "u=1, i"})) << out;

  // Without it, no `priority` field at all.
  const std::string plain = Capture(Page(), "plain", "-e http2.header.name");
  EXPECT_EQ(plain.find("priority"), std::string::npos) << plain;
}

}  // namespace
}  // namespace waterfall
