// The local MariaDB server as the pair sees it, read once per round over a
// connection of its own: GTID positions, read_only, start time, replication
// caught up, and — remembered across rounds — whether the agent can vouch,
// once the server is dead, that semi-sync delivered every commit it
// acknowledged to the peer (see WriterReport::vouch).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/clock.h"
#include "pair/writer_decision.h"
#include "probes/mysql_connection.h"

namespace rsagent::pair {

class LocalServer {
 public:
  LocalServer(probes::MysqlTarget target, std::string credentials_path);

  LocalFacts Read(Clock::time_point deadline);
  // SET GLOBAL read_only (needs READ_ONLY ADMIN on MariaDB 10.5.2+, SUPER before).
  Status SetReadOnly(bool on, Clock::time_point deadline);
  // This server's @@gtid_binlog_pos now (the switchover's final position).
  Result<std::string> BinlogPosition(Clock::time_point deadline);

 private:
  Result<std::vector<probes::MysqlRow>> Query(const std::string& sql, Clock::time_point deadline);
  Status Gather(Clock::time_point deadline, LocalFacts* facts);

  const std::string credentials_path_;
  probes::MysqlConnection connection_;
  // The last round that read the server, for the vouch once it is gone.
  struct LastSeen {
    Clock::time_point at;
    // "" when Rpl_semi_sync_master_status was ON with >= 1 client and no
    // commit waiting; else why not.
    std::string semi_sync_acking;
    std::chrono::milliseconds semi_sync_timeout{0};
    std::string binlog;
  };
  std::optional<LastSeen> last_seen_;
  std::optional<Clock::time_point> down_since_;
  // The server's pid (from @@pid_file), read once per incarnation: refused
  // connections mean "dead" only once that process is gone — a server that
  // is shutting down or starting refuses too, and may still commit.
  std::optional<int> pid_;
  int64_t pid_started_ = 0;
};

// How a failed connect or query reads: refused or no socket = dead (no
// process), timed out = hung (a process that may resume), else unknown.
Mysqld ClassifyFailure(unsigned error_code, const std::string& message);

// No such process, or only its zombie is left.
bool ProcessGone(int pid);

}  // namespace rsagent::pair
