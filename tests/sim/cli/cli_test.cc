// The command line as a user meets it: bad scenarios are refused with a message naming the
// file, the key and the problem, exit status 2 and no result file; good ones write results,
// and --pcap captures frames that tshark decodes as real HTTP/2.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace {

using waterfall::testing::Outcome;
using waterfall::testing::Shell;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("waterfall-cli-" + std::to_string(::getpid()) + "-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  Outcome Run(const std::string& args) {
    return Shell(std::string(WATERFALL_BINARY) + " run " + args + " --out " +
                 (dir_ / "out").string());
  }
  bool OutputDirEmpty() const { return !fs::exists(dir_ / "out") || fs::is_empty(dir_ / "out"); }
  nlohmann::ordered_json Result(const std::string& mode) const {
    std::ifstream in(dir_ / "out" / (mode + ".json"));
    return nlohmann::ordered_json::parse(in);
  }

  fs::path dir_;
};

const char* kGoodPage = R"(
name = "cli"
[network]
rtt_ms = 20
bandwidth_mbps = 50
[[resource]]
url = "/index.html"
type = "document"
size = 3000
[[resource]]
url = "/a.css"
type = "style"
size = 5000
parent = "/index.html"
)";

struct BadCase {
  const char* name;
  std::string toml;
  std::vector<std::string> expected_in_message;  // besides the file name
};

// What ctest and gtest print for a case: its name, not a dump of the struct's bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadScenario : public Cli, public ::testing::WithParamInterface<BadCase> {};

TEST_P(BadScenario, IsRefusedWithFileKeyAndProblemAndWritesNothing) {
  const BadCase& c = GetParam();
  const std::string path = Write(std::string(c.name) + ".toml", c.toml);
  Outcome o = Run(path + " --mode h2");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find(path), std::string::npos) << o.output;
  for (const std::string& s : c.expected_in_message) {
    EXPECT_NE(o.output.find(s), std::string::npos) << "missing '" << s << "' in: " << o.output;
  }
  EXPECT_TRUE(OutputDirEmpty());
}

