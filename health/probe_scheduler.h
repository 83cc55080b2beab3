// Runs every probe on its own schedule with a small, bounded set of threads
// (issue 16: a thread per probe cost more than the probes). The threads are
// one pool, leader and followers: the leader sleeps until the next probe is
// due and then runs that attempt itself; followers sleep on a watchdog
// timer that the leader arms when it starts an attempt. A quick attempt ends
// before the watchdog fires and its thread leads again, so a due probe costs
// one wake-up. An attempt that takes kHandoff lets the watchdog wake a
// follower, which takes over leading; a pool with no follower left grows
// to kMaxWorkers, and threads beyond kCoreWorkers retire after kIdleRetire
// with nothing to do. So
//
// - while fewer than kMaxWorkers attempts are in flight, a due probe starts
//   within kHandoff per attempt ahead of it that hangs (a hung exec, a
//   silent mysqld), at most kHandoff × kMaxWorkers (160 ms);
// - beyond that, it waits at most until the first attempt in flight ends,
//   which is bounded by that probe's timeout (exec: plus its kill grace).
//
// Every attempt's deadline is counted from when it actually started, not from
// when it was due: time spent waiting for a worker or for the CPU is the
// agent's lateness, never the server's, and is reported as schedule_delay.
// A failed attempt that used its whole timeout while the host's CPU was
// starved says so in its reason (health/cpu_starvation.h).
// Remove() and the destructor never wait for an attempt in flight: the
// probe is destroyed by the worker that ran it, and reports nothing more.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "conf/config.h"
#include "probes/probe.h"

namespace rsagent::agent {

// When one attempt was due, started and finished (steady clock).
struct AttemptTiming {
  SteadyTime due, started, finished;
  std::chrono::microseconds ScheduleDelay() const;  // started - due, never negative
};

struct SchedulerState;  // probe_scheduler.cc

using ResultSink = std::function<void(const std::string &probe, const probes::ProbeResult &,
                                      const AttemptTiming &)>;

class ProbeScheduler {
 public:
  using Id = uint64_t;

  static constexpr size_t kCoreWorkers = 2;
  static constexpr size_t kMaxWorkers = 16;
  static constexpr std::chrono::seconds kIdleRetire{30};
  static constexpr std::chrono::milliseconds kHandoff{10};
  // How long the destructor waits for attempts in flight before abandoning
  // them (logged): the process is exiting, and a stopped attempt touches
  // nothing but its own probe.
  static constexpr std::chrono::milliseconds kAbandonAfter{500};

  // `cpu_pressure`: where PSI is read (health/cpu_starvation.h).
  explicit ProbeScheduler(ResultSink sink, std::string cpu_pressure = "/proc/pressure/cpu");
  ~ProbeScheduler();
  ProbeScheduler(const ProbeScheduler &) = delete;
  ProbeScheduler &operator=(const ProbeScheduler &) = delete;

  // The first attempt is spread over the first quarter interval (a stable
  // offset from the name) so probes do not all fire together.
  Id Add(const conf::ProbeConfig &config, std::unique_ptr<probes::Probe> probe);
  // Returns at once; after it, the sink never hears of this probe again,
  // even from an attempt in flight.
  void Remove(Id id);

  size_t threads() const;  // the workers alive, at most kMaxWorkers
  // Removed probes whose attempt in flight has not ended yet.
  size_t stopping() const;

 private:
  std::shared_ptr<SchedulerState> shared_;  // outlives this object when attempts are abandoned
};

}  // namespace rsagent::agent
