#include "sim/cli/output_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace waterfall {

namespace fs = std::filesystem;

std::string OutputDirProblem(const fs::path& dir) {
  fs::path existing = dir;
  std::error_code ec;
  while (!fs::exists(existing, ec)) {
    if (ec) return existing.string() + ": " + ec.message();
    const fs::path parent = existing.parent_path();
    if (parent.empty() || parent == existing) {
      existing = ".";
      break;
    }
    existing = parent;
  }
  const bool is_dir = fs::is_directory(existing, ec);
  if (ec) return existing.string() + ": " + ec.message();
  if (!is_dir) {
    if (existing == dir) return "it is a file, not a directory";
    return "cannot create it: " + existing.string() + " is a file, not a directory";
  }
  // What the run will do there: create files in DIR, or create DIR (mkdir) in `existing`.
  const fs::path probe = existing / (".waterfall-probe." + std::to_string(::getpid()));
  if (existing == dir) {
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return std::string("cannot write in it: ") + std::strerror(errno);
    ::close(fd);
    ::unlink(probe.c_str());
  } else {
    if (::mkdir(probe.c_str(), 0700) != 0) {
      return "cannot create it in " + existing.string() + ": " + std::strerror(errno);
    }
    ::rmdir(probe.c_str());
  }
  return "";
}

}  // namespace waterfall