std::string Page(const std::string& extra_resources, const std::string& network = "rtt_ms = 20") {
  return "name = \"bad\"\n[network]\n" + network +
         "\n[[resource]]\nurl = \"/index.html\"\ntype = \"document\"\nsize = 1000\n" +
         extra_resources;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadScenario,
    ::testing::Values(
        BadCase{"unknown_key", Page("", "rtt_ms = 20\nrtt = 5"), {"network.rtt", "unknown key"}},
        BadCase{"wrong_type", Page("", "rtt_ms = \"fast\""), {"network.rtt_ms"}},
        BadCase{"negative_size",
                Page("[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = -1\nparent = "
                     "\"/index.html\"\n"),
                {"size", "-1"}},
        BadCase{"missing_parent",
                Page("[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = 1\nparent = "
                     "\"/nope.html\"\n"),
                {"parent", "/nope.html"}},
        BadCase{
            "cycle",
            Page(
                "[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = 1\nparent = \"/b.js\"\n"
                "[[resource]]\nurl = \"/b.js\"\ntype = \"script\"\nsize = 1\nparent = \"/a.js\"\n"),
            {"cycle", "/a.js", "/b.js"}},
        BadCase{"two_documents",
                Page("[[resource]]\nurl = \"/other.html\"\ntype = \"document\"\nsize = 1\n"),
                {"document"}},
        BadCase{"broken_toml", "name = \"x\"\n[network\nrtt_ms = 1\n", {}}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST_F(Cli, MissingFileIsABadInputNotACrash) {
  Outcome o = Run((dir_ / "nope.toml").string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("nope.toml"), std::string::npos) << o.output;
  EXPECT_TRUE(OutputDirEmpty());
}

TEST_F(Cli, UnknownModeIsRefusedBeforeAnythingRuns) {
  Outcome o = Run(Write("good.toml", kGoodPage) + " --mode h3");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("h3"), std::string::npos) << o.output;
  EXPECT_TRUE(OutputDirEmpty());
}

TEST_F(Cli, APageWithAResetResourceExitsThreeAndSaysSo) {
  Outcome o = Run(Write("good.toml", kGoodPage) +
                  " --mode h2 --mode h1 --set 'resource[/a.css].fault=\"reset\"'"
                  " --set 'resource[/a.css].fault_after_bytes=1000'");
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_NE(o.output.find("(1 resource reset or blocked)"), std::string::npos) << o.output;
  EXPECT_TRUE(fs::exists(dir_ / "out" / "h2.json")) << "results are still written";
}

TEST_F(Cli, ThinkTimeBeyondTheTimeoutIsWarnedOnStderrBeforeRunning) {
  const std::string page = Write("good.toml", kGoodPage);
  const std::string warning = "waterfall: warning: " + page +
                              ": server.think_ms = 500 is not less than client.timeout_ms = 400: "
                              "the document cannot arrive in time, so the run will time out\n";
  // stderr alone (stdout to /dev/null), even with -q; the run then times out as foretold.
  const std::string args = page + " --mode h2 -q --set server.think_ms=500" +
                           " --set client.timeout_ms=400 --out " + (dir_ / "out").string();
  const Outcome o =
      Shell("{ " + std::string(WATERFALL_BINARY) + " run " + args + " 2>&1 >/dev/null; }");
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_EQ(o.output, warning);
  // Before the run: ahead of the table on a terminal-like combined stream.
  const Outcome loud =
      Run(page + " --mode h2 --set server.think_ms=500 --set client.timeout_ms=400");
  EXPECT_EQ(loud.output.rfind(warning, 0), 0u) << loud.output;
  // A sweep warns once, for its base.
  const std::string sweep = Write("sweep.toml",
                                  "base = \"good.toml\"\nmodes = [\"h2\", \"h1\"]\n"
                                  "[set]\n\"server.think_ms\" = 500\n"
                                  "\"client.timeout_ms\" = 400\n");
  const Outcome swept =
      Shell("{ " + std::string(WATERFALL_BINARY) + " sweep " + sweep + " -q -j 1 --out " +
            (dir_ / "sweep").string() + " 2>&1 >/dev/null; }");
  EXPECT_EQ(swept.exit_code, 3) << swept.output;
  EXPECT_EQ(swept.output, "waterfall: warning: " + (dir_ / "good.toml").string() +
                              ": server.think_ms = 500 is not less than client.timeout_ms = 400: "
                              "the document cannot arrive in time, so the run will time out (the "
                              "sweep's base, before its axes)\n"
                              "waterfall: 2 of 2 runs hit client.timeout_ms (status timeout)\n");
}

TEST_F(Cli, SetOverridesAKeyAndTheResultShowsTheEffectiveValue) {
  Outcome o = Run(Write("good.toml", kGoodPage) + " --mode h2 --set network.rtt_ms=150 -q");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  std::ifstream in(dir_ / "out" / "h2.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("\"rtt_ms\": 150"), std::string::npos);
}

TEST_F(Cli, PcapOfH2DecodesAsRealHeadersAndDataFrames) {
  if (Shell("command -v tshark").exit_code != 0) GTEST_SKIP() << "tshark not installed";
  Outcome o = Run(Write("good.toml", kGoodPage) + " --mode h2 --pcap -q");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const fs::path pcap = dir_ / "out" / "h2-0-0.pcap";
  ASSERT_TRUE(fs::exists(pcap));
  Outcome decoded =
      Shell("tshark -r " + pcap.string() +
            " -d tcp.port==80,http2 -Y http2 -T fields -e http2.type -e http2.header.value");
  ASSERT_EQ(decoded.exit_code, 0) << decoded.output;
  // http2.type: 1 = HEADERS, 0 = DATA (RFC 9113 6.1, 6.2).
  EXPECT_NE(decoded.output.find("/a.css"), std::string::npos) << decoded.output;
  EXPECT_NE(decoded.output.find("200"), std::string::npos) << decoded.output;
  Outcome data =
      Shell("tshark -r " + pcap.string() + " -d tcp.port==80,http2 -Y 'http2.type == 0' | wc -l");
  EXPECT_GT(std::stoi(data.output), 0) << data.output;
}

