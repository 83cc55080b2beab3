#include "health/second_chance.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

PeerStanding Read(bool serving, SteadyTime at) {
  return {.state = serving ? PoolState::kOk : PoolState::kDown,
          .serving = serving,
          .read_started = at,
          .read_done = at};
}

TEST(PeersUpMask, OnlyFreshUpReadsCount) {
  const SteadyTime now = Clock::now();
  std::vector<PeerRead> peers = {
      {.services = {Read(true, now - milliseconds(100)), Read(false, now - milliseconds(100))}},
      {.services = {Read(true,
                         now - milliseconds(1000)),  // stale: DOWN for both
                    Read(true, now - milliseconds(1000))}},
      {.services = {Read(false, now - milliseconds(10)), Read(true, now - milliseconds(10))}},
      {.services = {PeerStanding{}, PeerStanding{}}, .error = "not read yet"},
  };
  EXPECT_EQ(PeersUpMask(peers, 0, now, milliseconds(500)), 0b0001u);
  EXPECT_EQ(PeersUpMask(peers, 1, now, milliseconds(500)), 0b0100u);
  EXPECT_EQ(PeersUpMask(peers, 1, now, milliseconds(2000)), 0b0110u);
  EXPECT_EQ(PeersUpMask(peers, 2, now, milliseconds(500)),
            0u);  // no such service
  EXPECT_EQ(PeersUpMask({}, 0, now, milliseconds(500)), 0u);
}

}  // namespace
}  // namespace rsagent::agent
