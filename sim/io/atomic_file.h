// Output files that are either absent, old or whole: every file waterfall writes goes through
// here.
#pragma once

#include <string>

namespace waterfall {

// Writes text to path through a temporary file in the same directory and a rename, so a
// reader sees either the old file, no file, or the whole new one. The temporary file is
// ".<name>.tmp.<pid>", hidden, and may remain only if the process is killed (SIGKILL) before
// the rename. Throws std::runtime_error.
void WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace waterfall
