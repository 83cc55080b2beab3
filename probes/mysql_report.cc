#include "probes/mysql_report.h"

#include <cstdio>

namespace rsagent::probes {

namespace {

const char* OnOff(bool on) { return on ? "ON" : "OFF"; }

class Reporter {
 public:
  explicit Reporter(ProbeResult* result) : result_(result) {}

  void Add(std::string name, double value, std::map<std::string, std::string> labels = {}) {
    result_->samples.push_back({std::move(name), std::move(labels), value});
  }
  void Add(std::string name, std::optional<double> value) {
    if (value) Add(std::move(name), *value);
  }
  void Add(std::string name, std::optional<bool> value) {
    if (value) Add(std::move(name), *value ? 1.0 : 0.0);
  }
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
  r.Add("mysql_up", facts.answers ? 1.0 : 0.0);
  if (!facts.error.empty()) r.Detail("error", facts.error);
  if (!facts.answers) return;
  if (!facts.version.empty()) r.Detail("version", facts.version);

  r.Add("mysql_global_variables_read_only", facts.read_only ? 1.0 : 0.0);
  r.Detail("read_only", OnOff(facts.read_only));
  r.Add("mysql_global_variables_super_read_only", facts.super_read_only);
  if (facts.super_read_only) r.Detail("super_read_only", OnOff(*facts.super_read_only));

  if (!facts.replication_known) {
    r.Detail("replication", "unknown" + (facts.error.empty() ? "" : ": " + facts.error));
  } else if (facts.channels.empty()) {
    r.Detail("replication", "not a replica");
  }
  for (const ReplicaChannel& c : facts.channels) {
    std::map<std::string, std::string> channel{{"channel", c.name}};
    r.Add("mysql_slave_status_slave_io_running", c.IoRunning() ? 1.0 : 0.0, channel);
    r.Add("mysql_slave_status_slave_sql_running", c.SqlRunning() ? 1.0 : 0.0, channel);
    if (c.seconds_behind) {
      r.Add("mysql_slave_status_seconds_behind_master", static_cast<double>(*c.seconds_behind),
            channel);
    }
    r.Add("mysql_slave_status_read_master_log_pos", static_cast<double>(c.received.offset),
          channel);
    r.Add("mysql_slave_status_exec_master_log_pos", static_cast<double>(c.applied.offset), channel);
    r.Add("mysql_slave_status_applied_all_received", c.AppliedAllReceived() ? 1.0 : 0.0, channel);
    r.Detail(c.name.empty() ? "replication" : "replication." + c.name, DescribeChannel(c));
  }

  if (facts.heartbeat_lag_seconds) {
    r.Add("mysql_heartbeat_lag_seconds", *facts.heartbeat_lag_seconds);
    char lag[32];
    std::snprintf(lag, sizeof lag, "%.3fs", *facts.heartbeat_lag_seconds);
    r.Detail("heartbeat_lag", lag);
  } else if (!facts.heartbeat_error.empty()) {
    r.Detail("heartbeat_lag", "unknown: " + facts.heartbeat_error);
  }

  const SemiSyncState& s = facts.semi_sync;
  r.Add("mysql_global_variables_rpl_semi_sync_master_enabled", s.source_enabled);
  r.Add("mysql_global_status_rpl_semi_sync_master_status", s.source_active);
  r.Add("mysql_global_status_rpl_semi_sync_master_clients", s.clients);
  r.Add("mysql_global_status_rpl_semi_sync_master_yes_tx", s.yes_tx);
  r.Add("mysql_global_status_rpl_semi_sync_master_no_tx", s.no_tx);
  r.Add("mysql_global_variables_rpl_semi_sync_slave_enabled", s.replica_enabled);
  r.Add("mysql_global_status_rpl_semi_sync_slave_status", s.replica_active);
  r.Detail("semi_sync", s.Describe());
}

}  // namespace rsagent::probes
