// GET /metrics: Prometheus text exposition format 0.0.4. Every family is
// rsagent_* (or the conventional process_*); probe families all carry
// {probe, type}, role verdicts add {role}; timestamps are *_timestamp_seconds;
// numbers are the shortest text that reads back as the same double.
#pragma once

#include <optional>
#include <string>

#include "health/snapshot.h"
#include "http/process_stats.h"

namespace rsagent::agent {

std::string RenderMetrics(const Snapshot& snapshot, const std::string& version,
                          const std::optional<ProcessStats>& process = std::nullopt);

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(const std::string& value);

// A sample value: shortest round-trip decimal (std::to_chars), "+Inf",
// "-Inf", "NaN".
std::string FormatValue(double value);

}  // namespace rsagent::agent
