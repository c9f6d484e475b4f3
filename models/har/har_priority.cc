// Chrome's HAR spelling of LoadPriority (har_priority.h).
#include "models/har/har_priority.h"

#include <iterator>

namespace waterfall {
namespace {
// In LoadPriority's order, lowest first.
constexpr const char* kHarPriorityNames[] = {"VeryLow", "Low", "Medium", "High", "VeryHigh"};
}  // namespace

const char* HarPriorityName(LoadPriority priority) {
  return kHarPriorityNames[static_cast<size_t>(priority)];
}

std::optional<LoadPriority> ParseHarPriority(std::string_view name) {
  for (size_t i = 0; i < std::size(kHarPriorityNames); ++i) {
    if (name == kHarPriorityNames[i]) return static_cast<LoadPriority>(i);
  }
  return std::nullopt;
}

}  // namespace waterfall
