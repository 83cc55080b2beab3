// MysqlProbe against a scripted session (probes/mysql_session.h): which
// statements it sends to which server, how each reply becomes facts, and
// every role verdict and error path of an attempt. The real connection is
// exercised against real MariaDB by the integration tests.
#include "probes/mysql_probe.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "probes/mysql_session.h"
#include "tests/unit/probes/fake_mysql_session.h"
#include "tests/unit/probes/fake_session_probe_fixture.h"

namespace rsagent::probes {
namespace {

using testing::FakeSession;
using testing::Rows;
using testing::Variable;

constexpr unsigned ER_PARSE_ERROR = testing::kParseError;
constexpr unsigned ER_SPECIFIC_ACCESS_DENIED_ERROR = testing::kSpecificAccessDenied;

constexpr const char* kMysql8 = "8.0.36";

// One default channel as SHOW ALL SLAVES STATUS prints it.
MysqlRow Channel(std::string io, std::string sql, MysqlValue lag, uint64_t read = 100,
                 uint64_t exec = 100) {
  return {{"Connection_name", ""},
          {"Master_Host", "10.0.0.5"},
          {"Slave_IO_Running", std::move(io)},
          {"Slave_SQL_Running", std::move(sql)},
          {"Master_Log_File", "bin.000003"},
          {"Read_Master_Log_Pos", std::to_string(read)},
          {"Relay_Master_Log_File", "bin.000003"},
          {"Exec_Master_Log_Pos", std::to_string(exec)},
          {"Seconds_Behind_Master", std::move(lag)},
          {"Last_IO_Errno", "0"},
          {"Last_IO_Error", ""},
          {"Last_SQL_Errno", "0"},
          {"Last_SQL_Error", ""}};
}

class MysqlProbeTest : public testing::FakeSessionProbeTest<MysqlProbe, MysqlProbeSpec> {
 protected:
  MysqlProbeTest() {
    spec_.socket = "/run/mysqld/mysqld.sock";
    spec_.max_lag = std::chrono::seconds(5);
  }

  // A healthy server: read_only as given, semi-sync off, `channels` as its replicas.
  void Server(const char* read_only, Rows channels = {}) {
    session().On("SHOW GLOBAL VARIABLES", {.rows = Rows{Variable("read_only", read_only)}});
    session().On("SHOW GLOBAL STATUS", {});
    session().On("SHOW ALL SLAVES STATUS", {.rows = std::move(channels)});
  }
};

TEST_F(MysqlProbeTest, NotAnsweringTurnsTheProbeAndBothRolesDown) {
  session().answering = Error{"connect to /run/mysqld/mysqld.sock: No such file or directory"};
  const ProbeResult r = Attempt();
  EXPECT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.reason,
            "not answering: connect to /run/mysqld/mysqld.sock: No such file or directory");
  EXPECT_FALSE(Role(r, "writer").ok);
  EXPECT_EQ(Role(r, "writer").reason, r.outcome.reason);
  EXPECT_FALSE(Role(r, "reader").ok);
  EXPECT_EQ(session().sent, std::vector<std::string>{"SELECT 1"})
      << "nothing after a failed SELECT 1";
}

TEST_F(MysqlProbeTest, AWritablePrimaryIsWriterAndReader) {
  Server("OFF");
  const ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok);
  EXPECT_EQ(r.outcome.reason, "answers SELECT 1");
  EXPECT_TRUE(Role(r, "writer").ok) << Role(r, "writer").reason;
  EXPECT_EQ(Role(r, "writer").reason, "writable");
  EXPECT_TRUE(Role(r, "reader").ok);
  EXPECT_EQ(Role(r, "reader").reason, "not a replica");
  EXPECT_EQ(r.details.at("connects"), "1");
}

TEST_F(MysqlProbeTest, ReadOnlyIsNoWriter) {
  Server("ON");
  const ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok);
  EXPECT_FALSE(Role(r, "writer").ok);
  EXPECT_EQ(Role(r, "writer").reason, "read_only is ON");
  EXPECT_TRUE(Role(r, "reader").ok);
}

