// GroupReplicationProbe against a scripted session
// (tests/unit/probes/fake_mysql_session.h): the three statements it sends,
// how performance_schema's rows become the probe's outcome and its
// writer/reader verdicts — each row of docs/mysql.md "Group Replication:
// verdicts" through a whole attempt — and every error path (not answering,
// a missing grant named, a statement failing or hanging past the deadline).
#include "probes/group_replication_probe.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "tests/unit/probes/fake_mysql_session.h"
#include "tests/unit/probes/fake_session_probe_fixture.h"

namespace rsagent::probes {
namespace {

using testing::FakeSession;
using testing::Rows;
using testing::Variable;

constexpr const char* kUuid1 = "aaaaaaaa-0000-0000-0000-000000000001";
constexpr const char* kUuid2 = "bbbbbbbb-0000-0000-0000-000000000002";
constexpr const char* kUuid3 = "cccccccc-0000-0000-0000-000000000003";

constexpr const char* kVariables = "SHOW GLOBAL VARIABLES";
constexpr const char* kMembers = "SELECT MEMBER_ID, MEMBER_HOST, MEMBER_PORT, MEMBER_STATE";
constexpr const char* kStats = "SELECT MEMBER_ID, COUNT_TRANSACTIONS_IN_QUEUE";

struct Member {
  const char* id;
  const char* host;
  const char* state;
  const char* role;
};

class GroupReplicationProbeTest
    : public testing::FakeSessionProbeTest<GroupReplicationProbe, GroupReplicationProbeSpec> {
 protected:
  GroupReplicationProbeTest() {
    spec_.socket = "/run/mysqld/mysqld.sock";
    spec_.max_lag = 100;
  }

  // This member is `self_` with `read_only_`/`super_read_only_`; it sees
  // `members_` (m1 PRIMARY, m2 and m3 SECONDARY unless a test changed them)
  // and its stats row has `applier_queue_` (no row when negative) next to
  // another member's.
  void ScriptServer() override {
    StartScript();
    session().On(kVariables,
                 {.rows = Rows{Variable("server_uuid", self_), Variable("read_only", read_only_),
                               Variable("super_read_only", super_read_only_)},
                  .by_name = true});
    Rows members;
    for (const Member& m : members_) {
      members.push_back({{"MEMBER_ID", m.id},
                         {"MEMBER_HOST", m.host},
                         {"MEMBER_PORT", "3306"},
                         {"MEMBER_STATE", m.state},
                         {"MEMBER_ROLE", m.role}});
    }
    session().On(kMembers, {.rows = members});
    Rows stats;
    if (applier_queue_ >= 0) stats.push_back(StatsRow(self_, std::to_string(applier_queue_)));
    stats.push_back(StatsRow("another member's row", "99999"));
    session().On(kStats, {.rows = stats});
  }

  static MysqlRow StatsRow(const std::string& id, const std::string& applier_queue,
                           const std::string& certifier_queue = "0") {
    return {{"MEMBER_ID", id},
            {"COUNT_TRANSACTIONS_IN_QUEUE", certifier_queue},
            {"COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE", applier_queue}};
  }

  void AsSecondary() {
    self_ = kUuid2;
    read_only_ = "ON";
    super_read_only_ = "ON";
  }

  std::string self_ = kUuid1;
  std::string read_only_ = "OFF";
  std::string super_read_only_ = "OFF";
  std::vector<Member> members_ = {{kUuid1, "10.0.0.1", "ONLINE", "PRIMARY"},
                                  {kUuid2, "10.0.0.2", "ONLINE", "SECONDARY"},
                                  {kUuid3, "10.0.0.3", "ONLINE", "SECONDARY"}};
  int applier_queue_ = 0;
};

TEST_F(GroupReplicationProbeTest, AnOnlinePrimaryIsTheWriterWithThreeStatements) {
  const ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok) << r.outcome.reason;
  EXPECT_TRUE(Role(r, "writer").ok) << Role(r, "writer").reason;
  EXPECT_EQ(Role(r, "writer").reason, "writable, ONLINE PRIMARY, 3 members: 3 ONLINE");
  EXPECT_FALSE(Role(r, "reader").ok);
  EXPECT_EQ(Role(r, "reader").reason, "member role PRIMARY, not SECONDARY");
  ExpectSentAfterSelect1({kVariables, "FROM performance_schema.replication_group_members",
                          "FROM performance_schema.replication_group_member_stats"});
  ExpectTheAttemptsDeadlineOnEveryCall();
  EXPECT_EQ(r.details.at("member_state"), "ONLINE");
  EXPECT_EQ(r.details.at("member_role"), "PRIMARY");
  EXPECT_EQ(r.details.at("member 10.0.0.2:3306"), "ONLINE SECONDARY");
  EXPECT_EQ(r.details.at("connects"), "1");
}

TEST_F(GroupReplicationProbeTest, APrimaryStillSuperReadOnlyIsNoWriterYet) {
  super_read_only_ = "ON";
  const ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok);
  EXPECT_EQ(Role(r, "writer").reason,
            "super_read_only is ON (a new primary applies its backlog first)");
  EXPECT_FALSE(Role(r, "reader").ok);
  super_read_only_ = "OFF";
  read_only_ = "ON";
  EXPECT_EQ(Role(Attempt(), "writer").reason, "read_only is ON");
}

