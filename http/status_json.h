// GET /status and `rsagent status --json`: the whole snapshot as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "health/snapshot.h"

namespace rsagent::agent {

nlohmann::json StatusJson(const Snapshot& snapshot, const std::string& version);

// RFC 3339 UTC with milliseconds, e.g. "2026-11-24T18:45:19.123Z".
std::string FormatWallTime(WallTime t);

}  // namespace rsagent::agent