TEST_F(Cli, PcapsShowPushPromisesEarlyHintsAndHttp11OnTheWire) {
  if (Shell("command -v tshark").exit_code != 0) GTEST_SKIP() << "tshark not installed";
  Outcome o = Run(Write("good.toml", kGoodPage) + " --pcap -q");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  auto decode = [&](const std::string& mode, const std::string& filter) {
    const std::string pcap = (dir_ / "out" / (mode + "-0-0.pcap")).string();
    return Shell("(tshark -r " + pcap + " -d tcp.port==80," + (mode == "h1" ? "http" : "http2") +
                 " -Y '" + filter + "' -T fields -e frame.number 2>/dev/null)")
        .output;
  };
  // PUSH_PROMISE is frame type 5 (RFC 9113 6.6).
  EXPECT_FALSE(decode("h2-push", "http2.type == 5").empty());
  EXPECT_TRUE(decode("h2", "http2.type == 5").empty());
  // The 103 travels in a HEADERS frame before the 200's.
  const std::string hint = decode("h2-hints", "http2.header.value == \"103\"");
  const std::string ok = decode("h2-hints", "http2.header.value == \"200\"");
  ASSERT_FALSE(hint.empty());
  ASSERT_FALSE(ok.empty());
  EXPECT_LE(std::stoi(hint), std::stoi(ok));
  // h1: real HTTP/1.1 requests and responses.
  EXPECT_FALSE(decode("h1", "http.request.method == \"GET\"").empty());
  EXPECT_FALSE(decode("h1", "http.response.code == 200").empty());
}

// ---- Command-line mistakes: one line naming the argument and the problem, exit 2 ----------

TEST_F(Cli, AModeGivenTwiceIsRefusedInsteadOfRunTwice) {
  Outcome o = Run(Write("good.toml", kGoodPage) + " --mode h2 --mode h1 --mode h2");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("waterfall: --mode h2 given twice"), std::string::npos) << o.output;
  EXPECT_TRUE(OutputDirEmpty());
}

TEST_F(Cli, ASeedThatIsNotAnIntegerIsRefusedWithTheRange) {
  const std::string page = Write("good.toml", kGoodPage);
  for (const std::string seed : {"abc", "1.5", "-1", "0", "4294967296", "99999999999999999999"}) {
    Outcome o = Run(page + " --mode h2 --seed " + seed);
    EXPECT_EQ(o.exit_code, 2) << seed << ": " << o.output;
    EXPECT_NE(o.output.find("waterfall: --seed: expected an integer in [1, 4294967295], got " +
                            seed + "\n"),
              std::string::npos)
        << o.output;
    EXPECT_TRUE(OutputDirEmpty());
  }
  EXPECT_EQ(Run(page + " --mode h2 -q --seed 4294967295").exit_code, 0);
}

TEST_F(Cli, SiteWritesThePagesFilesAnApacheConfigPerModeAndTheTlsFiles) {
  const std::string site = (dir_ / "site").string();
  Outcome o = Shell(std::string(WATERFALL_BINARY) + " site " + WATERFALL_SOURCE_DIR +
                    "/scenarios/seed-200ms.toml " + site + " -q");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  // scenarios/seed-200ms.toml: four resources of 14000, 30000, 20000 and 50000 bytes.
  for (const char* scheme : {"http", "https"}) {
    const fs::path www = fs::path(site) / "www" / scheme / "waterfall.test";
    EXPECT_EQ(fs::file_size(www / "index.html"), 14000u);
    EXPECT_EQ(fs::file_size(www / "style.css"), 30000u);
    EXPECT_EQ(fs::file_size(www / "logo.png"), 20000u);
    EXPECT_EQ(fs::file_size(www / "script.js"), 50000u);
  }
  for (const char* mode : {"h1", "h1-tls", "h2", "h2-hints"})
    EXPECT_TRUE(fs::exists(fs::path(site) / ("apache-" + std::string(mode) + ".conf"))) << mode;
  std::ifstream hints(fs::path(site) / "apache-h2-hints.conf");
  const std::string conf((std::istreambuf_iterator<char>(hints)), {});
  // server.hints of the seed page: style.css, script.js, logo.png, each with its destination.
  EXPECT_NE(conf.find("H2EarlyHint Link \"</style.css>; rel=preload; as=style\""),
            std::string::npos);
  EXPECT_NE(conf.find("H2EarlyHint Link \"</logo.png>; rel=preload; as=image\""),
            std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(site) / "tls" / "key.pem"));
  std::ifstream json_in(fs::path(site) / "site.json");
  nlohmann::json j = nlohmann::json::parse(json_in);
  EXPECT_EQ(j["spki_sha256"].get<std::string>().size(), 44u);  // base64 of 32 bytes
  EXPECT_EQ(j["files"].size(), 4u);
  o = Shell(std::string(WATERFALL_BINARY) + " site " + (dir_ / "missing.toml").string() + " " +
            site);
  EXPECT_EQ(o.exit_code, 2) << o.output;
}