// An unknown read_only or super_read_only must not read as OFF (writable).
TEST_F(GroupReplicationProbeTest, AReplyWithoutReadOnlyOrSuperReadOnlyServesNothing) {
  super_read_only_ = "";
  ExpectAllDown(Attempt(),
                "super_read_only unknown: SHOW GLOBAL VARIABLES returned no super_read_only value");
  super_read_only_ = "OFF";
  read_only_ = "";
  session().sent.clear();
  ExpectAllDown(Attempt(), "read_only unknown: SHOW GLOBAL VARIABLES returned no read_only value");
  EXPECT_EQ(session().sent.size(), 2u) << "the group is not read with the reply not understood";
}

TEST_F(GroupReplicationProbeTest, ASuperReadOnlyThatIsNotOffIsNoWriter) {
  // Found by fuzz.group_replication_replies: ")OFF" read through IsOn was
  // OFF, and a primary whose super_read_only nobody can read was writable.
  for (const char* value : {")OFF", "OFF ", "maybe"}) {
    super_read_only_ = value;
    EXPECT_EQ(Role(Attempt(), "writer").reason,
              "super_read_only is ON (a new primary applies its backlog first)")
        << value;
  }
  super_read_only_ = "0";
  EXPECT_TRUE(Role(Attempt(), "writer").ok);
}

TEST_F(GroupReplicationProbeTest, AnOnlineSecondaryWithinMaxLagIsAReader) {
  AsSecondary();
  applier_queue_ = 100;  // at max_lag
  const ProbeResult r = Attempt();
  EXPECT_TRUE(Role(r, "reader").ok) << Role(r, "reader").reason;
  EXPECT_EQ(Role(r, "reader").reason, "ONLINE SECONDARY, 3 members: 3 ONLINE, applier queue 100");
  EXPECT_FALSE(Role(r, "writer").ok);
  EXPECT_EQ(Role(r, "writer").reason,
            "member role SECONDARY, not PRIMARY; the primary is 10.0.0.1:3306");
  EXPECT_EQ(r.details.at("applier_queue"), "100") << "this member's stats row, not another's";
}

TEST_F(GroupReplicationProbeTest, ASecondaryOverMaxLagOrWithoutStatsIsNoReader) {
  AsSecondary();
  applier_queue_ = 101;
  const ProbeResult behind = Attempt();
  EXPECT_TRUE(behind.outcome.ok);
  EXPECT_EQ(Role(behind, "reader").reason,
            "behind: 101 transactions in the applier queue (max_lag 100)");
  applier_queue_ = -1;
  EXPECT_EQ(Role(Attempt(), "reader").reason,
            "applier queue unknown: no row for this member in replication_group_member_stats");
}

TEST_F(GroupReplicationProbeTest, ARecoveringMemberIsNeither) {
  AsSecondary();
  members_[1].state = "RECOVERING";
  ExpectAllDown(Attempt(),
                "member state RECOVERING, not ONLINE (3 members: 2 ONLINE, 1 RECOVERING)");
}

