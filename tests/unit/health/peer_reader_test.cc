#include "health/peer_reader.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

TEST(StandingOf, TheHeaderWinsAndAnOlderAgentIsJudgedByItsStatus) {
  EXPECT_EQ(StandingOf(200, "failing").state, PoolState::kFailing);  // held UP
  EXPECT_TRUE(StandingOf(200, "failing").serving);
  EXPECT_EQ(StandingOf(503, "failing").state, PoolState::kFailing);
  EXPECT_FALSE(StandingOf(503, "failing").serving);
  EXPECT_EQ(StandingOf(200, "").state, PoolState::kOk);    // no header
  EXPECT_EQ(StandingOf(503, "").state, PoolState::kDown);  // no header
  EXPECT_EQ(StandingOf(200, "UP").state,
            PoolState::kOk);  // not a standing: the status
  EXPECT_EQ(StandingOf(404, "ok").state, PoolState::kOk);
  EXPECT_FALSE(StandingOf(404, "ok").serving);
}

TEST(PeerServices, SecondChanceServicesFirstThenTheOthersWithMaxDown) {
  conf::Config config;
  for (const char* name : {"db", "web", "api", "static"}) {
    config.services.push_back(conf::ServiceConfig{.name = name});
  }
  EXPECT_TRUE(PeerServices(config).empty());
  config.services[0].max_down = 1;  // db
  config.services[1].max_down = 1;  // web, also second chance
  config.second_chance = conf::SecondChanceConfig{.services = {"static", "web"}};
  EXPECT_EQ(PeerServices(config), (std::vector<std::string>{"static", "web", "db"}));
  EXPECT_EQ(PeerPollingOf(config).Fresh(), std::chrono::milliseconds(600));
  config.second_chance.reset();
  EXPECT_EQ(PeerServices(config), (std::vector<std::string>{"db", "web"}));
}

}  // namespace
}  // namespace rsagent::agent