TEST_F(Cli, AMisspelledCommandGetsTheClosestOneSuggested) {
  const std::string bin = WATERFALL_BINARY;
  Outcome o = Shell(bin + " rnu x.toml");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("waterfall: unknown command 'rnu'; did you mean 'run'?"),
            std::string::npos)
      << o.output;
  o = Shell(bin + " swep x.toml");
  EXPECT_NE(o.output.find("did you mean 'sweep'?"), std::string::npos) << o.output;
  o = Shell(bin + " plot x.toml");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(
      o.output.find("unknown command 'plot' (commands: run, sweep, import, site, exit-codes)"),
      std::string::npos)
      << o.output;
}

// ---- Exit statuses: README's table is the program's ----------------------------------------

std::vector<std::pair<int, std::string>> ReadmeExitCodes() {
  std::ifstream in(std::string(WATERFALL_SOURCE_DIR) + "/README.md");
  std::string line;
  bool in_section = false;
  bool in_table = false;
  std::vector<std::pair<int, std::string>> rows;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Command line";
    if (!in_section) continue;
    if (line.rfind("| exit status | meaning |", 0) == 0) in_table = true;
    if (!in_table) continue;
    if (line.empty()) break;
    // "| 3 | meaning |": a code column of digits, then the meaning, trimmed.
    if (line.size() < 2 || line.front() != '|' || line.back() != '|') continue;
    const size_t bar = line.find('|', 1);
    if (bar == std::string::npos || bar == line.size() - 1) continue;
    auto trim = [](std::string t) {
      t.erase(0, t.find_first_not_of(' '));
      t.erase(t.find_last_not_of(' ') + 1);
      return t;
    };
    const std::string code = trim(line.substr(1, bar - 1));
    const std::string meaning = trim(line.substr(bar + 1, line.size() - bar - 2));
    if (code.empty() || code.find_first_not_of("0123456789") != std::string::npos) continue;
    rows.emplace_back(std::stoi(code), meaning);
  }
  return rows;
}

TEST(ExitCodes, ReadmeTableListsExactlyTheProgramsCodesAndMeanings) {
  Outcome o = Shell(std::string(WATERFALL_BINARY) + " exit-codes");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  std::vector<std::pair<int, std::string>> program;
  std::istringstream lines(o.output);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    program.emplace_back(std::stoi(line.substr(0, tab)), line.substr(tab + 1));
  }
  // Every status the program can return, not only those someone remembered to document.
  ASSERT_EQ(program.size(), 6u) << o.output;
  EXPECT_EQ(ReadmeExitCodes(), program) << "README.md, \"Command line\": the exit status table";
}

TEST_F(Cli, AResetResourceExitsWithTheCodeTheTableGivesIt) {
  // Exit 3 is documented as covering reset and blocked resources, not only timeouts.
  std::string meaning;
  for (const auto& [code, text] : ReadmeExitCodes()) {
    if (code == 3) meaning = text;
  }
  EXPECT_NE(meaning.find("reset or blocked"), std::string::npos) << meaning;
  Outcome o =
      Run(Write("good.toml", kGoodPage) + " --mode h2 -q --set 'resource[/a.css].fault=\"reset\"'");
  EXPECT_EQ(o.exit_code, 3) << o.output;
}