TEST_F(GroupReplicationProbeTest, AnExpelledMemberInErrorOrOfflineIsNeither) {
  AsSecondary();
  members_ = {{kUuid2, "10.0.0.2", "ERROR", ""}};
  ExpectAllDown(Attempt(), "member state ERROR, not ONLINE (1 member: 1 ERROR)");
  members_ = {{kUuid2, "10.0.0.2", "OFFLINE", ""}};
  ExpectAllDown(Attempt(), "member state OFFLINE, not ONLINE (1 member: 1 OFFLINE)");
}

TEST_F(GroupReplicationProbeTest, AMemberInAMinorityPartitionIsNeitherEvenWhileOnline) {
  members_[1].state = "UNREACHABLE";
  members_[2].state = "UNREACHABLE";
  const ProbeResult r = Attempt();
  ExpectAllDown(r,
                "no quorum: this member sees 2 of 3 members UNREACHABLE (a minority partition "
                "commits nothing)");
  EXPECT_EQ(r.details.at("member_state"), "ONLINE") << "what the member says of itself";
}

TEST_F(GroupReplicationProbeTest, WithoutGroupReplicationRunningItIsNotAMember) {
  // MySQL's one row while group replication never started: no MEMBER_ID.
  members_ = {{"", "", "OFFLINE", ""}};
  ExpectAllDown(Attempt(),
                "not a group member: group replication is not running (no row for server_uuid "
                "aaaaaaaa-0000-0000-0000-000000000001 in replication_group_members)");
}

TEST_F(GroupReplicationProbeTest, AMissingGrantIsUnknownAndNamesTheGrant) {
  Reply(kMembers, {.rows = Error{"SELECT command denied to user 'rsagent'@'localhost' for table "
                                 "'replication_group_members'"},
                   .code = testing::kTableAccessDenied});
  ExpectAllDown(
      Attempt(),
      "group state unknown: SELECT command denied to user 'rsagent'@'localhost' for table "
      "'replication_group_members' (GRANT SELECT ON performance_schema.replication_group_members "
      "TO the probe's user; docs/mysql.md \"Minimal grants\")");
  EXPECT_EQ(session().sent.size(), 3u) << "no statement after the refused one";

  UnReplace();
  Reply(kStats, {.rows = Error{"SELECT command denied"}, .code = testing::kTableAccessDenied});
  ExpectAllDown(Attempt(),
                "group state unknown: SELECT command denied (GRANT SELECT ON "
                "performance_schema.replication_group_member_stats TO the probe's user; "
                "docs/mysql.md \"Minimal grants\")");
}

TEST_F(GroupReplicationProbeTest, AnErrorThatIsNoPrivilegeIsReportedAsItIs) {
  Reply(kMembers, {.rows = Error{"Lost connection to server during query"}, .code = 2013});
  ExpectAllDown(Attempt(), "Lost connection to server during query");
  UnReplace();
  Reply(kVariables, {.rows = Error{"SHOW GLOBAL VARIABLES: Lost connection"}, .code = 2013});
  ExpectAllDown(Attempt(), "SHOW GLOBAL VARIABLES: Lost connection");
  EXPECT_EQ(session().sent.back().rfind(kVariables, 0), 0u) << "nothing after the failed one";
}

TEST_F(GroupReplicationProbeTest, AStatsCountThatIsNoNumberIsAnErrorNamingTheColumn) {
  AsSecondary();
  Reply(kStats, {.rows = Rows{StatsRow(kUuid2, "0", "x")}});
  ExpectAllDown(Attempt(),
                "replication_group_member_stats.COUNT_TRANSACTIONS_IN_QUEUE: not a number: 'x'");
}

TEST_F(GroupReplicationProbeTest, NotAnsweringSendsNothingElse) {
  session().answering =
      Error{"connect to /run/mysqld/mysqld.sock: The server is currently in offline mode"};
  ExpectAllDown(
      Attempt(),
      "not answering: connect to /run/mysqld/mysqld.sock: The server is currently in offline mode");
  EXPECT_EQ(session().sent, std::vector<std::string>{"SELECT 1"});
}

TEST_F(GroupReplicationProbeTest, AStatementHangingPastTheDeadlineEndsTheAttemptAtTheDeadline) {
  Reply(kMembers, {.hang = true});
  ExpectAHangToEndTheAttemptAtItsDeadline(3);
}

}  // namespace
}  // namespace rsagent::probes
