#include "sim/report/plot.h"

#include <sys/wait.h>
#include <unistd.h>

namespace waterfall {

int PlotWaterfall(const std::vector<std::string>& result_files, const std::string& out_png) {
  std::vector<std::string> args = {WATERFALL_PYTHON,
                                   std::string(WATERFALL_PLOTS_DIR) + "/waterfall.py"};
  args.insert(args.end(), result_files.begin(), result_files.end());
  args.push_back("-o");
  args.push_back(out_png);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace waterfall
