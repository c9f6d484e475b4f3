// The output directory of `run` and `sweep`, checked before anything runs.
#pragma once

#include <filesystem>
#include <string>

namespace waterfall {

// Why `dir` cannot receive the results, or "" when it can: it must be a directory this process
// can create files in, or, missing, its nearest existing ancestor one it can create a directory
// in. Permission bits do not tell (root ignores them, a read-only mount does not show in them),
// so a probe file (or directory) is created and removed. Creates nothing else.
std::string OutputDirProblem(const std::filesystem::path& dir);

}  // namespace waterfall
