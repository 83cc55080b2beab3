#include "http/agent_check_reply.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

Snapshot Node() {
  Snapshot s;
  s.services = {ServiceView{.name = "web", .up = true, .weight = {.percent = 75, .absolute = 75}},
                ServiceView{.name = "drained",
                            .up = false,
                            .reason = "drain",
                            .cause = "drain",
                            .admin = {AdminState::kDrain, {}}},
                ServiceView{.name = "maint",
                            .up = false,
                            .reason = "maint",
                            .cause = "maint",
                            .admin = {AdminState::kMaint, {}}},
                ServiceView{.name = "db",
                            .up = false,
                            .reason = "probe m: secret server text",
                            .cause = "probe m down\r\nsecond line"}};
  return s;
}

TEST(AgentCheckReplyTest, OneLinePerState) {
  const Snapshot s = Node();
  EXPECT_EQ(AgentCheckReply("web\n", s), "up ready 75%\n");
  EXPECT_EQ(AgentCheckReply("drained\n", s), "drain #drained: drain\n");
  EXPECT_EQ(AgentCheckReply("maint\n", s), "maint #maint: maint\n");
  EXPECT_EQ(AgentCheckReply("db\n", s), "down #db: probe m down  second line\n");
}

TEST(AgentCheckReplyTest, TheNameIsTrimmedAndAnUnknownOneIsDown) {
  const Snapshot s = Node();
  EXPECT_EQ(AgentCheckReply("  web \r\n", s), "up ready 75%\n");
  EXPECT_EQ(AgentCheckReply("web", s), "up ready 75%\n");  // no newline: the peer closed
  EXPECT_EQ(AgentCheckReply("nope\n", s), "down #unknown service \"nope\"\n");
}

TEST(AgentCheckReplyTest, ShuttingDownIsDownEvenWhenUp) {
  Snapshot s = Node();
  s.shutting_down = true;
  EXPECT_EQ(AgentCheckReply("web\n", s), "down #web: shutting down\n");
}

TEST(AgentCheckReplyTest, WithoutANameTheOnlyServiceOrAllOfThem) {
  Snapshot one;
  one.services = {ServiceView{.name = "web", .up = true, .weight = {.percent = 40}}};
  EXPECT_EQ(AgentCheckReply("", one), "up ready 40%\n");
  Snapshot s = Node();
  EXPECT_EQ(AgentCheckReply("", s), "down #drained: drain\n");
  s.services.resize(1);
  s.services.push_back(ServiceView{.name = "b", .up = true, .weight = {.percent = 30}});
  EXPECT_EQ(AgentCheckReply("\n", s), "up ready 30%\n");
  EXPECT_EQ(AgentCheckReply("", Snapshot{}), "down #no services configured\n");
}

TEST(AgentCheckReplyTest, ALongReasonIsCutToOneShortLine) {
  Snapshot s;
  s.services = {ServiceView{.name = "db", .up = false, .cause = std::string(1000, 'x')}};
  const std::string reply = AgentCheckReply("db\n", s);
  EXPECT_LE(reply.size(), 170u);
  EXPECT_EQ(reply.find('\n'), reply.size() - 1);
}

}  // namespace
}  // namespace rsagent::agent