TEST_F(MysqlProbeTest, SuperReadOnlyOnMysql8IsNoWriterAndOnlyItsStatementIsSent) {
  session().version = kMysql8;
  session().On("SHOW GLOBAL VARIABLES",
               {.rows = Rows{Variable("read_only", "OFF"), Variable("super_read_only", "ON")}});
  session().On("SHOW GLOBAL STATUS", {});
  session().On("SHOW REPLICA STATUS", {});
  const ProbeResult r = Attempt();
  EXPECT_EQ(Role(r, "writer").reason, "super_read_only is ON");
  for (const auto& sql : session().sent) EXPECT_NE(sql, "SHOW ALL SLAVES STATUS");
}

TEST_F(MysqlProbeTest, AReplicaWithinMaxLagIsAReader) {
  Server("ON", Rows{Channel("Yes", "Yes", "2")});
  const ProbeResult r = Attempt();
  EXPECT_TRUE(Role(r, "reader").ok) << Role(r, "reader").reason;
  EXPECT_EQ(Role(r, "reader").reason, "replicating");
}

TEST_F(MysqlProbeTest, LagAboveMaxLagOrUnknownIsNoReader) {
  Server("ON", Rows{Channel("Yes", "Yes", "9")});
  EXPECT_EQ(Role(Attempt(), "reader").reason, "channel '' (default): lag 9s > max_lag 5s");

  session().replies.clear();
  Server("ON", Rows{Channel("Yes", "Yes", std::nullopt)});
  const ProbeResult unknown = Attempt();
  EXPECT_FALSE(Role(unknown, "reader").ok);
  EXPECT_EQ(Role(unknown, "reader").reason,
            "channel '' (default): lag unknown (Seconds_Behind_Master is NULL)");
}

TEST_F(MysqlProbeTest, AMasterThatHasNotAppliedAllItReceivedIsNoWriter) {
  Server("OFF", Rows{Channel("Yes", "Yes", "0", /*read=*/500, /*exec=*/300)});
  const ProbeResult r = Attempt();
  EXPECT_FALSE(Role(r, "writer").ok);
  EXPECT_EQ(Role(r, "writer").reason,
            "channel '' (default): not caught up, applied bin.000003:300 of received "
            "bin.000003:500");
}

TEST_F(MysqlProbeTest, AStoppedIoThreadKeepsTheWriterButNotTheReader) {
  MysqlRow channel = Channel("Connecting", "Yes", std::nullopt);
  channel["Last_IO_Errno"] = "2003";
  channel["Last_IO_Error"] = "error connecting to master";
  Server("OFF", Rows{channel});
  const ProbeResult r = Attempt();
  EXPECT_TRUE(Role(r, "writer").ok) << "the surviving master of a pair keeps writing";
  EXPECT_EQ(Role(r, "reader").reason,
            "channel '' (default): IO thread Connecting (error 2003: error connecting to master)");
}

TEST_F(MysqlProbeTest, ACoordinatorStopNamesTheFailingWorkersError) {
  MysqlRow channel = Channel("Yes", "No", std::nullopt);
  channel["Last_SQL_Errno"] = "1146";
  channel["Last_SQL_Error"] = "Coordinator stopped because there were error(s) in the worker(s).";
  Server("OFF", Rows{channel});
  session().On("SELECT CHANNEL_NAME", {.rows = Rows{{{"CHANNEL_NAME", ""},
                                                     {"WORKER_ID", "2"},
                                                     {"LAST_ERROR_NUMBER", "1062"},
                                                     {"LAST_ERROR_MESSAGE", "Duplicate entry"}}}});
  const ProbeResult r = Attempt();
  EXPECT_FALSE(Role(r, "writer").ok);
  EXPECT_NE(Role(r, "writer").reason.find("Duplicate entry"), std::string::npos)
      << Role(r, "writer").reason;
}

