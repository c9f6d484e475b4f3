// Hostile scenario files, as the fuzzer (fuzz/scenario_loader_fuzzer.cc) feeds them: each is
// refused with a ScenarioError naming the file and the key, never a crash, hang or other
// exception. Inputs the fuzzer found interesting are kept here byte for byte; the rest
// cover what tests/models/scenario/scenario_loader_test.cc does not (binary junk, odd bytes,
// numbers beyond int64 and double, the page-size limit, the fault and outage keys).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/scenario/scenario_loader.h"

namespace waterfall {
namespace {

using namespace std::string_literals;

constexpr const char* kFile = "fuzz.toml";

const std::string kDocument =
    "name = \"t\"\n[[resource]]\nurl = \"/index.html\"\ntype = \"document\"\nsize = 14000\n";

// The message of the ScenarioError that loading `text` throws; fails the test otherwise.
std::string ErrorOf(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    LoadScenarioText(text, kFile, overrides);
  } catch (const ScenarioError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(kFile, 0), 0u) << "message does not start with the file: " << message;
    return message;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected a ScenarioError, but it loaded";
  return "";
}

void ExpectMentions(const std::string& message, std::initializer_list<std::string> parts) {
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "[" << part << "] not in: " << message;
  }
}

// ---- Not TOML at all ------------------------------------------------------------------------

TEST(ScenarioFuzzRegressions, BinaryJunkIsATomlSyntaxError) {
  const std::string junk =
      "\x7f"
      "ELF\x02\x01\x01\x00\x00\x00\xff\xfe\x00\x01\x80\x90\xc3\x28"s;
  ExpectMentions(ErrorOf(junk), {"TOML syntax error"});
}

TEST(ScenarioFuzzRegressions, InvalidUtf8IsATomlSyntaxError) {
  ExpectMentions(ErrorOf("name = \"\xc3\x28\"\n"), {"fuzz.toml:1:", "TOML syntax error"});
}

TEST(ScenarioFuzzRegressions, NulByteInTheFileIsATomlSyntaxError) {
  ExpectMentions(ErrorOf("name = \"a\x00b\"\n"s), {"TOML syntax error"});
}

TEST(ScenarioFuzzRegressions, FileOfOnlyCommentsAndBlanksIsEmpty) {
  ExpectMentions(ErrorOf("# nothing\n\n   \n"), {"name: missing required key (the file is empty)"});
}

TEST(ScenarioFuzzRegressions, DeeplyNestedArraysDoNotOverflowTheStack) {
  // toml++ caps nesting; 100000 '[' must be a syntax error, not a stack overflow.
  ExpectMentions(ErrorOf("x = " + std::string(100000, '[')), {"TOML syntax error"});
}

TEST(ScenarioFuzzRegressions, DeeplyNestedInlineTablesDoNotOverflowTheStack) {
  std::string text = "x = ";
  for (int i = 0; i < 100000; ++i) text += "{a=";
  ExpectMentions(ErrorOf(text), {"TOML syntax error"});
}

TEST(ScenarioFuzzRegressions, EndlessFileIsRefusedAtTheSizeLimit) {
  // /dev/zero never ends: reading stops just past 64 MiB instead of exhausting memory.
  try {
    LoadScenarioFile("/dev/zero");
    ADD_FAILURE() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ExpectMentions(e.what(), {"/dev/zero: file is too large: more than 67108864 bytes"});
  }
}

// ---- Numbers at and beyond the edges --------------------------------------------------------

TEST(ScenarioFuzzRegressions, IntegerBeyondInt64IsASyntaxError) {
  ExpectMentions(ErrorOf("[network]\nrtt_ms = 99999999999999999999\n" + kDocument),
                 {"TOML syntax error"});
}

TEST(ScenarioFuzzRegressions, Int64ExtremesAreOutOfRange) {
  ExpectMentions(
      ErrorOf(kDocument + "[network]\nqueue_packets = -9223372036854775808\n"),
      {"network.queue_packets", "expected an integer in [1, 100000]", "got -9223372036854775808"});
  ExpectMentions(ErrorOf(kDocument + "[client]\ntimeout_ms = 9223372036854775807\n"),
                 {"client.timeout_ms", "expected a number in (0, 3600000]"});
}

