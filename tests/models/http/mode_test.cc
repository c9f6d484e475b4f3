// The modes are one table whose rows are points of HTTP version x security x server strategy:
// every name is spelled from its parts and read back into them, today's four modes are the
// default set in their old order, and h1-hints is offered but runs only when named.
#include "models/http/mode.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "models/browser/browser_policy.h"
#include "models/page/scenario.h"

namespace waterfall {
namespace {

TEST(ModeTable, EveryRowsNameReadsBackAsItsVersionSecurityAndStrategy) {
  for (const ModeSpec& m : AllModes()) {
    const std::optional<ModeKey> parsed = ParseModeName(m.name);
    ASSERT_TRUE(parsed.has_value()) << m.name;
    EXPECT_TRUE(*parsed == m.key()) << m.name;
    EXPECT_EQ(parsed->Name(), m.name);
    EXPECT_EQ(FindMode(m.name), &m);
  }
}

TEST(ModeTable, NoTwoRowsAreTheSamePointOfTheProduct) {
  std::set<std::string> names;
  for (const ModeSpec& m : AllModes()) EXPECT_TRUE(names.insert(m.name).second) << m.name;
}

TEST(ModeTable, HttpOneOneRowsNeverPush) {
  for (const ModeSpec& m : AllModes()) {
    if (m.version == HttpVersion::kHttp11) {
      EXPECT_FALSE(m.pushes()) << m.name;
    }
  }
}

TEST(ModeTable, TodaysFourModesAreTheDefaultSetInTheirOrder) {
  EXPECT_EQ(DefaultModeNames(), "h1, h2, h2-push, h2-hints");
  ASSERT_EQ(DefaultModes().size(), 4u);
  for (size_t i = 0; i < DefaultModes().size(); ++i) {
    EXPECT_EQ(DefaultModes()[i], &AllModes()[i]) << "the default rows come first, in order";
  }
  const ModeSpec& push = *FindMode("h2-push");
  EXPECT_EQ(push.version, HttpVersion::kHttp2);
  EXPECT_EQ(push.strategy, ServerStrategy::kPush);
  const ModeSpec& hints = *FindMode("h2-hints");
  EXPECT_EQ(hints.version, HttpVersion::kHttp2);
  EXPECT_EQ(hints.strategy, ServerStrategy::kHints);
}

TEST(ModeTable, H1HintsIsOfferedAndNamedInMessagesButNotRunByDefault) {
  const ModeSpec* m = FindMode("h1-hints");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->version, HttpVersion::kHttp11);
  EXPECT_EQ(m->security, Security::kCleartext);
  EXPECT_TRUE(m->sends_early_hints());
  EXPECT_FALSE(m->by_default);
  EXPECT_EQ(ModeNames(), "h1, h2, h2-push, h2-hints, h1-hints");
}

TEST(ModeTable, NamesNotSpelledFromTheProductDoNotParse) {
  for (const char* name : {"", "h3", "H2", "h2-", "h2push", "-push", "h2-push-hints",
                           "h2-hints-push", "h2-push ", "h1--hints", "h1-hints-"}) {
    EXPECT_FALSE(ParseModeName(name).has_value()) << '"' << name << '"';
    EXPECT_EQ(FindMode(name), nullptr) << '"' << name << '"';
  }
}

TEST(ModeTable, AWellSpelledPointThatIsNoRowParsesButIsNotOffered) {
  // HTTP/1.1 cannot push: the name is spelled from the product, but no row offers it.
  const std::optional<ModeKey> h1_push = ParseModeName("h1-push");
  ASSERT_TRUE(h1_push.has_value());
  EXPECT_EQ(h1_push->version, HttpVersion::kHttp11);
  EXPECT_EQ(h1_push->strategy, ServerStrategy::kPush);
  EXPECT_EQ(FindMode("h1-push"), nullptr);
}

TEST(BrowserPolicy, ActsOnEarlyHintsOverHttp2AndOverHttp11OnlyWhenTheClientSaysSo) {
  Scenario chrome;  // client.h1_early_hints = false, as Chrome
  Scenario opted_in;
  opted_in.client.h1_early_hints = true;
  for (const ModeSpec& m : AllModes()) {
    const bool h2 = m.version == HttpVersion::kHttp2;
    EXPECT_EQ(MakeBrowserPolicy(m, chrome).act_on_early_hints, h2) << m.name;
    EXPECT_TRUE(MakeBrowserPolicy(m, opted_in).act_on_early_hints) << m.name;
  }
}

}  // namespace
}  // namespace waterfall