// A source with semi-sync enabled whose commits no longer wait for an ack.
void FellBackToAsync(FakeSession& session) {
  session.On(
      "SHOW GLOBAL VARIABLES",
      {.rows = Rows{Variable("read_only", "OFF"), Variable("rpl_semi_sync_master_enabled", "ON")}});
  session.On("SHOW GLOBAL STATUS", {.rows = Rows{Variable("Rpl_semi_sync_master_status", "OFF")}});
  session.On("SHOW ALL SLAVES STATUS", {});
}

TEST_F(MysqlProbeTest, SemiSyncFallenBackToAsyncKeepsTheWriterByDefault) {
  FellBackToAsync(session());
  EXPECT_TRUE(Role(Attempt(), "writer").ok);
}

TEST_F(MysqlProbeTest, SemiSyncFallenBackToAsyncIsFatalForTheWriterWithSemiSyncFatal) {
  spec_.semi_sync_fatal = true;
  FellBackToAsync(session());
  const ProbeResult r = Attempt();
  EXPECT_FALSE(Role(r, "writer").ok);
  EXPECT_NE(Role(r, "writer").reason.find("(semi_sync_fatal)"), std::string::npos)
      << Role(r, "writer").reason;
  EXPECT_TRUE(Role(r, "reader").ok);
}

TEST_F(MysqlProbeTest, NoChannelWithReplicationRequiredIsDownForBothRoles) {
  spec_.replication_required = true;
  Server("OFF");
  const ProbeResult r = Attempt();
  EXPECT_EQ(Role(r, "writer").reason, "no replication channel configured (replication_required)");
  EXPECT_EQ(Role(r, "reader").reason, "no replication channel configured (replication_required)");
}

TEST_F(MysqlProbeTest, AFailedVariablesQueryAnswersButHoldsBothRolesDown) {
  session().On("SHOW GLOBAL VARIABLES",
               {.rows = Error{"Lost connection to server during query"}, .code = 2013});
  const ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok) << "SELECT 1 came back";
  EXPECT_EQ(Role(r, "writer").reason, "Lost connection to server during query");
  EXPECT_EQ(Role(r, "reader").reason, "Lost connection to server during query");
}

TEST_F(MysqlProbeTest, AnUnknownReadOnlyHoldsBothRolesDownInsteadOfReadingAsOff) {
  // Found by fuzz.mysql_replies: a variables reply without read_only (no
  // row, NULL, or an empty value) made the writer UP ("writable").
  for (Rows variables : {Rows{}, Rows{{{"Variable_name", "read_only"}, {"Value", std::nullopt}}},
                         Rows{Variable("read_only", "")}}) {
    session().replies.clear();
    session().On("SHOW GLOBAL VARIABLES", {.rows = variables});
    session().On("SHOW GLOBAL STATUS", {});
    session().On("SHOW ALL SLAVES STATUS", {});
    const ProbeResult r = Attempt();
    EXPECT_TRUE(r.outcome.ok) << "SELECT 1 came back";
    EXPECT_EQ(Role(r, "writer").reason,
              "read_only unknown: SHOW GLOBAL VARIABLES returned no read_only value");
    EXPECT_FALSE(Role(r, "reader").ok);
  }
}

TEST_F(MysqlProbeTest, AFailedQueryWithoutAMessageStillHoldsBothRolesDown) {
  // Found by fuzz.mysql_replies: an error with an empty text left facts.error
  // empty, which the roles read as "no failure": writer UP.
  session().On("SHOW GLOBAL VARIABLES", {.rows = Error{""}, .code = 2013});
  const ProbeResult r = Attempt();
  EXPECT_EQ(Role(r, "writer").reason, "SHOW GLOBAL VARIABLES failed (no error message)");
  EXPECT_FALSE(Role(r, "reader").ok);

  session().replies.clear();
  session().On("SHOW GLOBAL VARIABLES", {.rows = Rows{Variable("read_only", "OFF")}});
  session().On("SHOW GLOBAL STATUS", {.rows = Error{""}, .code = 2013});
  EXPECT_EQ(Role(Attempt(), "writer").reason, "SHOW GLOBAL STATUS failed (no error message)");

  session().replies.clear();
  Server("OFF");
  session().replies.back().second = {.rows = Error{""}, .code = 2013};
  EXPECT_EQ(Role(Attempt(), "writer").reason, "the replica status query failed (no error message)");
}

