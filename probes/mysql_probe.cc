#include "probes/mysql_probe.h"

#include <mysqld_error.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "conf/toml_reader.h"
#include "conf/value_checks.h"
#include "probes/database_probe.h"
#include "probes/mysql_flavour.h"
#include "probes/mysql_report.h"
#include "probes/mysql_roles.h"
#include "probes/mysql_session.h"
#include "probes/mysql_variables.h"
#include "probes/probe_outcome.h"

namespace rsagent::probes {

namespace {

// Tried in order until one parses: MariaDB's multi-source form first, then
// MySQL 8.0.22+ (the only one 8.4 knows), then MySQL 5.7.
constexpr const char* kReplicaStatusStatements[] = {"SHOW ALL SLAVES STATUS", "SHOW REPLICA STATUS",
                                                    "SHOW SLAVE STATUS"};

constexpr const char* kWorkerErrorsStatement =
    "SELECT CHANNEL_NAME, WORKER_ID, LAST_ERROR_NUMBER, LAST_ERROR_MESSAGE"
    " FROM performance_schema.replication_applier_status_by_worker WHERE LAST_ERROR_NUMBER <> 0";

// Where to start in kReplicaStatusStatements for this server: the one its
// version knows, so nothing it rejects is sent; the top for an unknown version.
size_t FirstReplicaStatement(const std::optional<ServerVersion>& version) {
  if (!version) return 0;
  const std::string_view wanted = ReplicaStatusStatement(*version);
  for (size_t i = 0; i < std::size(kReplicaStatusStatements); ++i) {
    if (wanted == kReplicaStatusStatements[i]) return i;
  }
  return 0;
}

constexpr const char* kVariablesStatement =
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('read_only', 'super_read_only')"
    " OR Variable_name LIKE 'rpl_semi_sync%'";
constexpr const char* kStatusStatement = "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'";

// pt-heartbeat's table (--utc): the newest row written by another server is
// the true lag behind it, even through a relay or a stopped SQL thread.
// `table` is "db.table" of plain identifiers (the reader checked it). The
// alias is not `lag`: LAG is a reserved word in MySQL 8.0+ (a window
// function), and MySQL 9.7 rejected the statement as a syntax error.
constexpr const char* kHeartbeatColumn = "lag_seconds";
std::string HeartbeatStatement(const std::string& table) {
  if (table.empty()) return std::string();
  const size_t dot = table.find('.');
  return std::string("SELECT TIMESTAMPDIFF(MICROSECOND, MAX(ts), UTC_TIMESTAMP(6)) / 1000000 AS ") +
         kHeartbeatColumn + " FROM `" + table.substr(0, dot) + "`.`" + table.substr(dot + 1) +
         "` WHERE server_id <> @@server_id";
}

// The heartbeat query's lag: a decimal number of seconds, whole or not a lag
// at all (strtod read "0.4xyz" as 0.4, and "nan" compared below any max_lag).
std::optional<double> ParseLagSeconds(const std::string& text) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds)) {
    return std::nullopt;
  }
  return seconds;
}

MysqlTarget TargetOf(const MysqlProbeSpec& spec) { return {spec.socket, spec.address}; }

// The heartbeat table is put into SQL, so only plain identifiers pass.
// "" (the default) turns the heartbeat off.
Result<std::string> ParseTableName(std::string_view text) {
  if (text.empty()) return std::string();
  auto is_identifier = [](std::string_view part) {
    return !part.empty() && part.find_first_not_of(
                                "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$") == std::string_view::npos;
  };
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos || !is_identifier(text.substr(0, dot)) ||
      !is_identifier(text.substr(dot + 1))) {
    return Error{"\"" + std::string(text) +
                 "\" is not DATABASE.TABLE (letters, digits, '_' and '$' only)"};
  }
  return std::string(text);
}

}  // namespace

MysqlProbe::MysqlProbe(MysqlProbeSpec spec)
    : MysqlProbe(spec, MakeMysqlSession(TargetOf(spec), spec.credentials,
                                        ProbeReconnectBackoff())) {}

MysqlProbe::MysqlProbe(MysqlProbeSpec spec, std::unique_ptr<MysqlSession> session)
    : spec_(std::move(spec)),
      heartbeat_sql_(HeartbeatStatement(spec_.heartbeat_table)),
      session_(std::move(session)) {}

ProbeResult MysqlProbe::Attempt(Clock::time_point deadline) {
  const Clock::time_point start = Clock::now();
  MysqlFacts facts = Gather(deadline);
  ProbeResult result = facts.answers ? Passed(start, "answers SELECT 1")
                                     : Failed(start, "not answering: " + facts.error);
  result.roles["writer"] = EvaluateWriter(facts, spec_);
  result.roles["reader"] = EvaluateReader(facts, spec_);
  ReportMysqlFacts(facts, &result);
  result.details["connects"] = std::to_string(session_->connects());
  return result;
}

