#include "probes/group_replication_report.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/unit/probes/group_replication_fixtures.h"
#include "tests/unit/probes/sample_map.h"

namespace rsagent::probes {
namespace {

using testing::SampleMap;

TEST(GroupReplicationReportTest, SecondaryMetricsAndDetails) {
  GroupReplicationFacts f = HealthyGroupMember(kUuidB);
  MemberOf(f, kUuidC)->state = "RECOVERING";
  f.certifier_queue = 2;
  f.applier_queue = 40;
  ProbeResult r;
  ReportGroupReplicationFacts(f, &r);
  auto s = SampleMap(r);
  EXPECT_EQ(s["rsagent_mysql_super_read_only"], 1);
  EXPECT_EQ(s["rsagent_mysql_group_members{state=ONLINE}"], 2);
  EXPECT_EQ(s["rsagent_mysql_group_members{state=RECOVERING}"], 1);
  // Every state is exported, 0 when no member is in it, so alerts see it.
  EXPECT_EQ(s.count("rsagent_mysql_group_members{state=UNREACHABLE}"), 1u);
  EXPECT_EQ(s["rsagent_mysql_group_members{state=UNREACHABLE}"], 0);
  EXPECT_EQ(s["rsagent_mysql_group_member_info{role=SECONDARY}{state=ONLINE}"], 1);
  EXPECT_EQ(s["rsagent_mysql_group_member_primary"], 0);
  EXPECT_EQ(s["rsagent_mysql_group_quorum"], 1);
  EXPECT_EQ(s["rsagent_mysql_group_certifier_queue_transactions"], 2);
  EXPECT_EQ(s["rsagent_mysql_group_applier_queue_transactions"], 40);
  EXPECT_EQ(r.details["member_state"], "ONLINE");
  EXPECT_EQ(r.details["member_role"], "SECONDARY");
  EXPECT_EQ(r.details["member 10.0.0.3:3306"], "RECOVERING SECONDARY");
  EXPECT_EQ(r.details["applier_queue"], "40");
}

TEST(GroupReplicationReportTest, OwnNamesAndHelp) {
  ProbeResult r;
  ReportGroupReplicationFacts(HealthyGroupMember(kUuidA), &r);
  testing::ExpectOwnNamesAndTypes(r);
  EXPECT_EQ(SampleMap(r)["rsagent_mysql_group_member_primary"], 1);
}

TEST(GroupReplicationReportTest, MinorityHasNoQuorum) {
  GroupReplicationFacts f = HealthyGroupMember(kUuidA);
  MemberOf(f, kUuidB)->state = "UNREACHABLE";
  MemberOf(f, kUuidC)->state = "UNREACHABLE";
  ProbeResult r;
  ReportGroupReplicationFacts(f, &r);
  EXPECT_EQ(SampleMap(r)["rsagent_mysql_group_quorum"], 0);
  EXPECT_EQ(SampleMap(r)["rsagent_mysql_group_members{state=UNREACHABLE}"], 2);
}

TEST(GroupReplicationReportTest, NotRunningExportsNoGroupSeries) {
  GroupReplicationFacts f = HealthyGroupMember(kUuidA);
  f.members.clear();
  f.applier_queue.reset();
  ProbeResult r;
  ReportGroupReplicationFacts(f, &r);
  for (const Sample& s : r.samples)
    EXPECT_FALSE(s.name.starts_with("rsagent_mysql_group")) << s.name;
  EXPECT_EQ(r.details["group_replication"], "not running");
}

}  // namespace
}  // namespace rsagent::probes
