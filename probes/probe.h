// One small interface for every probe kind (Seesaw's Checker): Attempt() runs
// one attempt and returns the outcome as a value. Hysteresis, scheduling and
// staleness live in health/, not here.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"

namespace rsagent::probes {

// A number a probe measured, exported in /metrics and /status
// (e.g. {"rsagent_mysql_replica_lag_seconds", {{"channel", ""}}, 0.0}).
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
  std::string help;      // the metric family's HELP text
  bool counter = false;  // a count that only grows (a server's counter), else a gauge
};

struct Outcome {
  bool ok = false;
  std::string reason;  // one line; why it failed, or a short note when it passed
  // Failed because what it checks is not running (connection refused, its
  // listener destroyed): a dead service, never a shared cause that the
  // pool's panic threshold (max_down) would hold UP.
  bool gone = false;
};

struct ProbeResult {
  Outcome outcome;                        // the probe's own pass/fail
  std::chrono::microseconds latency{0};
  // Role-specific verdicts ("writer", "reader") for probes whose facts mean
  // different things per role (mysql). A service with a role uses the entry
  // for its role; services without one use `outcome`.
  std::map<std::string, Outcome> roles;
  std::vector<Sample> samples;
  // Extra facts for /status (flat key -> text, e.g. "read_only" -> "OFF").
  std::map<std::string, std::string> details;
};

class Probe {
 public:
  virtual ~Probe() = default;
  // Must return by `deadline` (plus a small scheduling slack); implementations
  // bound every blocking call by it. Never throws. Called from one thread at a
  // time, so implementations may keep state (a persistent connection).
  virtual ProbeResult Attempt(Clock::time_point deadline) = 0;
};

}  // namespace rsagent::probes
