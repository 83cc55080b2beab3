#include "probes/mysql_replica_status.h"

#include <gtest/gtest.h>

#include <sstream>

namespace rsagent::probes {
namespace {

// A row as the mysql client prints it with \G; "NULL" is SQL NULL.
MysqlRow RowFromVertical(const std::string& text) {
  MysqlRow row;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t colon = line.find(": ");
    size_t begin = line.find_first_not_of(' ');
    if (colon == std::string::npos) {
      if (line.back() == ':') row[line.substr(begin, line.size() - 1 - begin)] = "";
      continue;
    }
    std::string value = line.substr(colon + 2);
    row[line.substr(begin, colon - begin)] = value == "NULL" ? MysqlValue() : MysqlValue(value);
  }
  return row;
}

// MySQL 5.7.44, SHOW SLAVE STATUS\G, replicating.
constexpr const char* kMysql57 = R"(
               Slave_IO_State: Waiting for master to send event
                  Master_Host: 10.0.0.5
                  Master_User: repl
                  Master_Port: 3306
                Connect_Retry: 60
              Master_Log_File: mysql-bin.000003
          Read_Master_Log_Pos: 4521
               Relay_Log_File: db2-relay-bin.000004
                Relay_Log_Pos: 4734
        Relay_Master_Log_File: mysql-bin.000003
             Slave_IO_Running: Yes
            Slave_SQL_Running: Yes
              Replicate_Do_DB:
          Replicate_Ignore_DB:
           Replicate_Do_Table:
       Replicate_Ignore_Table:
      Replicate_Wild_Do_Table:
  Replicate_Wild_Ignore_Table:
                   Last_Errno: 0
                   Last_Error:
                 Skip_Counter: 0
          Exec_Master_Log_Pos: 4521
              Relay_Log_Space: 5108
              Until_Condition: None
               Until_Log_File:
                Until_Log_Pos: 0
           Master_SSL_Allowed: No
           Master_SSL_CA_File:
           Master_SSL_CA_Path:
              Master_SSL_Cert:
            Master_SSL_Cipher:
               Master_SSL_Key:
        Seconds_Behind_Master: 0
Master_SSL_Verify_Server_Cert: No
                Last_IO_Errno: 0
                Last_IO_Error:
               Last_SQL_Errno: 0
               Last_SQL_Error:
  Replicate_Ignore_Server_Ids:
             Master_Server_Id: 1
                  Master_UUID: 3e11fa47-71ca-11e1-9e33-c80aa9429562
             Master_Info_File: /var/lib/mysql/master.info
                    SQL_Delay: 0
          SQL_Remaining_Delay: NULL
      Slave_SQL_Running_State: Slave has read all relay log; waiting for more updates
           Master_Retry_Count: 86400
                  Master_Bind:
      Last_IO_Error_Timestamp:
     Last_SQL_Error_Timestamp:
               Master_SSL_Crl:
           Master_SSL_Crlpath:
           Retrieved_Gtid_Set:
            Executed_Gtid_Set:
                Auto_Position: 0
         Replicate_Rewrite_DB:
                 Channel_Name:
           Master_TLS_Version:
)";

// MySQL 8.0.36, SHOW REPLICA STATUS\G, IO thread reconnecting after the
// source went away: lag is NULL.
constexpr const char* kMysql80 = R"(
             Replica_IO_State: Reconnecting after a failed source event read
                  Source_Host: 10.0.0.5
                  Source_User: repl
                  Source_Port: 3306
                Connect_Retry: 60
              Source_Log_File: binlog.000012
          Read_Source_Log_Pos: 197
               Relay_Log_File: db2-relay-bin.000031
                Relay_Log_Pos: 373
        Relay_Source_Log_File: binlog.000012
           Replica_IO_Running: Connecting
          Replica_SQL_Running: Yes
              Replicate_Do_DB:
          Replicate_Ignore_DB:
           Replicate_Do_Table:
       Replicate_Ignore_Table:
      Replicate_Wild_Do_Table:
  Replicate_Wild_Ignore_Table:
                   Last_Errno: 0
                   Last_Error:
                 Skip_Counter: 0
          Exec_Source_Log_Pos: 197
              Relay_Log_Space: 747
              Until_Condition: None
               Until_Log_File:
                Until_Log_Pos: 0
           Source_SSL_Allowed: No
           Source_SSL_CA_File:
           Source_SSL_CA_Path:
              Source_SSL_Cert:
            Source_SSL_Cipher:
               Source_SSL_Key:
        Seconds_Behind_Source: NULL
