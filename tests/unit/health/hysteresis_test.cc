#include "health/hysteresis.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

TEST(HysteresisTest, StartsDown) {
  Hysteresis h(2, 3);
  EXPECT_FALSE(h.up());
}

TEST(HysteresisTest, RisesAfterConsecutivePasses) {
  Hysteresis h(2, 3);
  EXPECT_FALSE(h.Observe(true));
  EXPECT_FALSE(h.up());
  EXPECT_TRUE(h.Observe(true));
  EXPECT_TRUE(h.up());
}

TEST(HysteresisTest, AFailureResetsTheRise) {
  Hysteresis h(2, 3);
  h.Observe(true);
  h.Observe(false);
  h.Observe(true);
  EXPECT_FALSE(h.up());
  EXPECT_EQ(h.pending(), 1);
  h.Observe(true);
  EXPECT_TRUE(h.up());
}

TEST(HysteresisTest, FallsAfterConsecutiveFailures) {
  Hysteresis h(1, 3);
  h.Observe(true);
  ASSERT_TRUE(h.up());
  EXPECT_FALSE(h.Observe(false));
  EXPECT_FALSE(h.Observe(false));
  EXPECT_TRUE(h.up());
  EXPECT_TRUE(h.Observe(false));
  EXPECT_FALSE(h.up());
}

TEST(HysteresisTest, APassResetsTheFall) {
  Hysteresis h(1, 2);
  h.Observe(true);
  h.Observe(false);
  h.Observe(true);
  h.Observe(false);
  EXPECT_TRUE(h.up());
}

TEST(HysteresisTest, RiseAndFallOfOneFlipImmediately) {
  Hysteresis h(1, 1);
  EXPECT_TRUE(h.Observe(true));
  EXPECT_TRUE(h.Observe(false));
  EXPECT_FALSE(h.Observe(false));
}

TEST(HysteresisTest, ForceDownSkipsFallButNotRise) {
  Hysteresis h(2, 3);
  h.Observe(true);
  h.Observe(true);
  ASSERT_TRUE(h.up());
  EXPECT_TRUE(h.ForceDown());
  EXPECT_FALSE(h.up());
  EXPECT_FALSE(h.ForceDown());  // already DOWN: no flip
  EXPECT_FALSE(h.Observe(true));
  EXPECT_TRUE(h.Observe(true));
}

TEST(HysteresisTest, ForceDownClearsARiseInProgress) {
  Hysteresis h(2, 3);
  h.Observe(true);
  h.ForceDown();
  EXPECT_EQ(h.pending(), 0);
  EXPECT_FALSE(h.Observe(true));
  EXPECT_FALSE(h.up());
}

}  // namespace
}  // namespace rsagent::agent
