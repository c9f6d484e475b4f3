#include "models/http/request_priority.h"

namespace waterfall {

const char* ToString(RequestPriority priority) {
  switch (priority) {
    case RequestPriority::kIdle:
      return "IDLE";
    case RequestPriority::kLowest:
      return "LOWEST";
    case RequestPriority::kLow:
      return "LOW";
    case RequestPriority::kMedium:
      return "MEDIUM";
    case RequestPriority::kHighest:
      return "HIGHEST";
  }
  return "?";
}

int Rfc9218Urgency(RequestPriority priority) {
  return 4 - static_cast<int>(priority);  // IDLE 4 ... HIGHEST 0
}

std::string Rfc9218FieldValue(const Priority& priority) {
  const int u = Rfc9218Urgency(priority.level);
  std::string value;
  if (u != 3) value = "u=" + std::to_string(u);
  if (priority.incremental) value += value.empty() ? "i" : ", i";
  return value;
}

}  // namespace waterfall