Source_SSL_Verify_Server_Cert: No
                Last_IO_Errno: 2003
                Last_IO_Error: error reconnecting to master 'repl@10.0.0.5:3306' - retry-time: 60 retries: 1 message: Can't connect to MySQL server on '10.0.0.5:3306' (111)
               Last_SQL_Errno: 0
               Last_SQL_Error:
  Replicate_Ignore_Server_Ids:
             Source_Server_Id: 1
                  Source_UUID: 5b0e2a3c-c1a4-11ee-8a4f-0242ac110002
             Source_Info_File: mysql.slave_master_info
                    SQL_Delay: 0
          SQL_Remaining_Delay: NULL
    Replica_SQL_Running_State: Replica has read all relay log; waiting for more updates
           Source_Retry_Count: 86400
                  Source_Bind:
      Last_IO_Error_Timestamp: 240214 10:02:11
     Last_SQL_Error_Timestamp:
               Source_SSL_Crl:
           Source_SSL_Crlpath:
           Retrieved_Gtid_Set: 5b0e2a3c-c1a4-11ee-8a4f-0242ac110002:1-42
            Executed_Gtid_Set: 5b0e2a3c-c1a4-11ee-8a4f-0242ac110002:1-42,
6a1f3b2d-c1a4-11ee-9d6e-0242ac110003:1-17
                Auto_Position: 1
         Replicate_Rewrite_DB:
                 Channel_Name:
           Source_TLS_Version:
       Source_public_key_path:
        Get_Source_public_key: 0
            Network_Namespace:
)";

// MySQL 8.4.0, SHOW REPLICA STATUS\G, channel "east" with the SQL thread
// behind what the IO thread received.
constexpr const char* kMysql84 = R"(
             Replica_IO_State: Waiting for source to send event
                  Source_Host: 10.0.1.7
                  Source_User: repl
                  Source_Port: 3306
                Connect_Retry: 60
              Source_Log_File: binlog.000002
          Read_Source_Log_Pos: 90210
               Relay_Log_File: db2-relay-bin-east.000002
                Relay_Log_Pos: 1042
        Relay_Source_Log_File: binlog.000002
           Replica_IO_Running: Yes
          Replica_SQL_Running: Yes
              Replicate_Do_DB:
          Replicate_Ignore_DB:
           Replicate_Do_Table:
       Replicate_Ignore_Table:
      Replicate_Wild_Do_Table:
  Replicate_Wild_Ignore_Table:
                   Last_Errno: 0
                   Last_Error:
                 Skip_Counter: 0
          Exec_Source_Log_Pos: 1000
              Relay_Log_Space: 91000
              Until_Condition: None
               Until_Log_File:
                Until_Log_Pos: 0
           Source_SSL_Allowed: No
           Source_SSL_CA_File:
           Source_SSL_CA_Path:
              Source_SSL_Cert:
            Source_SSL_Cipher:
               Source_SSL_Key:
        Seconds_Behind_Source: 17
Source_SSL_Verify_Server_Cert: No
                Last_IO_Errno: 0
                Last_IO_Error:
               Last_SQL_Errno: 0
               Last_SQL_Error:
  Replicate_Ignore_Server_Ids:
             Source_Server_Id: 7
                  Source_UUID: 0d1e2f3a-1b2c-11ef-a1b2-0242ac110007
             Source_Info_File: mysql.slave_master_info
                    SQL_Delay: 0
          SQL_Remaining_Delay: NULL
    Replica_SQL_Running_State: Waiting for dependent transaction to commit
           Source_Retry_Count: 10
                  Source_Bind:
      Last_IO_Error_Timestamp:
     Last_SQL_Error_Timestamp:
               Source_SSL_Crl:
           Source_SSL_Crlpath:
           Retrieved_Gtid_Set: 0d1e2f3a-1b2c-11ef-a1b2-0242ac110007:1-900
            Executed_Gtid_Set: 0d1e2f3a-1b2c-11ef-a1b2-0242ac110007:1-880
                Auto_Position: 1
         Replicate_Rewrite_DB:
                 Channel_Name: east
           Source_TLS_Version:
       Source_public_key_path:
        Get_Source_public_key: 0
            Network_Namespace:
)";

