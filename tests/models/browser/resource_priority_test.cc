// Chrome's priority table (models/browser/resource_priority.h): every row, the `priority` key
// that overrides it, the render-blocking raise, Blink -> net, and incremental.
#include "models/browser/resource_priority.h"

#include <gtest/gtest.h>

namespace waterfall {
namespace {

Resource Of(ResourceType type) {
  Resource r;
  r.url = "/x";
  r.type = type;
  r.parent = "/";
  return r;
}

Resource Script(bool blocking, bool defer, bool async) {
  Resource r = Of(ResourceType::kScript);
  r.blocking = blocking;
  r.defer = defer;
  r.async = async;
  return r;
}

const PriorityContext kParser{};                       // found by the parser
const PriorityContext kEarlyScan{true, false};         // preload scanner, before any image
const PriorityContext kLateScan{true, true};           // preload scanner, after an image
const PriorityContext kParserAfterImage{false, true};  // the parser, after an image

TEST(ChromeLoadPriority, TypesAsBlinksTypeToPriority) {
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kDocument), kParser), LoadPriority::kVeryHigh);
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kStyle), kParser), LoadPriority::kVeryHigh);
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kFont), kParser), LoadPriority::kVeryHigh);
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kScript), kParser), LoadPriority::kHigh);
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kOther), kParser), LoadPriority::kHigh);
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kImage), kParser), LoadPriority::kLow);
}

TEST(ChromeLoadPriority, ParserBlockingScriptIsVeryHighAsTheIssueSays) {
  // Chrome leaves it High; the project's table raises it.
  EXPECT_EQ(ChromeLoadPriority(Script(true, false, false), kParser), LoadPriority::kVeryHigh);
  EXPECT_EQ(ChromeLoadPriority(Script(true, false, false), kEarlyScan), LoadPriority::kVeryHigh);
}

TEST(ChromeLoadPriority, AsyncAndDeferScriptsAreLow) {
  EXPECT_EQ(ChromeLoadPriority(Script(false, true, false), kParser), LoadPriority::kLow);
  EXPECT_EQ(ChromeLoadPriority(Script(false, false, true), kParser), LoadPriority::kLow);
  // Low wherever they are found (Blink checks kLazyLoad before "late").
  EXPECT_EQ(ChromeLoadPriority(Script(false, true, false), kLateScan), LoadPriority::kLow);
  EXPECT_EQ(ChromeLoadPriority(Script(false, false, true), kLateScan), LoadPriority::kLow);
}

TEST(ChromeLoadPriority, ScriptsThePreloadScannerFindsLateAreMedium) {
  EXPECT_EQ(ChromeLoadPriority(Script(false, false, false), kLateScan), LoadPriority::kMedium);
  // A late parser-blocking script too: Blink's "late in document" rule is for every
  // non-async script.
  EXPECT_EQ(ChromeLoadPriority(Script(true, false, false), kLateScan), LoadPriority::kMedium);
  // Only the preload scanner's: the parser's own request after an image stays High.
  EXPECT_EQ(ChromeLoadPriority(Script(false, false, false), kParserAfterImage),
            LoadPriority::kHigh);
  // Early in the document (before any image): High.
  EXPECT_EQ(ChromeLoadPriority(Script(false, false, false), kEarlyScan), LoadPriority::kHigh);
}

TEST(ChromeLoadPriority, LateStylesFromThePreloadScannerAreMediumUnlessRenderBlocking) {
  Resource style = Of(ResourceType::kStyle);
  EXPECT_EQ(ChromeLoadPriority(style, kLateScan), LoadPriority::kMedium);
  EXPECT_EQ(ChromeLoadPriority(style, kEarlyScan), LoadPriority::kVeryHigh);
  style.render_blocking = true;
  // Medium, raised to at least High by render blocking.
  EXPECT_EQ(ChromeLoadPriority(style, kLateScan), LoadPriority::kHigh);
}