TEST(ScenarioFuzzRegressions, FloatOverflowingToInfinityIsASyntaxError) {
  // toml++ refuses a float literal beyond double's range rather than making it inf.
  ExpectMentions(ErrorOf(kDocument + "[network]\nrtt_ms = 1e400\n"),
                 {"fuzz.toml:7:", "TOML syntax error", "'1e400' could not be interpreted"});
}

TEST(ScenarioFuzzRegressions, NegativeZeroAndSubnormalsAreOrdinaryNumbers) {
  const Scenario s =
      LoadScenarioText(kDocument + "[network]\nrtt_ms = -0.0\nloss_rate = 4.9e-324\n", kFile);
  EXPECT_EQ(s.network.rtt_ms, 0);
  EXPECT_GT(s.network.loss_rate, 0);
}

TEST(ScenarioFuzzRegressions, HexAndOctalIntegersAreRangeChecked) {
  ExpectMentions(ErrorOf(kDocument + "[network]\nmss = 0x7fffffff\n"),
                 {"network.mss", "expected an integer in [536, 9000]", "got 2147483647"});
}

// ---- Odd bytes in URLs and keys -------------------------------------------------------------

TEST(ScenarioFuzzRegressions, UrlWithEscapedNulIsRejectedAndQuotedSafely) {
  const std::string message =
      ErrorOf(kDocument +
              "[[resource]]\nurl = \"/a\\u0000b\"\ntype = \"image\"\nsize = 1\n"
              "parent = \"/index.html\"\n");
  ExpectMentions(message, {"resource[1].url", "ASCII control character at byte 2", "\\x00"});
  EXPECT_EQ(message.find('\0'), std::string::npos);
}

TEST(ScenarioFuzzRegressions, UrlWithNonAsciiBytesIsAccepted) {
  // UTF-8 paths are valid TOML strings; the simulator sends them as they are.
  const Scenario s = LoadScenarioText(
      kDocument +
          "[[resource]]\nurl = \"/caf\xc3\xa9/\xe2\x98\x83.png\"\ntype = \"image\"\n"
          "size = 1\nparent = \"/index.html\"\n",
      kFile);
  EXPECT_EQ(s.resources[1].url, "/caf\xc3\xa9/\xe2\x98\x83.png");
}

TEST(ScenarioFuzzRegressions, QuotedKeyWithControlCharacterIsQuotedInTheMessage) {
  const std::string message = ErrorOf(kDocument + "[network]\n\"rtt\\u0001ms\" = 5\n");
  ExpectMentions(message, {"network.\"rtt\\x01ms\": unknown key"});
}

TEST(ScenarioFuzzRegressions, VeryLongUnknownKeyIsReportedBriefly) {
  const std::string message =
      ErrorOf(kDocument + "[network]\n" + std::string(100000, 'r') + " = 5\n");
  ExpectMentions(message, {"unknown key"});
  EXPECT_LT(message.size(), 1000u + 100000u);
}

// ---- The page as a whole --------------------------------------------------------------------

TEST(ScenarioFuzzRegressions, PageOfMoreThanFourGibibytesIsRejectedBeforeSimulating) {
  // Five resources of 1 GiB each: every one is within its own limit, the page is not.
  std::string text =
      "name = \"huge\"\n[[resource]]\nurl = \"/\"\ntype = \"document\"\n"
      "size = 1073741824\n";
  for (int i = 1; i < 5; ++i) {
    text += "[[resource]]\nurl = \"/" + std::to_string(i) +
            "\"\ntype = \"image\"\nsize = 1073741824\nparent = \"/\"\n";
  }
  ExpectMentions(ErrorOf(text),
                 {"resource: the page is too large", "5368709120 bytes", "at most 4294967296"});
}