// MariaDB 10.11, SHOW ALL SLAVES STATUS\G: two connections (multi-source),
// the second with its SQL thread stopped on an error.
constexpr const char* kMariadbDefault = R"(
                Connection_name:
                Slave_SQL_State: Slave has read all relay log; waiting for more updates
                 Slave_IO_State: Waiting for master to send event
                    Master_Host: 10.77.0.2
                    Master_User: repl
                    Master_Port: 3306
                  Connect_Retry: 1
                Master_Log_File: binlog.000001
            Read_Master_Log_Pos: 1037
                 Relay_Log_File: mysqld-relay-bin.000002
                  Relay_Log_Pos: 1130
          Relay_Master_Log_File: binlog.000001
               Slave_IO_Running: Yes
              Slave_SQL_Running: Yes
                Replicate_Do_DB:
            Replicate_Ignore_DB:
             Replicate_Do_Table:
         Replicate_Ignore_Table:
        Replicate_Wild_Do_Table:
    Replicate_Wild_Ignore_Table:
                     Last_Errno: 0
                     Last_Error:
                   Skip_Counter: 0
            Exec_Master_Log_Pos: 1037
                Relay_Log_Space: 1440
                Until_Condition: None
                 Until_Log_File:
                  Until_Log_Pos: 0
             Master_SSL_Allowed: Yes
             Master_SSL_CA_File:
             Master_SSL_CA_Path:
                Master_SSL_Cert:
              Master_SSL_Cipher:
                 Master_SSL_Key:
          Seconds_Behind_Master: 0
  Master_SSL_Verify_Server_Cert: No
                  Last_IO_Errno: 0
                  Last_IO_Error:
                 Last_SQL_Errno: 0
                 Last_SQL_Error:
    Replicate_Ignore_Server_Ids:
               Master_Server_Id: 2
                 Master_SSL_Crl:
             Master_SSL_Crlpath:
                     Using_Gtid: Slave_Pos
                    Gtid_IO_Pos: 1-1-3,2-2-1
        Replicate_Do_Domain_Ids:
    Replicate_Ignore_Domain_Ids:
                  Parallel_Mode: optimistic
                      SQL_Delay: 0
            SQL_Remaining_Delay: NULL
        Slave_SQL_Running_State: Slave has read all relay log; waiting for more updates
               Slave_DDL_Groups: 2
 Slave_Non_Transactional_Groups: 0
     Slave_Transactional_Groups: 1
           Replicate_Rewrite_DB:
           Retried_transactions: 0
             Max_relay_log_size: 1073741824
           Executed_log_entries: 18
      Slave_received_heartbeats: 2
         Slave_heartbeat_period: 1.000
                 Gtid_Slave_Pos: 1-1-3,2-2-1
)";

constexpr const char* kMariadbWest = R"(
                Connection_name: west
                Slave_SQL_State:
                 Slave_IO_State: Waiting for master to send event
                    Master_Host: 10.77.0.9
                    Master_User: repl
                    Master_Port: 3306
                  Connect_Retry: 1
                Master_Log_File: binlog.000004
            Read_Master_Log_Pos: 8812
                 Relay_Log_File: mysqld-relay-bin-west.000003
                  Relay_Log_Pos: 700
          Relay_Master_Log_File: binlog.000004
               Slave_IO_Running: Yes
              Slave_SQL_Running: No
                Replicate_Do_DB:
            Replicate_Ignore_DB:
             Replicate_Do_Table:
         Replicate_Ignore_Table:
        Replicate_Wild_Do_Table:
    Replicate_Wild_Ignore_Table:
                     Last_Errno: 1062
                     Last_Error: Could not execute Write_rows_v1 event on table t.x; Duplicate entry '5' for key 'PRIMARY'
                   Skip_Counter: 0
            Exec_Master_Log_Pos: 612
                Relay_Log_Space: 9100
                Until_Condition: None
                 Until_Log_File:
                  Until_Log_Pos: 0
             Master_SSL_Allowed: Yes
             Master_SSL_CA_File:
             Master_SSL_CA_Path:
                Master_SSL_Cert:
              Master_SSL_Cipher:
                 Master_SSL_Key:
          Seconds_Behind_Master: NULL
  Master_SSL_Verify_Server_Cert: No
                  Last_IO_Errno: 0
                  Last_IO_Error:
                 Last_SQL_Errno: 1062
                 Last_SQL_Error: Could not execute Write_rows_v1 event on table t.x; Duplicate entry '5' for key 'PRIMARY'
    Replicate_Ignore_Server_Ids:
               Master_Server_Id: 9
                 Master_SSL_Crl:
             Master_SSL_Crlpath:
                     Using_Gtid: Slave_Pos
                    Gtid_IO_Pos: 9-9-120
        Replicate_Do_Domain_Ids:
    Replicate_Ignore_Domain_Ids:
                  Parallel_Mode: optimistic
                      SQL_Delay: 0
            SQL_Remaining_Delay: NULL
        Slave_SQL_Running_State:
               Slave_DDL_Groups: 0
 Slave_Non_Transactional_Groups: 0
     Slave_Transactional_Groups: 4
           Replicate_Rewrite_DB:
           Retried_transactions: 0
             Max_relay_log_size: 1073741824
           Executed_log_entries: 30
      Slave_received_heartbeats: 11
         Slave_heartbeat_period: 1.000
                 Gtid_Slave_Pos: 1-1-3,2-2-1,9-9-118
)";

