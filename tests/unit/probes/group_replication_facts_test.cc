#include "probes/group_replication_facts.h"

#include <gtest/gtest.h>

#include "tests/unit/probes/group_replication_fixtures.h"

namespace rsagent::probes {
namespace {

MysqlRow Member(const char* id, const char* host, const char* port, const char* state,
                const char* role) {
  return {{"MEMBER_ID", id},
          {"MEMBER_HOST", host},
          {"MEMBER_PORT", port},
          {"MEMBER_STATE", state},
          {"MEMBER_ROLE", role}};
}

MysqlRow Stats(const char* id, MysqlValue certifier, MysqlValue applier) {
  return {{"MEMBER_ID", id},
          {"COUNT_TRANSACTIONS_IN_QUEUE", certifier},
          {"COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE", applier}};
}

// What MySQL 9.7 shows on B, a secondary of a group of three.
const NameValueMap kVariablesOfB = {
    {"server_uuid", kUuidB}, {"read_only", "ON"}, {"super_read_only", "ON"}};
const std::vector<MysqlRow> kMembers = {
    Member(kUuidA, "10.0.0.1", "3306", "ONLINE", "PRIMARY"),
    Member(kUuidB, "10.0.0.2", "3306", "ONLINE", "SECONDARY"),
    Member(kUuidC, "10.0.0.3", "3306", "RECOVERING", "SECONDARY")};

TEST(GroupReplicationFactsTest, ParsesASecondary) {
  GroupReplicationFacts f;
  ASSERT_TRUE(ParseGroupReplicationFacts(
                  kVariablesOfB, kMembers,
                  {Stats(kUuidA, "0", "0"), Stats(kUuidB, "3", "17"), Stats(kUuidC, "0", "250")},
                  &f)
                  .ok());
  EXPECT_EQ(f.server_uuid, kUuidB);
  EXPECT_TRUE(f.read_only);
  EXPECT_TRUE(f.super_read_only);
  ASSERT_EQ(f.members.size(), 3u);
  EXPECT_EQ(f.members[0], (GroupMember{kUuidA, "10.0.0.1:3306", "ONLINE", "PRIMARY"}));
  ASSERT_NE(f.Self(), nullptr);
  EXPECT_EQ(f.Self()->role, "SECONDARY");
  EXPECT_EQ(f.CountInState("ONLINE"), 2);
  EXPECT_EQ(f.CountInState("RECOVERING"), 1);
  EXPECT_TRUE(f.SeesMajority());
  // This member's row only, not the others'.
  EXPECT_EQ(f.certifier_queue, 3);
  EXPECT_EQ(f.applier_queue, 17);
}

TEST(GroupReplicationFactsTest, NotStartedShowsNoMember) {
  // Plugin loaded, group replication never started: one row without an id.
  GroupReplicationFacts f;
  ASSERT_TRUE(
      ParseGroupReplicationFacts(kVariablesOfB, {Member("", "", "0", "OFFLINE", "")}, {}, &f).ok());
  EXPECT_TRUE(f.members.empty());
  EXPECT_EQ(f.Self(), nullptr);
  EXPECT_FALSE(f.applier_queue.has_value());
}

TEST(GroupReplicationFactsTest, OfflineMemberWithoutPort) {
  GroupReplicationFacts f;
  ASSERT_TRUE(ParseGroupReplicationFacts(kVariablesOfB,
                                         {Member(kUuidB, "10.0.0.2", "0", "OFFLINE", "")}, {}, &f)
                  .ok());
  ASSERT_NE(f.Self(), nullptr);
  EXPECT_EQ(f.Self()->host, "10.0.0.2");
  EXPECT_EQ(f.Self()->state, "OFFLINE");
}

TEST(GroupReplicationFactsTest, NullQueuesAreUnknown) {
  GroupReplicationFacts f;
  ASSERT_TRUE(ParseGroupReplicationFacts(kVariablesOfB, kMembers,
                                         {Stats(kUuidB, std::nullopt, std::nullopt)}, &f)
                  .ok());
  EXPECT_FALSE(f.certifier_queue.has_value());
  EXPECT_FALSE(f.applier_queue.has_value());
}

TEST(GroupReplicationFactsTest, BadCountIsAnErrorNamingTheColumn) {
  GroupReplicationFacts f;
  Status s = ParseGroupReplicationFacts(kVariablesOfB, kMembers, {Stats(kUuidB, "0", "12x")}, &f);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(),
            "replication_group_member_stats.COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE: not a "
            "number: '12x'");
}

TEST(GroupReplicationFactsTest, MinorityView) {
  GroupReplicationFacts f = HealthyGroupMember(kUuidC);
  MemberOf(f, kUuidA)->state = "UNREACHABLE";
  EXPECT_TRUE(f.SeesMajority());
  MemberOf(f, kUuidB)->state = "UNREACHABLE";
  EXPECT_FALSE(f.SeesMajority());
  f.members.clear();
  EXPECT_FALSE(f.SeesMajority());
}

}  // namespace
}  // namespace rsagent::probes