// ---- Results say what they were run with; run warns of other runs' files left in DIR ------

std::string Fnv1a64Hex(const std::string& bytes) {  // the published algorithm, independently
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

TEST_F(Cli, ResultRecordsTheOverridesAndTheScenarioFilesHash) {
  const std::string page = Write("good.toml", kGoodPage);
  Outcome o =
      Run(page + " --mode h2 -q --set network.rtt_ms=150 --set 'client.cache=[\"/a.css\"]'");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const nlohmann::ordered_json j = Result("h2");
  ASSERT_TRUE(j.contains("run")) << j.dump(2);
  EXPECT_EQ(j["run"]["overrides"],
            nlohmann::ordered_json::array({"network.rtt_ms=150", "client.cache=[\"/a.css\"]"}));
  EXPECT_EQ(j["run"]["scenario_fnv1a"], Fnv1a64Hex(kGoodPage));
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"scenario", "mode", "seed", "run", "network", "metrics",
                                            "timed_out", "resources", "origins", "preconnects"}));
}

TEST_F(Cli, RerunningOneModeWithOtherSettingsWarnsOfTheOlderModeFilesAndKeepsThem) {
  const std::string page = Write("good.toml", kGoodPage);
  ASSERT_EQ(Run(page + " --mode h1 --mode h2 --mode h2-push -q").exit_code, 0);
  Outcome o = Run(page + " --mode h2 -q --set network.rtt_ms=300");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(
      o.output.find("waterfall: warning: " + (dir_ / "out").string() +
                    " also holds h1.json, h1.csv, h2-push.json, h2-push.csv from a run with other"),
      std::string::npos)
      << o.output;
  EXPECT_TRUE(fs::exists(dir_ / "out" / "h1.json"));
  EXPECT_TRUE(fs::exists(dir_ / "out" / "h1.csv"));
  // The same settings as the older files again: nothing to warn of.
  o = Run(page + " --mode h2 -q");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(o.output.find("warning"), std::string::npos) << o.output;
  // Another seed differs too.
  o = Run(page + " --mode h2 -q --seed 2");
  EXPECT_NE(o.output.find("also holds h1.json, h1.csv, h2-push.json"), std::string::npos)
      << o.output;
}

// ---- Modes: the default set, and a mode that runs only when named ------------------------

TEST_F(Cli, RunWithoutModeWritesTheFourDefaultModesAndH1HintsOnlyWhenNamed) {
  const std::string page = Write("good.toml", kGoodPage);
  Outcome o = Run(page + " -q");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  std::vector<std::string> written;
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    if (e.path().extension() == ".json") written.push_back(e.path().stem().string());
  }
  std::sort(written.begin(), written.end());
  EXPECT_EQ(written, (std::vector<std::string>{"h1", "h2", "h2-hints", "h2-push"}));

  o = Run(page + " --mode h1-hints -q --pcap");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(Result("h1-hints")["mode"], "h1-hints");
  if (Shell("command -v tshark").exit_code != 0) GTEST_SKIP() << "tshark not installed";
  // The 103 goes out over HTTP/1.1, in the first response packet before the 200.
  const std::string pcap = (dir_ / "out" / "h1-hints-0-0.pcap").string();
  const Outcome codes = Shell("tshark -r " + pcap +
                              " -d tcp.port==80,http -Y http.response -T fields "
                              "-e http.response.code 2>/dev/null | head -2 | tr '\\n' ' '");
  EXPECT_EQ(codes.output.substr(0, 4), "103 ") << codes.output;
}

TEST_F(Cli, AnUnknownModeIsAnsweredWithEveryModeOnOffer) {
  Outcome o = Run(Write("good.toml", kGoodPage) + " --mode h1-push");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("unknown mode (modes: h1, h2, h2-push, h2-hints, h1-hints)"),
            std::string::npos)
      << o.output;
  EXPECT_TRUE(OutputDirEmpty());
}

}  // namespace
