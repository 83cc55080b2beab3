// Durations as written in config: "250ms", "2s", "1.5s", "1m", "1h".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rsagent::conf {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The shortest exact spelling: 1500ms -> "1500ms", 2000ms -> "2s".
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace rsagent::conf