MysqlFacts MysqlProbe::Gather(Clock::time_point deadline) {
  MysqlFacts facts;
  if (Status alive = session_->EnsureAnswering(deadline); !alive.ok()) {
    facts.error = alive.error();
    return facts;
  }
  facts.answers = true;
  facts.version = session_->server_version();

  auto variables = session_->Query(kVariablesStatement, deadline);
  if (!variables.ok()) {
    facts.error = FailureText(variables.error(), "SHOW GLOBAL VARIABLES");
    return facts;
  }
  auto status = session_->Query(kStatusStatement, deadline);
  if (!status.ok()) {
    facts.error = FailureText(status.error(), "SHOW GLOBAL STATUS");
    return facts;
  }
  NameValueMap variable_map = ToNameValueMap(*variables);
  // Every server has read_only: a reply without it (NULL, empty) is not one
  // we understand, and an unknown read_only must not read as OFF (writable).
  if (Status known = RequireVariables(variable_map, {"read_only"}); !known.ok()) {
    facts.error = known.error();
    return facts;
  }
  facts.read_only = IsReadOnly(variable_map.at("read_only"));
  if (auto it = variable_map.find("super_read_only"); it != variable_map.end()) {
    facts.super_read_only = !IsOff(it->second);
  }
  facts.semi_sync = ParseSemiSync(variable_map, ToNameValueMap(*status));

  if (Status s = ReadReplicaStatus(deadline, &facts); !s.ok()) {
    facts.error = FailureText(s.error(), "the replica status query");
    return facts;
  }
  if (!heartbeat_sql_.empty()) {
    auto rows = session_->Query(heartbeat_sql_, deadline);
    MysqlValue lag =
        rows.ok() && !rows->empty() ? FindColumn(rows->front(), {kHeartbeatColumn}) : std::nullopt;
    if (!rows.ok()) {
      facts.heartbeat_error = rows.error();
    } else if (!lag) {
      facts.heartbeat_error = "no row from another server in " + spec_.heartbeat_table;
    } else if (auto seconds = ParseLagSeconds(*lag)) {
      facts.heartbeat_lag_seconds = *seconds;
    } else {
      facts.heartbeat_error = "lag \"" + lag->substr(0, 40) + "\" from " + spec_.heartbeat_table +
                              " is not a number of seconds";
    }
  }
  return facts;
}

Status MysqlProbe::ReadReplicaStatus(Clock::time_point deadline, MysqlFacts* facts) {
  const std::optional<ServerVersion> version = ParseServerVersion(facts->version);
  if (replica_statement_connection_ != session_->connects()) {
    replica_statement_ = FirstReplicaStatement(version);
    replica_statement_connection_ = session_->connects();
  }
  for (; replica_statement_ < std::size(kReplicaStatusStatements); ++replica_statement_) {
    auto rows = session_->Query(kReplicaStatusStatements[replica_statement_], deadline);
    if (!rows.ok() && session_->last_error_code() == ER_PARSE_ERROR) continue;
    if (!rows.ok() && IsPrivilegeError(session_->last_error_code())) {
      // Unknown, not "not a replica": the user may not look.
      return Error{UnknownForLackOfGrant(
          "replication state", rows.error(),
          std::string(ReplicaMonitorGrant(version.value_or(ServerVersion{}))) + " ON *.*")};
    }
    RETURN_IF_ERROR(rows);
    ASSIGN_OR_RETURN(facts->channels, ParseReplicaRows(*rows));
    facts->replication_known = true;
    if (NeedsWorkerError(facts->channels)) {
      auto workers = session_->Query(kWorkerErrorsStatement, deadline);
      if (workers.ok()) ApplyWorkerErrors(*workers, &facts->channels);
    }
    return Status::Ok();
  }
  return Error{
      "the server knows none of SHOW ALL SLAVES STATUS, SHOW REPLICA STATUS, SHOW SLAVE STATUS"};
}

MysqlProbeSpec MysqlProbeSpec::Read(conf::TableReader& table) {
  MysqlProbeSpec spec;
  ReadMysqlTarget(table, &spec.socket, &spec.address, &spec.credentials);
  if (auto v = table.Duration("max_lag", std::chrono::milliseconds(0), std::chrono::hours(1))) {
    spec.max_lag = *v;
  }
  if (auto v = table.Parsed<std::string>("heartbeat_table", ParseTableName)) {
    spec.heartbeat_table = *v;
  }
  if (auto v = table.Bool("semi_sync_fatal")) spec.semi_sync_fatal = *v;
  if (auto v = table.Bool("replication_required")) spec.replication_required = *v;
  return spec;
}

}  // namespace rsagent::probes
