#include "probes/mysql_roles.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

ReplicaChannel Healthy() {
  ReplicaChannel c;
  c.source_host = "10.77.0.2";
  c.io_running = "Yes";
  c.sql_running = "Yes";
  c.seconds_behind = 0;
  c.received = {"binlog.000001", 1037};
  c.applied = {"binlog.000001", 1037};
  return c;
}

MysqlFacts Replicating() {
  MysqlFacts f;
  f.answers = true;
  f.channels = {Healthy()};
  f.semi_sync.source_enabled = true;
  f.semi_sync.source_active = true;
  return f;
}

MysqlProbeSpec Spec() {
  MysqlProbeSpec spec;
  spec.socket = "/run/mysqld/mysqld.sock";
  return spec;
}

TEST(MysqlRolesTest, HealthyMasterIsWriterAndReader) {
  EXPECT_TRUE(EvaluateWriter(Replicating(), Spec()).ok);
  Outcome reader = EvaluateReader(Replicating(), Spec());
  EXPECT_TRUE(reader.ok);
  EXPECT_EQ(reader.reason, "replicating");
}

TEST(MysqlRolesTest, NotAnsweringIsDownForBoth) {
  MysqlFacts f;
  f.error = "connect to /run/mysqld/mysqld.sock: timed out";
  EXPECT_EQ(EvaluateWriter(f, Spec()).reason,
            "not answering: connect to /run/mysqld/mysqld.sock: timed out");
  EXPECT_FALSE(EvaluateReader(f, Spec()).ok);
}

TEST(MysqlRolesTest, ReadOnlyIsWriterDownReaderUp) {
  MysqlFacts f = Replicating();
  f.read_only = true;
  EXPECT_EQ(EvaluateWriter(f, Spec()).reason, "read_only is ON");
  EXPECT_TRUE(EvaluateReader(f, Spec()).ok);
  f.read_only = false;
  f.super_read_only = true;
  EXPECT_EQ(EvaluateWriter(f, Spec()).reason, "super_read_only is ON");
}

TEST(MysqlRolesTest, RecoveredMasterBehindIsNotAWriter) {
  MysqlFacts f = Replicating();
  f.channels[0].applied.offset = 900;
  Outcome writer = EvaluateWriter(f, Spec());
  EXPECT_FALSE(writer.ok);
  EXPECT_EQ(writer.reason,
            "channel '' (default): not caught up, applied binlog.000001:900 of received "
            "binlog.000001:1037");
}

TEST(MysqlRolesTest, AStoppedChannelIsNotCalledBehind) {
  MysqlFacts f = Replicating();
  f.channels[0].io_running = "No";
  f.channels[0].sql_running = "No";
  f.channels[0].applied = {"", 0};  // a replica MariaDB could not initialize
  Outcome writer = EvaluateWriter(f, Spec());
  EXPECT_FALSE(writer.ok);
  EXPECT_EQ(writer.reason,
            "channel '' (default): replication not running (IO thread No, SQL thread No, no "
            "error): cannot tell whether it applied all it received (applied :0, received "
            "binlog.000001:1037)");
  f.channels[0].applied = f.channels[0].received;  // stopped after applying everything
  EXPECT_TRUE(EvaluateWriter(f, Spec()).ok);
  // Only the SQL thread stopped: what was received is current, so "behind".
  f.channels[0].io_running = "Yes";
  f.channels[0].applied.offset = 900;
  EXPECT_NE(EvaluateWriter(f, Spec()).reason.find("not caught up, applied"), std::string::npos);
}

TEST(MysqlRolesTest, PeerGoneKeepsTheWriterButNotTheReader) {
  MysqlFacts f = Replicating();
  f.channels[0].io_running = "Connecting";
  f.channels[0].seconds_behind.reset();
  f.channels[0].last_io_errno = 2003;
  f.channels[0].last_io_error = "Can't connect to server on '10.77.0.2' (111)";
  EXPECT_TRUE(EvaluateWriter(f, Spec()).ok);
  EXPECT_EQ(EvaluateReader(f, Spec()).reason,
            "channel '' (default): IO thread Connecting (error 2003: Can't connect to server on "
            "'10.77.0.2' (111))");
}

