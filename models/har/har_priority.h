// A request's priority as Chrome writes it in a HAR: the entry's `_priority`, DevTools'
// Protocol.Network.ResourcePriority ("VeryLow", "Low", "Medium", "High", "VeryHigh";
// devtools-frontend front_end/models/har/Log.ts writes request.priority()). The export
// (sim/report/har_json.cc) writes it and the import (har_import.cc) reads it.
#pragma once

#include <optional>
#include <string_view>

#include "models/page/scenario.h"

namespace waterfall {

// "VeryHigh" for LoadPriority::kVeryHigh, ...
const char* HarPriorityName(LoadPriority priority);
// The LoadPriority of a `_priority` value; nullopt for anything but the five names.
std::optional<LoadPriority> ParseHarPriority(std::string_view name);

}  // namespace waterfall
