// A RunResult owns what it reports: it stays whole after the Scenario it was run from is gone.
#include <gtest/gtest.h>

#include <memory>

#include "models/http/mode.h"
#include "sim/run/run.h"
#include "tests/support/page_builder.h"

namespace waterfall {
namespace {

TEST(RunResult, OutlivesItsScenario) {
  for (const char* mode : {"h1", "h2"}) {
    RunResult result;
    {
      auto scenario = std::make_unique<Scenario>(testing::Chain(3, 1000, 10));
      scenario->resources[2].render_blocking = true;
      result = RunPageLoad(*scenario, *FindMode(mode), RunOptions{});
      // Scribble over the scenario before it goes: a result that still pointed into it
      // would read these (or freed memory) below.
      for (Resource& r : scenario->resources) {
        r.url = "/scribbled";
        r.parent = "/scribbled";
        r.size_bytes = 7;
        r.type = ResourceType::kFont;
        r.render_blocking = false;
      }
    }
    ASSERT_EQ(result.timings.size(), 3u) << mode;
    const ResourceTiming& doc = result.timings[0];
    EXPECT_EQ(doc.url.ToString(), "http://waterfall.test/index.html") << mode;
    EXPECT_EQ(doc.type, ResourceType::kDocument) << mode;
    EXPECT_EQ(doc.size_bytes, 1000u) << mode;
    EXPECT_FALSE(doc.parent) << mode;
    const ResourceTiming& r2 = result.timings[2];
    EXPECT_EQ(r2.url.path, "/r2") << mode;
    ASSERT_TRUE(r2.parent) << mode;
    EXPECT_EQ(r2.parent->path, "/r1") << mode;
    EXPECT_EQ(r2.type, ResourceType::kScript) << mode;
    EXPECT_TRUE(r2.render_blocking) << mode;
    EXPECT_EQ(r2.body_bytes, 1000u) << mode;
    EXPECT_EQ(r2.status, ResourceStatus::kComplete) << mode;
    EXPECT_EQ(result.IncompleteResources(), 0u) << mode;
  }
}

}  // namespace
}  // namespace waterfall
