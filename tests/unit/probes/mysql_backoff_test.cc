#include "probes/mysql_backoff.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace rsagent::probes {
namespace {

using std::chrono::seconds;

TEST(MysqlBackoffTest, DoublesUpToTheCapAndResetsOnSuccess) {
  MysqlBackoff backoff(seconds(1), seconds(4));
  SteadyTime t0{};
  EXPECT_TRUE(backoff.MayAttempt(t0));
  seconds expected[] = {seconds(1), seconds(2), seconds(4), seconds(4)};
  for (seconds delay : expected) {
    backoff.Failed(t0);
    EXPECT_FALSE(backoff.MayAttempt(t0 + delay - std::chrono::milliseconds(1)));
    EXPECT_TRUE(backoff.MayAttempt(t0 + delay));
  }
  backoff.Succeeded();
  EXPECT_TRUE(backoff.MayAttempt(t0));
  backoff.Failed(t0);
  EXPECT_EQ(backoff.next_attempt(), t0 + seconds(1));
}

}  // namespace
}  // namespace rsagent::probes
