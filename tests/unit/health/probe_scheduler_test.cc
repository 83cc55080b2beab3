#include "health/probe_scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "tests/unit/health/test_config.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

// A probe that takes `takes` (or until its deadline, whichever is first) and
// records how much of its timeout it was given.
class FakeProbe : public probes::Probe {
 public:
  // `budget_short` is shared: an abandoned attempt may outlive the test.
  FakeProbe(Clock::duration takes, std::shared_ptr<std::atomic<int>> budget_short,
            milliseconds timeout = milliseconds(400))
      : takes_(takes), budget_short_(std::move(budget_short)), timeout_(timeout) {}
  probes::ProbeResult Attempt(Clock::time_point deadline) override {
    // The deadline counts from the start of the attempt: the whole timeout
    // is left here, however late the attempt started. The slack is for a
    // loaded host preempting the worker between computing the deadline and
    // this line (10 ms failed at load 12); a wait taken out of the timeout
    // shows at the pool's bound as hundreds of ms (BeyondThePool... below).
    if (deadline - Clock::now() < timeout_ - milliseconds(50)) ++*budget_short_;
    std::this_thread::sleep_until(std::min(Clock::now() + takes_, deadline));
    probes::ProbeResult r;
    r.outcome.ok = true;
    return r;
  }

 private:
  Clock::duration takes_;
  std::shared_ptr<std::atomic<int>> budget_short_;
  Clock::duration timeout_;
};

conf::ProbeConfig Every(const std::string &name, milliseconds interval,
                        milliseconds timeout = milliseconds(400)) {
  conf::ProbeConfig p = testing::TcpProbe(name, 1, 1);
  p.interval = interval;
  p.timeout = std::min(interval, timeout);
  return p;
}

struct Results {
  std::mutex mu;
  std::map<std::string, int> count;
  std::map<std::string, std::chrono::microseconds> worst_delay;
  ResultSink Sink() {
    return [this](const std::string &name, const probes::ProbeResult &, const AttemptTiming &t) {
      std::lock_guard lock(mu);
      ++count[name];
      worst_delay[name] = std::max(worst_delay[name], t.ScheduleDelay());
    };
  }
  int Count(const std::string &name) {
    std::lock_guard lock(mu);
    return count[name];
  }
};

TEST(ProbeScheduler, HungAttemptsDoNotDelayAnotherProbe) {
  Results results;
  auto budget_short = std::make_shared<std::atomic<int>>(0);
  ProbeScheduler scheduler(results.Sink());
  // Fewer hung probes than the pool may grow to: each holds a worker for
  // its whole timeout.
  for (size_t i = 0; i + 2 < ProbeScheduler::kMaxWorkers; ++i) {
    scheduler.Add(Every("hung" + std::to_string(i), milliseconds(400)),
                  std::make_unique<FakeProbe>(std::chrono::hours(1), budget_short));
  }
  scheduler.Add(Every("fast", milliseconds(100)),
                std::make_unique<FakeProbe>(milliseconds(0), budget_short, milliseconds(100)));
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_GE(results.Count("fast"), 10) << "about 15 expected in 1.5 s";
  std::lock_guard lock(results.mu);
  // The stated bound, kHandoff per hung attempt ahead (all of them queue
  // at the start), with room for a loaded host.
  EXPECT_LT(results.worst_delay["fast"],
            ProbeScheduler::kHandoff * ProbeScheduler::kMaxWorkers + milliseconds(100))
      << "waited for a hung attempt";
  EXPECT_EQ(budget_short->load(), 0);
  EXPECT_LE(scheduler.threads(), ProbeScheduler::kMaxWorkers + 1);
}

TEST(ProbeScheduler, BeyondThePoolALateAttemptStillGetsItsWholeTimeout) {
  Results results;
  auto budget_short = std::make_shared<std::atomic<int>>(0);
  ProbeScheduler scheduler(results.Sink());
  for (size_t i = 0; i < 2 * ProbeScheduler::kMaxWorkers; ++i) {
    scheduler.Add(Every("hung" + std::to_string(i), milliseconds(400)),
                  std::make_unique<FakeProbe>(std::chrono::hours(1), budget_short));
  }
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(scheduler.threads(), ProbeScheduler::kMaxWorkers + 1) << "the bound on threads";
  std::lock_guard lock(results.mu);
  for (const auto &[name, delay] : results.worst_delay) {
    // The bound: a due probe waits at most for the first attempt in flight
    // to end, i.e. one timeout (400 ms); generous for a loaded host.
    EXPECT_LT(delay, milliseconds(400 + 600)) << name;
  }
  EXPECT_EQ(budget_short->load(), 0) << "the wait was taken out of the timeout";
  EXPECT_GT(results.worst_delay.size(), ProbeScheduler::kMaxWorkers) << "all probes ran";
}

