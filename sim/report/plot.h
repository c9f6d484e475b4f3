// Runs the matplotlib scripts in plots/ from the command line tool.
#pragma once

#include <string>
#include <vector>

namespace waterfall {

// Draws results (one JSON per mode) as a stacked waterfall chart into out_png. Returns the
// script's exit status (0 on success); the script prints its own errors.
int PlotWaterfall(const std::vector<std::string>& result_files, const std::string& out_png);

}  // namespace waterfall
