#include "agent/reload.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

TEST(RestartOnlyChanges, LiveKeysAreNotListed) {
  conf::AgentConfig running;
  conf::AgentConfig next = running;
  next.allow = {*Cidr::Parse("10.0.0.0/8")};
  next.log_level = "debug";
  next.shutdown_grace = conf::Millis(0);
  EXPECT_TRUE(RestartOnlyChanges(running, next).empty());
}

TEST(RestartOnlyChanges, NamesEachRestartOnlyKeyWithBothValues) {
  // Before, a reload "succeeded" and silently kept the old values: a drain
  // after a state_dir change went to the old directory.
  conf::AgentConfig running;
  conf::AgentConfig next = running;
  next.listen = *Endpoint::Parse("127.0.0.1:9999");
  next.state_dir = "/srv/rsagent";
  next.control_socket = "/run/other.sock";
  next.http_threads = 8;
  next.log_format = "json";
  const auto errors = RestartOnlyChanges(running, next);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].rfind("agent.listen changed (0.0.0.0:9480 -> 127.0.0.1:9999)", 0), 0u)
      << errors[0];
  EXPECT_EQ(errors[1].rfind("agent.state_dir changed (/var/lib/rsagent -> /srv/rsagent)", 0), 0u)
      << errors[1];
  EXPECT_NE(errors[2].find("agent.control_socket"), std::string::npos);
  EXPECT_NE(errors[3].find("agent.http_threads changed (4 -> 8)"), std::string::npos);
  EXPECT_NE(errors[4].find("agent.log_format"), std::string::npos);
  for (const auto& e : errors) EXPECT_NE(e.find("only at a restart"), std::string::npos) << e;
}

}  // namespace
}  // namespace rsagent::agent
