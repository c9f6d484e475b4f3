#include "sim/io/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace waterfall {

void WriteFileAtomically(const std::string& path, const std::string& text) {
  // The temporary file is hidden (".h2.json.tmp.<pid>"): if the process is killed before the
  // rename, what remains matches no "*.json" or "*" glob of a reader.
  const std::filesystem::path target(path);
  const std::string temp = (target.parent_path() / ("." + target.filename().string() + ".tmp." +
                                                    std::to_string(::getpid())))
                               .string();
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      const int err = errno;  // std::remove below may overwrite it
      std::remove(temp.c_str());
      throw std::runtime_error(path + ": cannot write: " + std::strerror(err));
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(temp.c_str());
    throw std::runtime_error(path + ": cannot rename into place: " + std::strerror(err));
  }
}

}  // namespace waterfall
