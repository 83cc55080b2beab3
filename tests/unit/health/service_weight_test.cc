#include "health/service_weight.h"

#include <gtest/gtest.h>

#include <random>

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

conf::WeightConfig SlowStart(milliseconds ramp, int full = 100, int min = 10) {
  conf::WeightConfig rules;
  rules.full = full;
  rules.slow_start = ramp;
  rules.min_percent = min;
  return rules;
}

WeightInputs Up(milliseconds up_for, uint64_t connections = 0) {
  return {true, up_for, connections, std::nullopt};
}

TEST(ComputeWeightTest, DownIsZero) {
  Weight w = ComputeWeight(SlowStart(seconds(60)), {false, seconds(600), 0, 1.0});
  EXPECT_EQ(w.percent, 0);
  EXPECT_EQ(w.absolute, 0);
}

TEST(ComputeWeightTest, WithoutRulesUpIsFullWeight) {
  conf::WeightConfig rules;
  rules.full = 50;
  Weight w = ComputeWeight(rules, Up(milliseconds(0)));
  EXPECT_EQ(w.percent, 100);
  EXPECT_EQ(w.absolute, 50);
  EXPECT_EQ(w.limited_by, "");
}

TEST(ComputeWeightTest, SlowStartRampsLinearlyFromTheMinimumToFull) {
  const auto rules = SlowStart(seconds(60), 200, 10);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(0))).percent, 10);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(0))).absolute, 20);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(30))).percent, 55);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(30))).absolute, 110);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(30))).limited_by, "slow start");
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(60))).percent, 100);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(60))).limited_by, "");
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(3600))).absolute, 200);
}

TEST(ComputeWeightTest, AnUpServiceNeverRoundsToWeightZero) {
  Weight w = ComputeWeight(SlowStart(seconds(60), 1, 10), Up(seconds(0)));
  EXPECT_EQ(w.percent, 10);
  EXPECT_EQ(w.absolute, 1);  // 0.1 rounded would be 0: a drain
}

TEST(ComputeWeightTest, ConnectionsLowerTheWeightDownToTheMinimumAtBusyAt) {
  conf::WeightConfig rules;
  rules.by = conf::WeightBy::kConnections;
  rules.busy_at = 100;
  rules.min_percent = 20;
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(1), 0)).percent, 100);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(1), 50)).percent, 60);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(1), 50)).limited_by, "connections");
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(1), 100)).percent, 20);
  EXPECT_EQ(ComputeWeight(rules, Up(seconds(1), 100000)).percent, 20);
}

TEST(ComputeWeightTest, CpuPressureLowersTheWeight) {
  conf::WeightConfig rules;
  rules.by = conf::WeightBy::kCpu;
  rules.busy_at = 50;
  rules.min_percent = 10;
  EXPECT_EQ(ComputeWeight(rules, {true, seconds(1), 0, 0.0}).percent, 100);
  Weight busy = ComputeWeight(rules, {true, seconds(1), 0, 25.0});
  EXPECT_EQ(busy.percent, 55);
  EXPECT_EQ(busy.limited_by, "cpu");
  EXPECT_EQ(ComputeWeight(rules, {true, seconds(1), 0, 99.0}).percent, 10);
}

TEST(ComputeWeightTest, UnreadableCpuPressureCutsNothingAndSaysSo) {
  conf::WeightConfig rules;
  rules.by = conf::WeightBy::kCpu;
  rules.busy_at = 50;
  Weight w = ComputeWeight(rules, {true, seconds(1), 0, std::nullopt});
  EXPECT_EQ(w.percent, 100);
  EXPECT_EQ(w.limited_by, "cpu pressure unreadable");
}

TEST(ComputeWeightTest, TheLowerOfSlowStartAndLoadWins) {
  auto rules = SlowStart(seconds(100), 100, 10);
  rules.by = conf::WeightBy::kConnections;
  rules.busy_at = 10;
  Weight early = ComputeWeight(rules, Up(seconds(10), 1));  // ramp 19 %, load 91 %
  EXPECT_EQ(early.percent, 19);
  EXPECT_EQ(early.limited_by, "slow start");
  Weight busy = ComputeWeight(rules, Up(seconds(90), 8));  // ramp 91 %, load 28 %
  EXPECT_EQ(busy.percent, 28);
  EXPECT_EQ(busy.limited_by, "connections");
}

// Over random rules and inputs: the weight stays in range, never falls as
// the ramp proceeds and never rises with load. Seeded; the seed is printed.
TEST(ComputeWeightTest, RandomizedBoundsAndMonotonicity) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < 5000; ++i) {
    conf::WeightConfig rules;
    rules.full = pick(1, 253);
    rules.slow_start = milliseconds(pick(0, 1) * pick(1, 600000));
    rules.min_percent = pick(1, 100);
    rules.by = static_cast<conf::WeightBy>(pick(0, 2));
    rules.busy_at = rules.by == conf::WeightBy::kCpu ? pick(1, 100) : pick(1, 100000);
    WeightInputs in{true, milliseconds(pick(0, 700000)), static_cast<uint64_t>(pick(0, 200000)),
                    pick(0, 3) == 0 ? std::nullopt : std::optional<double>(pick(0, 10000) / 100.0)};
    const Weight w = ComputeWeight(rules, in);
    ASSERT_GE(w.percent, rules.min_percent);
    ASSERT_LE(w.percent, 100);
    ASSERT_GE(w.absolute, 1);
    ASSERT_LE(w.absolute, rules.full);

    WeightInputs later = in;
    later.up_for += milliseconds(pick(0, 100000));
    ASSERT_GE(ComputeWeight(rules, later).percent, w.percent);
    WeightInputs busier = in;
    busier.connections += static_cast<uint64_t>(pick(0, 1000));
    if (busier.cpu_pressure) busier.cpu_pressure = std::min(100.0, *busier.cpu_pressure + 5);
    ASSERT_LE(ComputeWeight(rules, busier).percent, w.percent);
  }
}

}  // namespace
}  // namespace rsagent::agent
