// The weight a service asks its directors for, as a pure function of its
// weight rules and what the node sees now: slow start after turning UP, and
// less while busy (active connections or CPU pressure). keepalived gets the
// absolute weight through MISC_CHECK misc_dynamic, HAProxy the percentage
// through agent-check.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "conf/config.h"

namespace rsagent::agent {

struct WeightInputs {
  bool up = false;
  std::chrono::milliseconds up_for{0};  // since the service last turned UP
  uint64_t connections = 0;             // served connections on its VIP:port
  std::optional<double> cpu_pressure;   // PSI cpu "some avg10", percent; unset: unreadable
};

struct Weight {
  int percent = 0;   // of the configured full weight, 0..100
  int absolute = 0;  // 0..253; never 0 while UP (0 would drain the server)
  // What holds it below full: "" (nothing), "slow start", "connections",
  // "cpu", or "cpu pressure unreadable" (then no cut is made for cpu).
  std::string limited_by;
};

Weight ComputeWeight(const conf::WeightConfig& rules, const WeightInputs& in);

}  // namespace rsagent::agent
