// waterfall's exit statuses, one place for the program, `waterfall exit-codes` and the test
// that compares them with README's table ("Command line").
#pragma once

#include <array>

namespace waterfall {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitIncomplete = 3;
constexpr int kExitRunsFailed = 4;
constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

struct ExitCode {
  int code;
  const char* meaning;  // one line, as in README's table
};

constexpr std::array<ExitCode, 6> kExitCodes = {{
    {kExitOk, "success: every page loaded whole (run), every run ok (sweep)"},
    {kExitInternal, "internal error"},
    {kExitBadInput,
     "bad command line, scenario, sweep file or output directory; nothing is written"},
    {kExitIncomplete,
     "a page did not load whole (results written): it hit client.timeout_ms, or a resource was "
     "reset or blocked; for a sweep, some run is timeout or incomplete and none failed"},
    {kExitRunsFailed, "a sweep had failed runs, or --merge lacks records"},
    {kExitInterrupted, "a sweep was interrupted (Ctrl-C); the same command resumes it"},
}};

}  // namespace waterfall
