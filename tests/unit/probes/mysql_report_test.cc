#include "probes/mysql_report.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

const Sample* FindSample(const ProbeResult& r, const std::string& name,
                         const std::string& channel = "") {
  for (const Sample& s : r.samples) {
    auto it = s.labels.find("channel");
    if (s.name == name && (it == s.labels.end() ? channel.empty() : it->second == channel))
      return &s;
  }
  return nullptr;
}

MysqlFacts Facts() {
  MysqlFacts f;
  f.answers = true;
  f.version = "10.11.19-MariaDB";
  ReplicaChannel c;
  c.name = "west";
  c.source_host = "10.77.0.9";
  c.io_running = "Connecting";
  c.sql_running = "Yes";
  c.received = {"binlog.000004", 8812};
  c.applied = {"binlog.000004", 8812};
  c.last_io_errno = 2003;
  c.last_io_error = "Can't connect";
  f.channels = {c};
  f.replication_known = true;
  f.semi_sync.source_enabled = true;
  f.semi_sync.source_active = false;
  f.semi_sync.no_tx = 1;
  return f;
}

TEST(MysqlReportTest, UnreadableReplicationIsUnknownNotNotAReplica) {
  MysqlFacts f;
  f.answers = true;
  f.error = "replication state unknown: SHOW ALL SLAVES STATUS: Access denied";
  ProbeResult r;
  ReportMysqlFacts(f, &r);
  EXPECT_EQ(r.details["replication"],
            "unknown: replication state unknown: SHOW ALL SLAVES STATUS: Access denied");
  f.error.clear();
  f.replication_known = true;
  ProbeResult known;
  ReportMysqlFacts(f, &known);
  EXPECT_EQ(known.details["replication"], "not a replica");
}

TEST(MysqlReportTest, ExporterStyleSamplesPerChannel) {
  ProbeResult r;
  ReportMysqlFacts(Facts(), &r);
  ASSERT_NE(FindSample(r, "rsagent_mysql_up"), nullptr);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_up")->value, 1);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_read_only")->value, 0);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_replica_io_running", "west")->value, 0);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_replica_sql_running", "west")->value, 1);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_replica_received_log_position", "west")->value, 8812);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_semi_sync_source_active")->value, 0);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_semi_sync_source_no_transactions_total")->value, 1);
}

TEST(MysqlReportTest, UnknownValuesAreLeftOutNotZero) {
  ProbeResult r;
  ReportMysqlFacts(Facts(), &r);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_replica_lag_seconds", "west"), nullptr);  // NULL
  EXPECT_EQ(FindSample(r, "rsagent_mysql_super_read_only"), nullptr);            // MariaDB
  EXPECT_EQ(FindSample(r, "rsagent_mysql_semi_sync_source_clients"), nullptr);
  EXPECT_EQ(FindSample(r, "rsagent_mysql_heartbeat_lag_seconds"), nullptr);
}

TEST(MysqlReportTest, DetailsForStatus) {
  ProbeResult r;
  ReportMysqlFacts(Facts(), &r);
  EXPECT_EQ(r.details["read_only"], "OFF");
  EXPECT_EQ(r.details["semi_sync"], "fell back to async (1 commits without ack)");
  EXPECT_EQ(r.details["replication.west"],
            "from 10.77.0.9: io=Connecting sql=Yes lag=NULL applied=binlog.000004:8812 "
            "received=binlog.000004:8812 io_error=2003 Can't connect");
}

TEST(MysqlReportTest, DownServerReportsOnlyUpAndTheError) {
  MysqlFacts f;
  f.error = "connect to /run/mysqld/mysqld.sock: timed out";
  ProbeResult r;
  ReportMysqlFacts(f, &r);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].name, "rsagent_mysql_up");
  EXPECT_EQ(r.samples[0].value, 0);
  EXPECT_EQ(r.details["error"], f.error);
}

}  // namespace
}  // namespace rsagent::probes
