#include "health/probe_fleet.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/clock.h"
#include "probes/exec_probe.h"
#include "tests/unit/health/test_config.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

// An exec probe whose attempt takes `seconds`, its timeout just below
// `interval` (2 s): before, replacing or removing it waited for the attempt
// under the reload's lock.
conf::ProbeConfig Sleeper(const std::string& name, const std::string& seconds) {
  conf::ProbeConfig p = testing::TcpProbe(name, 1, 1);
  p.interval = milliseconds(2000);
  p.timeout = milliseconds(1900);
  p.spec = probes::ExecProbeSpec{.command = {"/bin/sleep", seconds}};
  return p;
}

struct Counter {
  std::atomic<int> results{0};
  ResultSink Sink() {
    return [this](const std::string&, const probes::ProbeResult&, const AttemptTiming&) {
      ++results;
    };
  }
};

// Waits until the first attempt is surely in flight (it starts within a
// quarter of the interval), and at least 1 s of it is left.
void LetTheAttemptStart() { std::this_thread::sleep_for(milliseconds(600)); }

TEST(ProbeFleet, ReplacingAProbeInFlightReturnsAtOnceAndItsResultIsDropped) {
  Counter counter;
  ProbeFleet fleet(counter.Sink());
  fleet.Sync({Sleeper("slow", "1.6")});
  LetTheAttemptStart();
  const auto start = Clock::now();
  fleet.Sync({Sleeper("slow", "1.7")});  // changed: the old runner stops
  const auto took = Clock::now() - start;
  EXPECT_LT(took, milliseconds(500)) << "Sync waited for the attempt in flight";
  EXPECT_EQ(fleet.stopping(), 1u);
  // The old attempt ends and must not report to the sink: its
  // result would be taken for the new probe's.
  for (int i = 0; i < 40 && fleet.stopping() > 0; ++i)
    std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(fleet.stopping(), 0u);
  EXPECT_EQ(counter.results.load(), 0);
}

TEST(ProbeFleet, DestroyingTheFleetWaitsAtMostTheAbandonBound) {
  Counter counter;
  const auto start = [&] {
    auto fleet = std::make_unique<ProbeFleet>(counter.Sink());
    fleet->Sync({Sleeper("slow", "1.8")});
    LetTheAttemptStart();
    const auto t = Clock::now();
    fleet.reset();  // the daemon's shutdown
    return Clock::now() - t;
  }();
  EXPECT_LT(start, ProbeScheduler::kAbandonAfter + milliseconds(400));
  EXPECT_EQ(counter.results.load(), 0);
}

TEST(ProbeFleet, RemovedProbeStops) {
  Counter counter;
  ProbeFleet fleet(counter.Sink());
  fleet.Sync({Sleeper("a", "0"), Sleeper("b", "0")});
  fleet.Sync({Sleeper("a", "0")});
  EXPECT_EQ(fleet.size(), 1u);
}

}  // namespace
}  // namespace rsagent::agent
