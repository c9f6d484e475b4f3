#include "sim/sweep/progress_meter.h"

#include <unistd.h>

namespace waterfall {

namespace {
constexpr int kBarWidthChars = 30;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);  // ~10 frames/s at most

std::string Duration(double seconds) {
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.0fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(seconds) / 3600,
                  static_cast<int>(seconds) / 60 % 60);
  }
  return buf;
}
}  // namespace

ProgressMeter::ProgressMeter(std::string label, size_t total, size_t already_done, std::FILE* out)
    : label_(std::move(label)),
      total_(total),
      done_(already_done),
      done_at_start_(already_done),
      out_(out),
      terminal_(::isatty(::fileno(out)) == 1),
      last_decile_(total ? static_cast<int>(10 * already_done / total) : 10),
      start_(std::chrono::steady_clock::now()),
      last_draw_() {
  if (terminal_) Draw(true);
}

void ProgressMeter::Advance() {
  ++done_;
  Draw(done_ == total_);
}

void ProgressMeter::Finish() {
  if (terminal_) {
    Draw(true);
    std::fputc('\n', out_);
    std::fflush(out_);
  }
}

void ProgressMeter::Draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (terminal_) {
    if (!force && now - last_draw_ < kRedrawInterval) return;
    last_draw_ = now;
    std::fprintf(out_, "\r%s\033[K", Line(true).c_str());
    std::fflush(out_);
    return;
  }
  const int decile = total_ ? static_cast<int>(10 * done_ / total_) : 10;
  if (decile == last_decile_) return;
  last_decile_ = decile;
  std::fprintf(out_, "%s\n", Line(false).c_str());
  std::fflush(out_);
}

std::string ProgressMeter::Line(bool for_terminal) const {
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const size_t done_here = done_ - done_at_start_;
  const double rate = elapsed_s > 0 ? done_here / elapsed_s : 0;
  std::string eta = "-";
  if (done_ == total_) {
    eta = "0s";
  } else if (rate > 0) {
    eta = Duration((total_ - done_) / rate);
  }
  char numbers[160];
  std::snprintf(numbers, sizeof numbers, "%zu/%zu runs (%zu%%)  %.1f runs/s  ETA %s", done_, total_,
                total_ ? 100 * done_ / total_ : 100, rate, eta.c_str());
  if (!for_terminal) return label_ + ": " + numbers;
  const int filled = total_ ? static_cast<int>(kBarWidthChars * done_ / total_) : kBarWidthChars;
  std::string bar(filled, '#');
  bar.append(kBarWidthChars - filled, '.');
  return label_ + " [" + bar + "] " + numbers;
}

}  // namespace waterfall