TEST(ScenarioFuzzRegressions, PageOfExactlyFourGibibytesLoads) {
  std::string text =
      "name = \"huge\"\n[[resource]]\nurl = \"/\"\ntype = \"document\"\n"
      "size = 1073741824\n";
  for (int i = 1; i < 4; ++i) {
    text += "[[resource]]\nurl = \"/" + std::to_string(i) +
            "\"\ntype = \"image\"\nsize = 1073741824\nparent = \"/\"\n";
  }
  EXPECT_EQ(LoadScenarioText(text, kFile).resources.size(), 4u);
}

// ---- Fault and outage keys ------------------------------------------------------------------

TEST(ScenarioFuzzRegressions, FaultKeysAreReadAndRangeChecked) {
  const std::string child =
      "[[resource]]\nurl = \"/a.js\"\ntype = \"script\"\nsize = 100\nparent = \"/index.html\"\n";
  const Scenario s =
      LoadScenarioText(kDocument + child + "fault = \"reset\"\nfault_after_bytes = 100\n", kFile);
  EXPECT_EQ(s.resources[1].fault, ServerFault::kReset);
  EXPECT_EQ(s.resources[1].fault_after_bytes, 100u);
  ExpectMentions(ErrorOf(kDocument + child + "fault = \"reset\"\nfault_after_bytes = 101\n"),
                 {"resource[1].fault_after_bytes (\"/a.js\")", "expected an integer in [0, 100]"});
  ExpectMentions(ErrorOf(kDocument + child + "fault_after_bytes = 5\n"),
                 {"resource[1].fault_after_bytes", "only allowed with fault = \"reset\""});
  ExpectMentions(ErrorOf(kDocument + child + "fault = \"rst\"\n"),
                 {"resource[1].fault",
                  "expected one of \"none\", \"reset\", \"goaway\", "
                  "\"no_response\", got \"rst\""});
}

TEST(ScenarioFuzzRegressions, OutageKeysAreRangeChecked) {
  const Scenario s =
      LoadScenarioText(kDocument + "[network]\noutage_start_ms = 300\noutage_ms = 1000\n", kFile);
  EXPECT_EQ(s.network.outage_start_ms, 300);
  EXPECT_EQ(s.network.outage_ms, 1000);
  ExpectMentions(ErrorOf(kDocument + "[network]\noutage_ms = -1\n"),
                 {"network.outage_ms", "expected a number in [0, 3600000], got -1"});
  ExpectMentions(ErrorOf(kDocument + "[network]\noutage_start_ms = nan\n"),
                 {"network.outage_start_ms", "expected a finite number"});
}

// ---- Overrides ------------------------------------------------------------------------------

TEST(ScenarioFuzzRegressions, OverrideValueThatIsHalfTomlBecomesAString) {
  // "1\n[x]" is two TOML statements, so it is taken as a plain string, and refused as one.
  ExpectMentions(ErrorOf(kDocument, {ParseOverride("network.rtt_ms=1\n[x]")}),
                 {"network.rtt_ms", "got a string", "(from --set network.rtt_ms="});
}

TEST(ScenarioFuzzRegressions, OverrideOfResourceUrlWithBracketsAndDotsEndsAtTheLastBracketDot) {
  // The URL is everything up to the last "].", so URLs may themselves contain "]." .
  ExpectMentions(ErrorOf(kDocument, {ParseOverride("resource[/a].b]].c].size=1")}),
                 {"resource[/a].b]].c].size: no resource has url \"/a].b]].c\""});
}

TEST(ScenarioFuzzRegressions, OverrideWithBinaryKeyIsMalformed) {
  try {
    ParseOverride("net\x01work=5");
    ADD_FAILURE() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ExpectMentions(e.what(), {"malformed key"});
  }
}

TEST(ScenarioFuzzRegressions, OverrideReplacingTheResourceArrayIsValidated) {
  ExpectMentions(ErrorOf(kDocument, {ParseOverride("resource=5")}),
                 {"resource: expected an array of tables ([[resource]]), got an integer (5)"});
}

}  // namespace
}  // namespace waterfall
