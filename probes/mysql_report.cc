#include "probes/mysql_report.h"

#include <cstdio>

#include "probes/mysql_metric.h"

namespace rsagent::probes {

namespace {

const char* OnOff(bool on) { return on ? "ON" : "OFF"; }

constexpr MysqlMetric kIoRunning{"replica_io_running",
                                 "1 when the replication IO thread runs (Slave_IO_Running = Yes)."};
constexpr MysqlMetric kSqlRunning{
    "replica_sql_running", "1 when the replication SQL thread runs (Slave_SQL_Running = Yes)."};
constexpr MysqlMetric kLag{"replica_lag_seconds", "Seconds_Behind_Master (Seconds_Behind_Source)."};
constexpr MysqlMetric kReceivedPos{"replica_received_log_position",
                                   "Read_Master_Log_Pos: how far the IO thread has received."};
constexpr MysqlMetric kAppliedPos{"replica_applied_log_position",
                                  "Exec_Master_Log_Pos: how far the SQL thread has applied."};
constexpr MysqlMetric kAppliedAll{"replica_applied_all_received",
                                  "1 when everything received has been applied."};
constexpr MysqlMetric kHeartbeatLag{"heartbeat_lag_seconds",
                                    "Lag measured from the heartbeat table's last row."};
constexpr MysqlMetric kSourceEnabled{"semi_sync_source_enabled",
                                     "rpl_semi_sync_master_enabled / _source_enabled (1 = ON)."};
constexpr MysqlMetric kSourceActive{"semi_sync_source_active",
                                    "1 while semi-sync is on, 0 when it fell back to async."};
constexpr MysqlMetric kSourceClients{"semi_sync_source_clients",
                                     "Semi-sync replicas connected to this source."};
constexpr MysqlMetric kYesTx{"semi_sync_source_yes_transactions_total",
                             "Commits acknowledged by a semi-sync replica.", true};
constexpr MysqlMetric kNoTx{"semi_sync_source_no_transactions_total",
                            "Commits made without a semi-sync replica's acknowledgement.", true};
constexpr MysqlMetric kReplicaEnabled{"semi_sync_replica_enabled",
                                      "rpl_semi_sync_slave_enabled / _replica_enabled (1 = ON)."};
constexpr MysqlMetric kReplicaActive{"semi_sync_replica_active",
                                     "1 while this replica acknowledges semi-sync commits."};

class Reporter {
 public:
  explicit Reporter(ProbeResult* result) : result_(result) {}

  void Add(const MysqlMetric& m, double value, std::map<std::string, std::string> labels = {}) {
    AddMysqlSample(result_, m, value, std::move(labels));
  }
  void Add(const MysqlMetric& m, std::optional<double> value) { AddMysqlSample(result_, m, value); }
  void Add(const MysqlMetric& m, std::optional<bool> value) { Add(m, AsNumber(value)); }
  void Detail(std::string key, std::string value) {
    result_->details[std::move(key)] = std::move(value);
  }

 private:
  ProbeResult* result_;
};

std::string DescribeChannel(const ReplicaChannel& c) {
  std::string text =
      "from " + c.source_host + ": io=" + c.io_running + " sql=" + c.sql_running +
      " lag=" + (c.seconds_behind ? std::to_string(*c.seconds_behind) + "s" : "NULL") +
      " applied=" + c.applied.file + ":" + std::to_string(c.applied.offset) +
      " received=" + c.received.file + ":" + std::to_string(c.received.offset);
  if (!c.gtid_received.empty()) text += " gtid_received=" + c.gtid_received;
  if (c.last_io_errno != 0)
    text += " io_error=" + std::to_string(c.last_io_errno) + " " + c.last_io_error;
  if (c.last_sql_errno != 0)
    text += " sql_error=" + std::to_string(c.last_sql_errno) + " " + c.last_sql_error;
  return text;
}

}  // namespace

void ReportMysqlFacts(const MysqlFacts& facts, ProbeResult* result) {
  Reporter r(result);
  r.Add(kMysqlUp, facts.answers ? 1.0 : 0.0);
  if (!facts.error.empty()) r.Detail("error", facts.error);
  if (!facts.answers) return;
  if (!facts.version.empty()) r.Detail("version", facts.version);

  r.Add(kMysqlReadOnly, facts.read_only ? 1.0 : 0.0);
  r.Detail("read_only", OnOff(facts.read_only));
  r.Add(kMysqlSuperReadOnly, facts.super_read_only);
  if (facts.super_read_only) r.Detail("super_read_only", OnOff(*facts.super_read_only));

  if (!facts.replication_known) {
    r.Detail("replication", "unknown" + (facts.error.empty() ? "" : ": " + facts.error));
  } else if (facts.channels.empty()) {
    r.Detail("replication", "not a replica");
  }
  for (const ReplicaChannel& c : facts.channels) {
    std::map<std::string, std::string> channel{{"channel", c.name}};
    r.Add(kIoRunning, c.IoRunning() ? 1.0 : 0.0, channel);
    r.Add(kSqlRunning, c.SqlRunning() ? 1.0 : 0.0, channel);
    if (c.seconds_behind) {
      r.Add(kLag, static_cast<double>(*c.seconds_behind), channel);
    }
    r.Add(kReceivedPos, static_cast<double>(c.received.offset), channel);
    r.Add(kAppliedPos, static_cast<double>(c.applied.offset), channel);
    r.Add(kAppliedAll, c.AppliedAllReceived() ? 1.0 : 0.0, channel);
    r.Detail(c.name.empty() ? "replication" : "replication." + c.name, DescribeChannel(c));
  }

  if (facts.heartbeat_lag_seconds) {
    r.Add(kHeartbeatLag, *facts.heartbeat_lag_seconds);
    char lag[32];
    std::snprintf(lag, sizeof lag, "%.3fs", *facts.heartbeat_lag_seconds);
    r.Detail("heartbeat_lag", lag);
  } else if (!facts.heartbeat_error.empty()) {
    r.Detail("heartbeat_lag", "unknown: " + facts.heartbeat_error);
  }

  const SemiSyncState& s = facts.semi_sync;
  r.Add(kSourceEnabled, s.source_enabled);
  r.Add(kSourceActive, s.source_active);
  r.Add(kSourceClients, s.clients);
  r.Add(kYesTx, s.yes_tx);
  r.Add(kNoTx, s.no_tx);
  r.Add(kReplicaEnabled, s.replica_enabled);
  r.Add(kReplicaActive, s.replica_active);
  r.Detail("semi_sync", s.Describe());
}

}  // namespace rsagent::probes
