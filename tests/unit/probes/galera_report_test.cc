#include "probes/galera_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/probes/galera_fixtures.h"
#include "tests/unit/probes/sample_map.h"

namespace rsagent::probes {
namespace {

using testing::SampleMap;

TEST(GaleraReportTest, SyncedNodeMetricsAndDetails) {
  GaleraFacts f = SyncedGaleraNode();
  f.flow_control_paused = 0.25;
  f.recv_queue = 7;
  ProbeResult r;
  ReportGaleraFacts(f, &r);
  auto samples = SampleMap(r);
  EXPECT_EQ(samples["rsagent_mysql_wsrep_cluster_size"], 3);
  EXPECT_EQ(samples["rsagent_mysql_wsrep_local_state"], 4);
  EXPECT_EQ(samples["rsagent_mysql_wsrep_local_state_info{state=Synced}"], 1);
  EXPECT_EQ(samples["rsagent_mysql_wsrep_primary_component"], 1);
  EXPECT_EQ(samples["rsagent_mysql_wsrep_flow_control_paused_ratio"], 0.25);
  EXPECT_EQ(samples["rsagent_mysql_wsrep_local_recv_queue"], 7);
  // Unknown values are left out, never exported as 0.
  EXPECT_FALSE(samples.contains("rsagent_mysql_wsrep_flow_control_paused_seconds_total"));
  EXPECT_EQ(r.details["wsrep_local_state"], "4 Synced");
  EXPECT_EQ(r.details["wsrep_cluster_size"], "3");
  EXPECT_EQ(r.details["wsrep_flow_control_paused"], "0.25");
}

TEST(GaleraReportTest, OwnNamesAndTypes) {
  GaleraFacts f = SyncedGaleraNode();
  f.flow_control_paused_ns = 2.5e9;
  f.recv_queue_avg = 0.5;
  ProbeResult r;
  ReportGaleraFacts(f, &r);
  testing::ExpectOwnNamesAndTypes(r);
  EXPECT_EQ(SampleMap(r)["rsagent_mysql_wsrep_flow_control_paused_seconds_total"], 2.5);
}

}  // namespace
}  // namespace rsagent::probes