TEST_F(MysqlProbeTest, AFailedStatusQueryHoldsBothRolesDown) {
  session().On("SHOW GLOBAL VARIABLES", {.rows = Rows{Variable("read_only", "OFF")}});
  session().On("SHOW GLOBAL STATUS", {.rows = Error{"query timed out after 1000 ms"}, .code = 0});
  EXPECT_EQ(Role(Attempt(), "writer").reason, "query timed out after 1000 ms");
}

TEST_F(MysqlProbeTest, NoPrivilegeForTheReplicaStatusIsUnknownNotNotAReplica) {
  session().On("SHOW GLOBAL VARIABLES", {.rows = Rows{Variable("read_only", "OFF")}});
  session().On("SHOW GLOBAL STATUS", {});
  session().On("SHOW ALL SLAVES STATUS",
               {.rows = Error{"Access denied; you need the SLAVE MONITOR privilege"},
                .code = ER_SPECIFIC_ACCESS_DENIED_ERROR});
  const ProbeResult r = Attempt();
  EXPECT_FALSE(Role(r, "reader").ok);
  EXPECT_EQ(Role(r, "reader").reason,
            "replication state unknown: Access denied; you need the SLAVE MONITOR privilege "
            "(GRANT SLAVE MONITOR ON *.* TO the probe's user; docs/mysql.md \"Minimal grants\")");
  EXPECT_FALSE(Role(r, "writer").ok);
}

TEST_F(MysqlProbeTest, AnUnknownServerIsAskedEachSpellingUntilOneParsesOncePerConnection) {
  session().version = "";  // no version: start at the top of the list
  session().On("SHOW GLOBAL VARIABLES", {.rows = Rows{Variable("read_only", "ON")}});
  session().On("SHOW GLOBAL STATUS", {});
  session().On("SHOW ALL SLAVES STATUS", {.rows = Error{"syntax"}, .code = ER_PARSE_ERROR});
  session().On("SHOW REPLICA STATUS", {.rows = Error{"syntax"}, .code = ER_PARSE_ERROR});
  session().On("SHOW SLAVE STATUS", {.rows = Rows{Channel("Yes", "Yes", "1")}});
  EXPECT_TRUE(Role(Attempt(), "reader").ok);
  const std::vector<std::string> asked(session().sent.end() - 3, session().sent.end());
  EXPECT_EQ(asked, (std::vector<std::string>{"SHOW ALL SLAVES STATUS", "SHOW REPLICA STATUS",
                                             "SHOW SLAVE STATUS"}));

  session().sent.clear();  // same connection: straight to the one that worked
  Attempt();
  EXPECT_EQ(session().sent.back(), "SHOW SLAVE STATUS");
  EXPECT_EQ(std::count(session().sent.begin(), session().sent.end(), "SHOW ALL SLAVES STATUS"), 0);

  session().sent.clear();  // a new connection (the server may have been upgraded): again
  session().connect_count = 2;
  Attempt();
  EXPECT_EQ(std::count(session().sent.begin(), session().sent.end(), "SHOW ALL SLAVES STATUS"), 1);
}

TEST_F(MysqlProbeTest, AServerThatKnowsNoReplicaStatusStatementSaysSo) {
  session().version = "";
  session().On("SHOW GLOBAL VARIABLES", {.rows = Rows{Variable("read_only", "OFF")}});
  session().On("SHOW GLOBAL STATUS", {});
  session().On("SHOW ", {.rows = Error{"syntax"}, .code = ER_PARSE_ERROR});
  EXPECT_EQ(Role(Attempt(), "writer").reason,
            "the server knows none of SHOW ALL SLAVES STATUS, SHOW REPLICA STATUS, SHOW SLAVE "
            "STATUS");
}

