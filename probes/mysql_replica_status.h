// One replication channel from SHOW [ALL] SLAVE|REPLICA STATUS, parsed by
// column name so MySQL 5.7 (Slave_*/Master_*), 8.0/8.4 (Replica_*/Source_*)
// and MariaDB (Connection_name, Gtid_IO_Pos) rows all fit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "probes/mysql_row.h"

namespace rsagent::probes {

// A position in the source's binary log.
struct BinlogPosition {
  std::string file;
  uint64_t offset = 0;
  friend bool operator==(const BinlogPosition&, const BinlogPosition&) = default;
};

struct ReplicaChannel {
  std::string name;  // Connection_name / Channel_Name; "" = the default one
  std::string source_host;
  std::string io_running;                 // "Yes", "No", "Connecting"
  std::string sql_running;                // "Yes", "No"
  std::optional<int64_t> seconds_behind;  // NULL = unknown, never 0
  BinlogPosition received;                // Master_Log_File : Read_Master_Log_Pos
  BinlogPosition applied;                 // Relay_Master_Log_File : Exec_Master_Log_Pos
  int last_io_errno = 0;
  std::string last_io_error;
  int last_sql_errno = 0;
  std::string last_sql_error;
  std::string gtid_received;  // Gtid_IO_Pos (MariaDB) / Retrieved_Gtid_Set (MySQL)

  bool IoRunning() const { return io_running == "Yes"; }
  bool SqlRunning() const { return sql_running == "Yes"; }
  // The SQL thread has executed everything the IO thread wrote to the relay
  // log. Positions, not GTIDs: exact on every server version, and with a
  // multi-threaded applier Exec_ is the low-water mark, so it errs on "behind".
  bool AppliedAllReceived() const { return applied == received; }
  std::string DisplayName() const;  // "'' (default)" or "'east'"
};

// Fails when a column every version prints is missing: the row is not a
// replica status row, and guessing would turn "unknown" into "fine".
Result<ReplicaChannel> ParseReplicaRow(const MysqlRow& row);

Result<std::vector<ReplicaChannel>> ParseReplicaRows(const std::vector<MysqlRow>& rows);

// MySQL's multi-threaded applier stops with only "Coordinator stopped because
// there were error(s) in the worker(s)..." in Last_SQL_Error; the error that
// matters is a worker's. True when a channel says so (the caller then reads
// performance_schema.replication_applier_status_by_worker).
bool NeedsWorkerError(const std::vector<ReplicaChannel>& channels);

// Replaces such a channel's SQL error by its failing worker's, from rows of
// SELECT CHANNEL_NAME, WORKER_ID, LAST_ERROR_NUMBER, LAST_ERROR_MESSAGE
// FROM performance_schema.replication_applier_status_by_worker.
void ApplyWorkerErrors(const std::vector<MysqlRow>& workers, std::vector<ReplicaChannel>* channels);

}  // namespace rsagent::probes