TEST(MysqlRolesTest, SqlThreadStoppedOnErrorIsDownForBoth) {
  MysqlFacts f = Replicating();
  f.channels[0].sql_running = "No";
  f.channels[0].last_sql_errno = 1062;
  f.channels[0].last_sql_error = "Duplicate entry '5' for key 'PRIMARY'";
  EXPECT_EQ(EvaluateWriter(f, Spec()).reason,
            "channel '' (default): SQL thread stopped (error 1062: Duplicate entry '5' for key "
            "'PRIMARY')");
  EXPECT_FALSE(EvaluateReader(f, Spec()).ok);
}

TEST(MysqlRolesTest, NullLagIsUnknownAndDown) {
  MysqlFacts f = Replicating();
  f.channels[0].seconds_behind.reset();
  EXPECT_EQ(EvaluateReader(f, Spec()).reason,
            "channel '' (default): lag unknown (Seconds_Behind_Master is NULL)");
}

TEST(MysqlRolesTest, LagAboveMaxLagIsReaderDown) {
  MysqlFacts f = Replicating();
  f.channels[0].seconds_behind = 6;
  EXPECT_EQ(EvaluateReader(f, Spec()).reason, "channel '' (default): lag 6s > max_lag 5s");
  f.channels[0].seconds_behind = 5;
  EXPECT_TRUE(EvaluateReader(f, Spec()).ok);
}

TEST(MysqlRolesTest, HeartbeatLagReplacesSecondsBehind) {
  MysqlProbeSpec spec = Spec();
  spec.heartbeat_table = "percona.heartbeat";
  MysqlFacts f = Replicating();
  f.channels[0].seconds_behind.reset();  // ignored when a heartbeat is configured
  f.heartbeat_lag_seconds = 1.5;
  EXPECT_TRUE(EvaluateReader(f, spec).ok);
  f.heartbeat_lag_seconds = 7.25;
  EXPECT_EQ(EvaluateReader(f, spec).reason, "heartbeat lag 7.25s > max_lag 5s");
  f.heartbeat_lag_seconds.reset();
  f.heartbeat_error = "no row from another server in percona.heartbeat";
  EXPECT_EQ(EvaluateReader(f, spec).reason,
            "lag unknown: heartbeat no row from another server in percona.heartbeat");
}

TEST(MysqlRolesTest, SemiSyncFallbackIsFatalOnlyWhenAskedAndOnlyForWriters) {
  MysqlFacts f = Replicating();
  f.semi_sync.source_active = false;
  f.semi_sync.no_tx = 3;
  EXPECT_TRUE(EvaluateWriter(f, Spec()).ok);
  MysqlProbeSpec fatal = Spec();
  fatal.semi_sync_fatal = true;
  EXPECT_EQ(EvaluateWriter(f, fatal).reason,
            "semi-sync fell back to async (3 commits without ack) (semi_sync_fatal)");
  EXPECT_TRUE(EvaluateReader(f, fatal).ok);
}

TEST(MysqlRolesTest, ReplicationRequired) {
  MysqlFacts f = Replicating();
  f.channels.clear();
  EXPECT_TRUE(EvaluateWriter(f, Spec()).ok);
  EXPECT_EQ(EvaluateReader(f, Spec()).reason, "not a replica");
  MysqlProbeSpec required = Spec();
  required.replication_required = true;
  EXPECT_EQ(EvaluateWriter(f, required).reason,
            "no replication channel configured (replication_required)");
  EXPECT_FALSE(EvaluateReader(f, required).ok);
}

TEST(MysqlRolesTest, FailedStatusQueryIsDown) {
  MysqlFacts f = Replicating();
  f.error =
      "SHOW ALL SLAVES STATUS: Access denied; you need (at least one of) the SLAVE MONITOR "
      "privilege(s)";
  EXPECT_EQ(EvaluateWriter(f, Spec()).reason, f.error);
  EXPECT_EQ(EvaluateReader(f, Spec()).reason, f.error);
}

}  // namespace
}  // namespace rsagent::probes
