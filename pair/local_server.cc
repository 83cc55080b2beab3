#include "pair/local_server.h"

#include <errmsg.h>
#include <signal.h>

#include <cerrno>
#include <ctime>
#include <fstream>

#include "pair/mysql_query.h"
#include "probes/mysql_replica_status.h"
#include "probes/mysql_row.h"

namespace rsagent::pair {

namespace {

using probes::FindColumn;
using probes::MysqlBackoff;
using probes::ToNameValueMap;

// Every round tries: a local connect is cheap, and the pair must see a
// restarted server at once.
constexpr auto kRetry = std::chrono::milliseconds(100);

// Asked first and apart: MySQL has no @@gtid_binlog_pos, and a server the
// pair cannot compare is up but refused, not "not answering".
constexpr const char* kServer =
    "SELECT @@version AS version, @@server_id AS server_id, @@read_only AS ro";
constexpr const char* kPositions =
    "SELECT @@gtid_binlog_pos AS binlog, @@gtid_current_pos AS current";
constexpr const char* kStatus =
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime', 'Rpl_semi_sync_master_status',"
    " 'Rpl_semi_sync_master_clients', 'Rpl_semi_sync_master_wait_sessions')";
constexpr const char* kSemiSyncTimeout =
    "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_master_timeout'";

std::string Value(const probes::MysqlRow& row, std::string_view column) {
  return FindColumn(row, {column}).value_or("");
}

int64_t Number(const probes::NameValueMap& map, const char* key) {
  auto it = map.find(key);
  return it == map.end() ? 0 : std::strtoll(it->second.c_str(), nullptr, 10);
}

// Why a server that stopped answering `gap` after it was last seen is or
// is not vouched for; `acking` is "" when semi-sync was acking then.
std::string VouchWhy(Mysqld mysqld, const std::string& acking, std::chrono::milliseconds gap,
                     std::chrono::milliseconds semi_sync_timeout) {
  if (mysqld != Mysqld::kDead) return "no vouch: the server may still be running";
  if (!acking.empty()) {
    return "no vouch: when last seen (" + std::to_string(gap.count()) +
           " ms before it stopped answering) " + acking;
  }
  if (gap >= semi_sync_timeout) {
    return "no vouch: last seen " + std::to_string(gap.count()) +
           " ms before it stopped answering, not less than rpl_semi_sync_master_timeout " +
           std::to_string(semi_sync_timeout.count()) + " ms";
  }
  return "vouches: semi-sync was acking " + std::to_string(gap.count()) +
         " ms before it stopped answering";
}

}  // namespace

Mysqld ClassifyFailure(unsigned error_code, const std::string& message) {
  if (message.find("timed out") != std::string::npos) return Mysqld::kHung;
  const bool connect_error = error_code == CR_CONNECTION_ERROR || error_code == CR_CONN_HOST_ERROR;
  const bool no_process = message.find("(111)") != std::string::npos ||  // ECONNREFUSED
                          message.find("(2)") != std::string::npos;      // ENOENT: no socket
  return connect_error && no_process ? Mysqld::kDead : Mysqld::kUnknown;
}

bool ProcessGone(int pid) {
  if (kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

LocalServer::LocalServer(probes::MysqlTarget target, std::string credentials_path)
    : credentials_path_(std::move(credentials_path)),
      connection_(std::move(target), std::nullopt, MysqlBackoff(kRetry, kRetry)) {}

Result<std::vector<probes::MysqlRow>> LocalServer::Query(const std::string& sql,
                                                         Clock::time_point deadline) {
  return QueryFresh(connection_, credentials_path_, sql, deadline);
}

LocalFacts LocalServer::Read(Clock::time_point deadline) {
  LocalFacts facts;
  const Clock::time_point now = Clock::now();
  if (Status s = Gather(deadline, &facts); !s.ok()) {
    facts.mysqld = ClassifyFailure(connection_.last_error_code(), s.error());
    facts.error = s.error();
    if (facts.mysqld == Mysqld::kDead && !(pid_ && ProcessGone(*pid_))) {
      facts.mysqld = Mysqld::kUnknown;
      facts.error += pid_ ? "; its process " + std::to_string(*pid_) + " still exists"
                          : "; its process is not known";
    }
    facts.ready = false;
    facts.not_ready = "mysqld not answering (" + s.error() + ")";
    if (!down_since_) down_since_ = now;
    if (last_seen_) {
      facts.binlog = last_seen_->binlog;
      const auto gap =
          std::chrono::duration_cast<std::chrono::milliseconds>(*down_since_ - last_seen_->at);
      facts.vouch = facts.mysqld == Mysqld::kDead && last_seen_->semi_sync_acking.empty() &&
                    gap < last_seen_->semi_sync_timeout;
      facts.vouch_why =
          VouchWhy(facts.mysqld, last_seen_->semi_sync_acking, gap, last_seen_->semi_sync_timeout);
    } else {
      facts.vouch_why = "no vouch: this agent never saw the server up";
    }
    return facts;
  }
  down_since_.reset();
  if (!pid_ || pid_started_ != facts.started) {
    auto rows = Query("SELECT @@pid_file AS f", deadline);
    std::ifstream file(rows.ok() && !rows->empty() ? Value(rows->front(), "f") : "");
    int pid = 0;
    if (file >> pid && pid > 0) {
      pid_ = pid;
      pid_started_ = facts.started;
    }
  }
  return facts;
}

Status LocalServer::Gather(Clock::time_point deadline, LocalFacts* facts) {
  auto server = Query(kServer, deadline);
  RETURN_IF_ERROR(server);
  if (server->empty()) return Error{"no row from " + std::string(kServer)};
  const probes::MysqlRow& row = server->front();
  const std::string version = Value(row, "version");
  auto status = Query(kStatus, deadline);
  RETURN_IF_ERROR(status);
  facts->mysqld = Mysqld::kUp;
  facts->server_id =
      static_cast<uint32_t>(std::strtoul(Value(row, "server_id").c_str(), nullptr, 10));
  facts->read_only = Value(row, "ro") == "1";
  const probes::NameValueMap variables = ToNameValueMap(*status);
  facts->started = static_cast<int64_t>(std::time(nullptr)) - Number(variables, "uptime");
  if (version.find("MariaDB") == std::string::npos) {
    facts->not_ready =
        "the pair needs MariaDB GTIDs (@@gtid_binlog_pos); this server is " + version;
    facts->behind = facts->not_ready;
    return Status::Ok();  // never ready, never caught up, never vouched for
  }
  auto positions = Query(kPositions, deadline);
  RETURN_IF_ERROR(positions);
  if (positions->empty()) return Error{"no row from " + std::string(kPositions)};
  const probes::MysqlRow& gtid = positions->front();
  auto timeout = Query(kSemiSyncTimeout, deadline);
  RETURN_IF_ERROR(timeout);
  auto replicas = Query("SHOW ALL SLAVES STATUS", deadline);
  RETURN_IF_ERROR(replicas);
  const Clock::time_point seen = Clock::now();

  facts->binlog = Value(gtid, "binlog");
  auto current = GtidPosition::Parse(Value(gtid, "current"));
  auto channels = probes::ParseReplicaRows(*replicas);
  facts->ready = true;
  auto not_ready = [&](std::string why) {
    facts->ready = false;
    facts->not_ready = std::move(why);
  };
  if (!current.ok()) {
    not_ready("@@gtid_current_pos: " + current.error());
  } else if (!channels.ok()) {
    not_ready(channels.error());
  } else {
    facts->current = *current;
    for (const probes::ReplicaChannel& c : *channels) {
      if (!c.SqlRunning() && c.last_sql_errno != 0) {
        not_ready("channel " + c.DisplayName() + ": SQL thread stopped (error " +
                  std::to_string(c.last_sql_errno) + ": " + c.last_sql_error + ")");
        break;
      }
    }
  }
  facts->caught_up = true;
  for (const probes::ReplicaChannel& c :
       channels.ok() ? *channels : std::vector<probes::ReplicaChannel>{}) {
    if (!c.AppliedAllReceived()) {
      facts->caught_up = false;
      facts->behind = "channel " + c.DisplayName() +
                      (c.SqlRunning() || c.IoRunning()
                           ? ": not caught up with what it received"
                           : ": replication not running: cannot tell whether it applied all it "
                             "received");
      break;
    }
  }

  const probes::NameValueMap timeout_map = ToNameValueMap(*timeout);
  LastSeen last{.at = seen, .binlog = facts->binlog};
  if (!variables.contains("rpl_semi_sync_master_status") ||
      variables.at("rpl_semi_sync_master_status") != "ON") {
    last.semi_sync_acking = "semi-sync was not ON";
  } else if (Number(variables, "rpl_semi_sync_master_clients") < 1) {
    last.semi_sync_acking = "semi-sync had no replica connected";
  } else if (int64_t waiting = Number(variables, "rpl_semi_sync_master_wait_sessions")) {
    last.semi_sync_acking = std::to_string(waiting) + " commit(s) waited for the replica's ack";
  }
  last.semi_sync_timeout =
      std::chrono::milliseconds(Number(timeout_map, "rpl_semi_sync_master_timeout"));
  last_seen_ = last;
  return Status::Ok();
}

Status LocalServer::SetReadOnly(bool on, Clock::time_point deadline) {
  return Query(on ? "SET GLOBAL read_only = ON" : "SET GLOBAL read_only = OFF", deadline).status();
}

Result<std::string> LocalServer::BinlogPosition(Clock::time_point deadline) {
  auto rows = Query("SELECT @@gtid_binlog_pos AS binlog", deadline);
  RETURN_IF_ERROR(rows);
  if (rows->empty()) return Error{"SELECT @@gtid_binlog_pos: no row"};
  return Value(rows->front(), "binlog");
}

}  // namespace rsagent::pair
