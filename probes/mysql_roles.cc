#include "probes/mysql_roles.h"

#include <cstdio>

namespace rsagent::probes {

namespace {

Outcome Down(std::string reason) { return {false, std::move(reason)}; }

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", s);
  return buf;
}

std::string Position(const BinlogPosition& p) { return p.file + ":" + std::to_string(p.offset); }

std::string ErrorSuffix(int errno_value, const std::string& error) {
  if (errno_value == 0) return "";
  return " (error " + std::to_string(errno_value) + ": " + error + ")";
}

// Shared by both roles; empty when the server is usable at all.
std::optional<Outcome> BasicFailure(const MysqlFacts& facts, const MysqlProbeSpec& spec) {
  if (!facts.answers) return Down("not answering: " + facts.error);
  if (!facts.error.empty()) return Down(facts.error);
  if (spec.replication_required && facts.channels.empty()) {
    return Down("no replication channel configured (replication_required)");
  }
  return std::nullopt;
}

}  // namespace

Outcome EvaluateWriter(const MysqlFacts& facts, const MysqlProbeSpec& spec) {
  if (auto failure = BasicFailure(facts, spec)) return *failure;
  if (facts.read_only) return Down("read_only is ON");
  if (facts.super_read_only.value_or(false)) return Down("super_read_only is ON");
  for (const ReplicaChannel& c : facts.channels) {
    if (!c.SqlRunning() && c.last_sql_errno != 0) {
      return Down("channel " + c.DisplayName() + ": SQL thread stopped" +
                  ErrorSuffix(c.last_sql_errno, c.last_sql_error));
    }
    if (c.AppliedAllReceived()) continue;
    // With both threads stopped nothing keeps the positions current: they
    // may be stale or name different binlog files (e.g. a replica MariaDB
    // could not initialize after a crash). Not "behind": nobody can tell.
    if (!c.SqlRunning() && !c.IoRunning()) {
      return Down("channel " + c.DisplayName() + ": replication not running (IO thread " +
                  c.io_running + ", SQL thread " + c.sql_running +
                  ", no error): cannot tell whether it applied all it received (applied " +
                  Position(c.applied) + ", received " + Position(c.received) + ")");
    }
    return Down("channel " + c.DisplayName() + ": not caught up, applied " + Position(c.applied) +
                " of received " + Position(c.received));
  }
  if (spec.semi_sync_fatal && facts.semi_sync.FellBackToAsync()) {
    return Down("semi-sync " + facts.semi_sync.Describe() + " (semi_sync_fatal)");
  }
  return {true, "writable"};
}

Outcome EvaluateReader(const MysqlFacts& facts, const MysqlProbeSpec& spec) {
  if (auto failure = BasicFailure(facts, spec)) return *failure;
  const double max_lag = std::chrono::duration<double>(spec.max_lag).count();
  const bool heartbeat = !spec.heartbeat_table.empty();
  if (heartbeat && !facts.heartbeat_lag_seconds) {
    return Down("lag unknown: heartbeat " + facts.heartbeat_error);
  }
  if (heartbeat && *facts.heartbeat_lag_seconds > max_lag) {
    return Down("heartbeat lag " + Seconds(*facts.heartbeat_lag_seconds) + " > max_lag " +
                Seconds(max_lag));
  }
  for (const ReplicaChannel& c : facts.channels) {
    const std::string channel = "channel " + c.DisplayName() + ": ";
    if (!c.IoRunning()) {
      return Down(channel + "IO thread " + c.io_running +
                  ErrorSuffix(c.last_io_errno, c.last_io_error));
    }
    if (!c.SqlRunning()) {
      return Down(channel + "SQL thread " + c.sql_running +
                  ErrorSuffix(c.last_sql_errno, c.last_sql_error));
    }
    if (heartbeat) continue;
    if (!c.seconds_behind) return Down(channel + "lag unknown (Seconds_Behind_Master is NULL)");
    if (static_cast<double>(*c.seconds_behind) > max_lag) {
      return Down(channel + "lag " + Seconds(static_cast<double>(*c.seconds_behind)) +
                  " > max_lag " + Seconds(max_lag));
    }
  }
  return {true, facts.channels.empty() ? "not a replica" : "replicating"};
}

}  // namespace rsagent::probes
