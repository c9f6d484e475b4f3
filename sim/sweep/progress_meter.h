// Progress of a long job on stderr: on a terminal a bar redrawn in place (runs done, total,
// rate, ETA); otherwise one plain line per 10 %, so logs stay readable.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace waterfall {

class ProgressMeter {
 public:
  // `already_done` of `total` were finished before this process started (a resumed sweep);
  // the rate counts only this process's work.
  ProgressMeter(std::string label, size_t total, size_t already_done, std::FILE* out);

  void Advance();  // one more done
  void Finish();   // ends the bar's line

 private:
  void Draw(bool force);
  std::string Line(bool for_terminal) const;

  std::string label_;
  size_t total_;
  size_t done_;
  size_t done_at_start_;
  std::FILE* out_;
  bool terminal_;
  int last_decile_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace waterfall
