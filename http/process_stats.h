// The process_* series every Prometheus client library exports, read from
// /proc/self: what dashboards and the "agent down / leaking" questions need.
#pragma once

#include <optional>

namespace rsagent::agent {

struct ProcessStats {
  double cpu_seconds = 0;  // user + system
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;             // RLIMIT_NOFILE soft limit
  double start_time_seconds = 0;  // since the epoch
};

// Empty when /proc cannot be read (the series are then left out).
std::optional<ProcessStats> ReadProcessStats();

}  // namespace rsagent::agent