ReplicaChannel Parse(const char* text) {
  auto channel = ParseReplicaRow(RowFromVertical(text));
  EXPECT_TRUE(channel.ok()) << channel.error();
  return channel.value();
}

TEST(MysqlReplicaStatusTest, Mysql57SlaveColumns) {
  ReplicaChannel c = Parse(kMysql57);
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.source_host, "10.0.0.5");
  EXPECT_TRUE(c.IoRunning());
  EXPECT_TRUE(c.SqlRunning());
  EXPECT_EQ(c.seconds_behind, 0);
  EXPECT_EQ(c.received, (BinlogPosition{"mysql-bin.000003", 4521}));
  EXPECT_TRUE(c.AppliedAllReceived());
}

TEST(MysqlReplicaStatusTest, Mysql80ReplicaColumnsWithNullLagStayUnknown) {
  ReplicaChannel c = Parse(kMysql80);
  EXPECT_EQ(c.io_running, "Connecting");
  EXPECT_FALSE(c.IoRunning());
  EXPECT_FALSE(c.seconds_behind.has_value());  // NULL is unknown, never 0
  EXPECT_EQ(c.last_io_errno, 2003);
  EXPECT_EQ(c.gtid_received, "5b0e2a3c-c1a4-11ee-8a4f-0242ac110002:1-42");
  EXPECT_TRUE(c.AppliedAllReceived());
}

TEST(MysqlReplicaStatusTest, Mysql84NamedChannelBehindWhatItReceived) {
  ReplicaChannel c = Parse(kMysql84);
  EXPECT_EQ(c.name, "east");
  EXPECT_EQ(c.DisplayName(), "'east'");
  EXPECT_EQ(c.seconds_behind, 17);
  EXPECT_EQ(c.applied, (BinlogPosition{"binlog.000002", 1000}));
  EXPECT_EQ(c.received, (BinlogPosition{"binlog.000002", 90210}));
  EXPECT_FALSE(c.AppliedAllReceived());
}

TEST(MysqlReplicaStatusTest, MariadbMultiSourceRows) {
  auto channels =
      ParseReplicaRows({RowFromVertical(kMariadbDefault), RowFromVertical(kMariadbWest)});
  ASSERT_TRUE(channels.ok()) << channels.error();
  ASSERT_EQ(channels->size(), 2u);
  const ReplicaChannel& first = (*channels)[0];
  const ReplicaChannel& west = (*channels)[1];
  EXPECT_EQ(first.name, "");
  EXPECT_EQ(first.DisplayName(), "'' (default)");
  EXPECT_EQ(first.gtid_received, "1-1-3,2-2-1");
  EXPECT_TRUE(first.AppliedAllReceived());
  EXPECT_EQ(west.name, "west");
  EXPECT_FALSE(west.SqlRunning());
  EXPECT_EQ(west.last_sql_errno, 1062);
  EXPECT_FALSE(west.seconds_behind.has_value());
  EXPECT_FALSE(west.AppliedAllReceived());
}

TEST(MysqlReplicaStatusTest, DifferentFileMeansNotCaughtUpEvenAtSameOffset) {
  MysqlRow row = RowFromVertical(kMariadbDefault);
  row["Master_Log_File"] = "binlog.000002";
  EXPECT_FALSE(ParseReplicaRow(row)->AppliedAllReceived());
}

