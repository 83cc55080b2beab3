#include "agent/event_throttle.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
const SteadyTime t0{};

TEST(EventThrottle, BurstThenOnePerRefill) {
  EventThrottle throttle({.burst = 3, .refill = seconds(10)});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(throttle.Admit("p", t0 + seconds(i)).log) << i;
  EXPECT_FALSE(throttle.Admit("p", t0 + seconds(3)).log);
  EXPECT_FALSE(throttle.Admit("p", t0 + seconds(4)).log);
  // 10 s after the first token went, a new one is there; it accounts for the
  // two.
  const auto d = throttle.Admit("p", t0 + seconds(12));
  EXPECT_TRUE(d.log);
  EXPECT_EQ(d.suppressed_before, 2u);
  EXPECT_FALSE(throttle.Admit("p", t0 + seconds(13)).log);
}

TEST(EventThrottle, SubjectsHaveTheirOwnBuckets) {
  EventThrottle throttle({.burst = 1, .refill = seconds(10)});
  EXPECT_TRUE(throttle.Admit("a", t0).log);
  EXPECT_FALSE(throttle.Admit("a", t0).log);
  EXPECT_TRUE(throttle.Admit("b", t0).log);
}

TEST(EventThrottle, HeldBackChangesAreDueWhenATokenReturns) {
  EventThrottle throttle({.burst = 1, .refill = seconds(10)});
  EXPECT_TRUE(throttle.Admit("a", t0).log);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(throttle.Admit("a", t0 + seconds(1)).log);
  EXPECT_TRUE(throttle.Due(t0 + seconds(5)).empty());
  const auto due = throttle.Due(t0 + seconds(10));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].key, "a");
  EXPECT_EQ(due[0].suppressed, 5u);
  EXPECT_TRUE(throttle.Due(t0 + seconds(100)).empty());  // released once
}

// A probe flapping every 500 ms for an hour: without the bound 7200 lines;
// with the defaults (8, then 1 per 30 s) the log gets the burst plus one line
// per 30 s, and every change is accounted for by a line.
TEST(EventThrottle, AnHourOfFlappingLogsAboutOneLinePer30s) {
  EventThrottle throttle;
  uint64_t lines = 0, accounted = 0;
  const int changes = 7200;
  for (int i = 0; i < changes; ++i) {
    const auto now = t0 + milliseconds(500) * i;
    const auto d = throttle.Admit("probe nginx", now);
    if (d.log) {
      ++lines;
      accounted += 1 + d.suppressed_before;
    }
    for (const auto& r : throttle.Due(now)) {
      ++lines;
      accounted += r.suppressed;
    }
  }
  for (const auto& r : throttle.Due(t0 + std::chrono::hours(2))) {
    ++lines;
    accounted += r.suppressed;
  }
  std::printf("%d changes in 1 h -> %llu lines\n", changes, static_cast<unsigned long long>(lines));
  EXPECT_LE(lines, 8u + 3600 / 30 + 2);
  EXPECT_GE(lines, 3600u / 30);
  EXPECT_EQ(accounted, static_cast<uint64_t>(changes));
}

}  // namespace
}  // namespace rsagent::agent