TEST_F(MysqlProbeTest, AReplicaStatusErrorOtherThanSyntaxIsNotRetriedWithAnotherSpelling) {
  session().On("SHOW GLOBAL VARIABLES", {.rows = Rows{Variable("read_only", "OFF")}});
  session().On("SHOW GLOBAL STATUS", {});
  session().On("SHOW ALL SLAVES STATUS", {.rows = Error{"Lost connection"}, .code = 2013});
  EXPECT_EQ(Role(Attempt(), "writer").reason, "Lost connection");
  EXPECT_EQ(session().sent.back(), "SHOW ALL SLAVES STATUS");
}

TEST_F(MysqlProbeTest, AReplicaRowWithoutItsColumnsIsAnErrorNotAHealthyReplica) {
  Server("OFF", Rows{{{"Connection_name", ""}, {"Slave_IO_Running", "Yes"}}});
  const ProbeResult r = Attempt();
  EXPECT_FALSE(Role(r, "reader").ok);
  EXPECT_EQ(Role(r, "reader").reason, "replica status has no column Slave_SQL_Running");
}

TEST_F(MysqlProbeTest, HeartbeatLagDecidesTheReader) {
  spec_.heartbeat_table = "percona.heartbeat";
  Server("ON", Rows{Channel("Yes", "Yes", std::nullopt)});  // NULL lag: the heartbeat decides
  session().On("SELECT TIMESTAMPDIFF", {.rows = Rows{{{"lag_seconds", "1.5"}}}});
  const ProbeResult r = Attempt();
  EXPECT_TRUE(Role(r, "reader").ok) << Role(r, "reader").reason;
  EXPECT_NE(session().sent.back().find("FROM `percona`.`heartbeat` WHERE server_id <> @@server_id"),
            std::string::npos)
      << session().sent.back();

  session().replies.back().second.rows = Rows{{{"lag_seconds", "7.25"}}};
  EXPECT_EQ(Role(Attempt(), "reader").reason, "heartbeat lag 7.25s > max_lag 5s");

  session().replies.back().second.rows = Rows{{{"lag_seconds", std::nullopt}}};
  EXPECT_EQ(Role(Attempt(), "reader").reason,
            "lag unknown: heartbeat no row from another server in percona.heartbeat");

  session().replies.back().second.rows = Error{"Table 'percona.heartbeat' doesn't exist"};
  EXPECT_EQ(Role(Attempt(), "reader").reason,
            "lag unknown: heartbeat Table 'percona.heartbeat' doesn't exist");
}

TEST_F(MysqlProbeTest, AHeartbeatLagThatIsNotANumberIsUnknown) {
  // Found by fuzz.mysql_replies: strtod read "0.42" and ignored what followed,
  // and "nan" compared below every max_lag: the reader stayed UP.
  spec_.heartbeat_table = "percona.heartbeat";
  Server("ON", Rows{Channel("Yes", "Yes", "0")});
  session().On("SELECT TIMESTAMPDIFF", {.rows = Rows{{{"lag_seconds", "0.42"}}}});
  EXPECT_TRUE(Role(Attempt(), "reader").ok);
  for (const char* bad : {"0.42\xff\xff", "nan", "inf", "", "1e999", " 1"}) {
    session().replies.back().second.rows = Rows{{{"lag_seconds", bad}}};
    const ProbeResult r = Attempt();
    EXPECT_FALSE(Role(r, "reader").ok) << bad;
    EXPECT_EQ(Role(r, "reader").reason, std::string("lag unknown: heartbeat lag \"") + bad +
                                            "\" from percona.heartbeat is not a number of seconds");
    EXPECT_EQ(r.details.count("heartbeat_lag"), 1u);
  }
}

}  // namespace
}  // namespace rsagent::probes