TEST(ChromeLoadPriority, OtherTypesIgnoreLateness) {
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kFont), kLateScan), LoadPriority::kVeryHigh);
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kOther), kLateScan), LoadPriority::kHigh);
  EXPECT_EQ(ChromeLoadPriority(Of(ResourceType::kImage), kLateScan), LoadPriority::kLow);
}

TEST(ChromeLoadPriority, RenderBlockingRaisesToAtLeastHigh) {
  Resource image = Of(ResourceType::kImage);
  image.render_blocking = true;
  EXPECT_EQ(ChromeLoadPriority(image, kParser), LoadPriority::kHigh);  // Low -> High
  Resource async = Script(false, false, true);
  async.render_blocking = true;
  EXPECT_EQ(ChromeLoadPriority(async, kParser), LoadPriority::kHigh);  // Low -> High
  Resource style = Of(ResourceType::kStyle);
  style.render_blocking = true;
  EXPECT_EQ(ChromeLoadPriority(style, kParser), LoadPriority::kVeryHigh);  // never lowered
}

TEST(ChromeLoadPriority, ThePriorityKeyOverridesEverything) {
  Resource style = Of(ResourceType::kStyle);
  style.priority = LoadPriority::kVeryLow;
  style.render_blocking = true;  // no raise either
  EXPECT_EQ(ChromeLoadPriority(style, kParser), LoadPriority::kVeryLow);
  Resource image = Of(ResourceType::kImage);
  image.priority = LoadPriority::kVeryHigh;
  EXPECT_EQ(ChromeLoadPriority(image, kLateScan), LoadPriority::kVeryHigh);
  Resource late = Script(true, false, false);
  late.priority = LoadPriority::kHigh;
  EXPECT_EQ(ChromeLoadPriority(late, kLateScan), LoadPriority::kHigh);  // not Medium
}

TEST(NetPriority, BlinkLevelsMapOneForOne) {
  EXPECT_EQ(NetPriority(LoadPriority::kVeryHigh), RequestPriority::kHighest);
  EXPECT_EQ(NetPriority(LoadPriority::kHigh), RequestPriority::kMedium);
  EXPECT_EQ(NetPriority(LoadPriority::kMedium), RequestPriority::kLow);
  EXPECT_EQ(NetPriority(LoadPriority::kLow), RequestPriority::kLowest);
  EXPECT_EQ(NetPriority(LoadPriority::kVeryLow), RequestPriority::kIdle);
}

TEST(ChromeRequestPriority, ImagesAndFetchesAreIncremental) {
  const Priority image = ChromeRequestPriority(Of(ResourceType::kImage), kParser);
  EXPECT_EQ(image.level, RequestPriority::kLowest);  // Low -> LOWEST
  EXPECT_TRUE(image.incremental);
  const Priority fetch = ChromeRequestPriority(Of(ResourceType::kOther), kParser);
  EXPECT_EQ(fetch.level, RequestPriority::kMedium);  // High -> MEDIUM
  EXPECT_TRUE(fetch.incremental);
  for (ResourceType type : {ResourceType::kDocument, ResourceType::kStyle, ResourceType::kScript,
                            ResourceType::kFont}) {
    EXPECT_FALSE(ChromeRequestPriority(Of(type), kParser).incremental) << ToString(type);
  }
  const Priority style = ChromeRequestPriority(Of(ResourceType::kStyle), kParser);
  EXPECT_EQ(style.level, RequestPriority::kHighest);  // VeryHigh -> HIGHEST
  // The override changes the level, not incremental (a type's property).
  Resource urgent_image = Of(ResourceType::kImage);
  urgent_image.priority = LoadPriority::kVeryHigh;
  const Priority urgent = ChromeRequestPriority(urgent_image, kParser);
  EXPECT_EQ(urgent.level, RequestPriority::kHighest);
  EXPECT_TRUE(urgent.incremental);
  // The RFC 9218 field values these make: "u=0, i" and "i" (u=3 is the default).
  EXPECT_EQ(Rfc9218FieldValue(urgent), "u=0, i");
  EXPECT_EQ(Rfc9218FieldValue(image), "i");
}

}  // namespace
}  // namespace waterfall
