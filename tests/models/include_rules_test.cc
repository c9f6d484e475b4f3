// The dependency rule of the tree: models/ is sans-I/O, so nothing under models/ includes a
// file of sim/ or an ns-3 header. Reads the sources from WATERFALL_SOURCE_DIR.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace waterfall {
namespace {

namespace fs = std::filesystem;

// "models/x.h:12: #include <ns3/core-module.h>" for each forbidden include under dir.
std::vector<std::string> ForbiddenIncludes(const fs::path& dir) {
  std::vector<std::string> found;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      const size_t hash = line.find_first_not_of(" \t");
      if (hash == std::string::npos || line[hash] != '#') continue;
      const size_t include = line.find("include", hash);
      if (include == std::string::npos) continue;
      const size_t target = line.find_first_of("\"<", include);
      if (target == std::string::npos) continue;
      const std::string path = line.substr(target + 1);
      const bool sim = line[target] == '"' && path.rfind("sim/", 0) == 0;
      const bool ns3 = path.rfind("ns3/", 0) == 0;
      if (sim || ns3) {
        found.push_back(fs::relative(entry.path(), dir.parent_path()).string() + ":" +
                        std::to_string(number) + ": " + line);
      }
    }
  }
  return found;
}

TEST(IncludeRulesTest, ModelsNeverIncludeSimOrNs3) {
  const fs::path models = fs::path(WATERFALL_SOURCE_DIR) / "models";
  ASSERT_TRUE(fs::is_directory(models)) << models;
  for (const std::string& hit : ForbiddenIncludes(models)) ADD_FAILURE() << hit;
}

TEST(IncludeRulesTest, TheCheckFindsAForbiddenInclude) {
  const fs::path dir = fs::temp_directory_path() /
                       ("waterfall-include-rules-" + std::to_string(getpid())) / "models";
  fs::remove_all(dir.parent_path());
  fs::create_directories(dir / "deep");
  std::ofstream(dir / "ok.h") << "#include \"models/scenario.h\"\n#include <map>\n";
  std::ofstream(dir / "deep" / "bad.cc") << "// sim/ in a comment is fine\n"
                                         << "#include \"models/x.h\"\n"
                                         << "#  include \"sim/run.h\"\n"
                                         << "#include <ns3/simulator.h>\n";
  std::vector<std::string> hits = ForbiddenIncludes(dir);
  fs::remove_all(dir.parent_path());
  EXPECT_EQ(hits, (std::vector<std::string>{"models/deep/bad.cc:3: #  include \"sim/run.h\"",
                                            "models/deep/bad.cc:4: #include <ns3/simulator.h>"}));
}

}  // namespace
}  // namespace waterfall
