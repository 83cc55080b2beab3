// GET /metrics: Prometheus text exposition format 0.0.4.
#pragma once

#include <string>

#include "health/snapshot.h"

namespace rsagent::agent {

std::string RenderMetrics(const Snapshot& snapshot, const std::string& version);

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(const std::string& value);

}  // namespace rsagent::agent
