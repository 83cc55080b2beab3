// Host-wide CPU starvation from PSI (health/cpu_pressure.h, "some" total:
// the time at least one runnable task waited for a CPU). A probe attempt that
// times out while the host is starved is reported as such (issue 16): the
// server may be fine and the agent, or the server, just got no CPU.
// Thread-safe; reads the file at most every kMinSampleGap, so asking about
// every attempt at 1,000 probes costs ten reads a second.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "health/cpu_pressure.h"
#include "probes/probe.h"

namespace rsagent::agent {

class CpuStarvation {
 public:
  static constexpr std::chrono::milliseconds kMinSampleGap{100};
  // A quarter of the time with a task waiting: far beyond a healthy host
  // (a few %), and what a hog per core does to a loaded one.
  static constexpr double kStarved = 0.25;

  explicit CpuStarvation(std::string path = kCpuPressurePath) : path_(std::move(path)) {}

  // Takes a sample unless the newest is younger than kMinSampleGap.
  void Sample(Clock::time_point now);
  // The share (0..1) of [from, to] in which some task waited for a CPU, from
  // the newest sample at or before `from` and a fresh one at `to`; nothing
  // when PSI is unavailable (kernel without CONFIG_PSI, psi=0) or no sample
  // is old enough.
  std::optional<double> StarvedShare(Clock::time_point from, Clock::time_point to);

 private:
  struct Point {
    Clock::time_point at;
    uint64_t stalled_us;
  };
  void SampleLocked(Clock::time_point now, bool force);

  std::string path_;
  std::mutex mu_;
  std::deque<Point> samples_;  // oldest first, a few seconds' worth
  bool unavailable_ = false;
};

// Says in the failed verdicts of `result` (its own and each failed role's)
// that the host was starved during the attempt: "...; host CPU starved
// during the attempt (tasks waited for a CPU 87% of the time,
// /proc/pressure/cpu)"; detail "cpu_starved" = "87%".
void NoteStarvation(double share, probes::ProbeResult* result);

}  // namespace rsagent::agent