TEST(MysqlReplicaStatusTest, RowWithoutReplicationColumnsIsAnError) {
  auto channel = ParseReplicaRow(MysqlRow{{"Variable_name", "read_only"}, {"Value", "OFF"}});
  ASSERT_FALSE(channel.ok());
  EXPECT_EQ(channel.error(), "replica status has no column Slave_IO_Running");
}

TEST(MysqlReplicaStatusTest, AnUnreadablePositionIsAnErrorNotZero) {
  // Found by fuzz.mysql_replies: both positions empty (or NULL, or junk) read
  // as 0 == 0, a channel "caught up" whatever it had applied.
  for (const char* column : {"Read_Master_Log_Pos", "Exec_Master_Log_Pos"}) {
    for (MysqlValue bad : {MysqlValue(""), MysqlValue(), MysqlValue("-1"), MysqlValue("12x"),
                           MysqlValue("99999999999999999999")}) {
      MysqlRow row = RowFromVertical(kMariadbDefault);
      row[column] = bad;
      auto channel = ParseReplicaRow(row);
      ASSERT_FALSE(channel.ok()) << column << " = " << bad.value_or("NULL");
      EXPECT_EQ(channel.error().find(std::string("replica status column ") + column +
                                     " is not a log position: \""),
                0u)
          << channel.error();
    }
  }
  MysqlRow row = RowFromVertical(kMariadbDefault);
  row["Read_Master_Log_Pos"] = std::string(1000, '7');
  EXPECT_LT(ParseReplicaRow(row).error().size(), 120u) << "the value is quoted short";
}

TEST(MysqlReplicaStatusTest, NoRowsIsNotAReplica) {
  auto channels = ParseReplicaRows({});
  ASSERT_TRUE(channels.ok());
  EXPECT_TRUE(channels->empty());
}

}  // namespace
}  // namespace rsagent::probes

namespace rsagent::probes {
namespace {

TEST(MysqlReplicaStatusTest, CoordinatorStoppedNamesTheWorkersError) {
  ReplicaChannel stopped;
  stopped.name = "";
  stopped.sql_running = "No";
  stopped.last_sql_errno = 1062;
  stopped.last_sql_error =
      "Coordinator stopped because there were error(s) in the worker(s). The most recent failure "
      "being: Worker 1 failed executing transaction 'ANONYMOUS' at source log binlog.000001, "
      "end_log_pos "
      "1234. See error log and/or performance_schema.replication_applier_status_by_worker table "
      "for "
      "more details about this failure or others, if any.";
  ReplicaChannel other = stopped;
  other.name = "east";
  other.last_sql_error = "Error 'Table x doesn't exist' on query";
  std::vector<ReplicaChannel> channels = {stopped, other};
  ASSERT_TRUE(NeedsWorkerError(channels));
  ApplyWorkerErrors({MysqlRow{{"CHANNEL_NAME", ""},
                              {"WORKER_ID", "1"},
                              {"LAST_ERROR_NUMBER", "1062"},
                              {"LAST_ERROR_MESSAGE",
                               "Worker 1 failed executing transaction: Duplicate entry '1' for key "
                               "'t.PRIMARY'"}}},
                    &channels);
  EXPECT_EQ(channels[0].last_sql_errno, 1062);
  EXPECT_EQ(channels[0].last_sql_error,
            "Worker 1 failed executing transaction: Duplicate entry '1' for key 't.PRIMARY'");
  EXPECT_EQ(channels[1].last_sql_error, "Error 'Table x doesn't exist' on query");
  EXPECT_FALSE(NeedsWorkerError({other}));
}

TEST(MysqlReplicaStatusTest, CoordinatorStoppedWithoutWorkerRowsKeepsItsMessage) {
  ReplicaChannel stopped;
  stopped.last_sql_errno = 1062;
  stopped.last_sql_error = "Coordinator stopped because there were error(s) in the worker(s).";
  std::vector<ReplicaChannel> channels = {stopped};
  ApplyWorkerErrors({MysqlRow{{"CHANNEL_NAME", "other"}, {"LAST_ERROR_NUMBER", "1"}}}, &channels);
  EXPECT_EQ(channels[0].last_sql_error, stopped.last_sql_error);
}

}  // namespace
}  // namespace rsagent::probes
