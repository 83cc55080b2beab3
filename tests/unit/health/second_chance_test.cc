#include "health/second_chance.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

TEST(PeersUpMask, OnlyFreshUpReadsCount) {
  const SteadyTime now = Clock::now();
  std::vector<PeerRead> peers = {
      {.up = {true, false}, .read_at = now - milliseconds(100)},  // UP for service 0
      {.up = {true, true}, .read_at = now - milliseconds(1000)},  // stale: DOWN for both
      {.up = {false, true}, .read_at = now - milliseconds(10)},   // UP for service 1
      {.up = {}, .error = "not read yet"},                        // never read
  };
  EXPECT_EQ(PeersUpMask(peers, 0, now, milliseconds(500)), 0b0001u);
  EXPECT_EQ(PeersUpMask(peers, 1, now, milliseconds(500)), 0b0100u);
  EXPECT_EQ(PeersUpMask(peers, 1, now, milliseconds(2000)), 0b0110u);
  EXPECT_EQ(PeersUpMask({}, 0, now, milliseconds(500)), 0u);
}

}  // namespace
}  // namespace rsagent::agent
