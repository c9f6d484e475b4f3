// `waterfall import` as a user meets it: a real extract (tests/data/har/cnn-first6.har) becomes a
// scenario that `waterfall run` loads and completes in every mode; a file that is not a HAR is
// refused with exit status 2, a message naming the file and what is missing, and nothing written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace {

using waterfall::testing::Shell;

TEST(ImportCli, CnnExtractImportsAndRunsAndBadInputWritesNothing) {
  const fs::path dir =
      fs::temp_directory_path() / ("waterfall-import-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string bin = WATERFALL_BINARY;
  const std::string har = std::string(WATERFALL_SOURCE_DIR) + "/tests/data/har/cnn-first6.har";
  const std::string toml = (dir / "cnn.toml").string();

  auto imported = Shell(bin + " import " + har + " -o " + toml);
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  // 6 entries, 6 resources on 4 origins (cnn.com, www.cnn.com, edition.cnn.com,
  // edition.i.cdn.cnn.com).
  EXPECT_NE(imported.output.find("6 resources on 4 origins imported, 0 entries skipped"),
            std::string::npos)
      << imported.output;
  auto run = Shell(bin + " run " + toml + " -q --out " + (dir / "out").string());
  EXPECT_EQ(run.exit_code, 0) << run.output;  // 0: every page loaded whole, in every mode

  // Not a HAR: exit 2, the file and the missing key named, -o not written.
  const std::string bad = (dir / "bad.har").string();
  std::ofstream(bad) << R"({"log": {"version": "1.2"}})";
  const std::string never = (dir / "never.toml").string();
  auto refused = Shell(bin + " import " + bad + " -o " + never);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.output, "waterfall import: " + bad + ": not a HAR: no \"log.entries\" array\n");
  EXPECT_FALSE(fs::exists(never));
  auto page = Shell(bin + " import " + har + " --page 2 -o " + never);
  EXPECT_EQ(page.exit_code, 2);
  EXPECT_EQ(page.output, "waterfall import: " + har +
                             ": --page 2 is out of range: the HAR has 1 page (--page 1 to 1)\n");
  EXPECT_FALSE(fs::exists(never));
  fs::remove_all(dir);
}

}  // namespace