TEST(ProbeScheduler, ThreadsStayBoundedForManyProbes) {
  Results results;
  auto budget_short = std::make_shared<std::atomic<int>>(0);
  ProbeScheduler scheduler(results.Sink());
  for (int i = 0; i < 500; ++i) {
    scheduler.Add(Every("p" + std::to_string(i), milliseconds(200)),
                  std::make_unique<FakeProbe>(milliseconds(0), budget_short, milliseconds(200)));
  }
  std::this_thread::sleep_for(milliseconds(1000));
  EXPECT_LE(scheduler.threads(), ProbeScheduler::kMaxWorkers + 1);
  int total = 0;
  for (int i = 0; i < 500; ++i) {
    const int n = results.Count("p" + std::to_string(i));
    EXPECT_GE(n, 2) << "p" << i;
    total += n;
  }
  EXPECT_GE(total, 500 * 3) << "about 5 attempts each in 1 s";
}

TEST(ProbeScheduler, RemoveReturnsAtOnceAndTheAttemptInFlightReportsNothing) {
  Results results;
  auto budget_short = std::make_shared<std::atomic<int>>(0);
  ProbeScheduler scheduler(results.Sink());
  const auto id = scheduler.Add(
      Every("slow", milliseconds(1000), milliseconds(900)),
      std::make_unique<FakeProbe>(milliseconds(800), budget_short, milliseconds(900)));
  std::this_thread::sleep_for(milliseconds(450));  // its first attempt started (≤ 250 ms)
  const auto start = Clock::now();
  scheduler.Remove(id);
  EXPECT_LT(Clock::now() - start, milliseconds(100)) << "Remove waited for the attempt";
  EXPECT_EQ(scheduler.stopping(), 1u);
  for (int i = 0; i < 40 && scheduler.stopping() > 0; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(scheduler.stopping(), 0u);
  EXPECT_EQ(results.Count("slow"), 0);
}

TEST(ProbeScheduler, DestructionAbandonsHungAttemptsAfterTheBound) {
  Results results;
  auto budget_short = std::make_shared<std::atomic<int>>(0);
  auto scheduler = std::make_unique<ProbeScheduler>(results.Sink());
  scheduler->Add(
      Every("hung", milliseconds(2000), milliseconds(1500)),
      std::make_unique<FakeProbe>(std::chrono::hours(1), budget_short, milliseconds(1500)));
  std::this_thread::sleep_for(milliseconds(600));  // in flight (starts ≤ 500 ms)
  const auto start = Clock::now();
  scheduler.reset();
  EXPECT_LT(Clock::now() - start, ProbeScheduler::kAbandonAfter + milliseconds(400));
  std::this_thread::sleep_for(milliseconds(1500));  // the attempt ends after its timeout
  EXPECT_EQ(results.Count("hung"), 0) << "reported after destruction";
}

// A probe that times out while "PSI" (a file here) shows 90 % stall: the
// reason says the host was starved.
class TimesOutStarved : public probes::Probe {
 public:
  explicit TimesOutStarved(std::string psi) : psi_(std::move(psi)) {}
  probes::ProbeResult Attempt(Clock::time_point deadline) override {
    const auto budget = deadline - Clock::now();
    std::this_thread::sleep_until(deadline);
    const auto stalled = std::chrono::duration_cast<std::chrono::microseconds>(budget) * 9 / 10;
    std::ofstream(psi_) << "some avg10=90.00 avg60=9.00 avg300=1.00 total=" << stalled.count()
                        << "\n";
    return {.outcome = {false, "timed out after 300ms"}};
  }

 private:
  std::string psi_;
};

TEST(ProbeScheduler, ATimeoutOnAStarvedHostSaysSo) {
  char tmpl[] = "/tmp/probe_scheduler_test.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string psi = dir + "/cpu";
  std::ofstream(psi) << "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
  std::mutex mu;
  std::vector<std::string> reasons;
  {
    ProbeScheduler scheduler(
        [&](const std::string &, const probes::ProbeResult &r, const AttemptTiming &) {
          std::lock_guard lock(mu);
          reasons.push_back(r.outcome.reason);
        },
        psi);
    scheduler.Add(Every("starved", milliseconds(400), milliseconds(300)),
                  std::make_unique<TimesOutStarved>(psi));
    for (int i = 0; i < 40; ++i) {
      std::this_thread::sleep_for(milliseconds(50));
      std::lock_guard lock(mu);
      if (!reasons.empty()) break;
    }
  }
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(reasons.empty());
  EXPECT_NE(reasons[0].find("timed out after 300ms; host CPU starved during the attempt"),
            std::string::npos)
      << reasons[0];
}

}  // namespace
}  // namespace rsagent::agent
