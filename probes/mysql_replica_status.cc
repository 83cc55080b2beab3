#include "probes/mysql_replica_status.h"

#include <charconv>

namespace rsagent::probes {

namespace {

// Integer columns; "" and NULL become nullopt.
std::optional<int64_t> ToInt(const MysqlValue& value) {
  if (!value || value->empty()) return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size()) return std::nullopt;
  return n;
}

// A binlog offset: a non-negative integer, else the row is not understood.
Result<uint64_t> ToPosition(const std::string& value, const char* column) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    return Error{"replica status column " + std::string(column) + " is not a log position: \"" +
                 value.substr(0, 40) + "\""};
  }
  return n;
}

struct Required {
  std::initializer_list<std::string_view> names;
  std::string* out;
};

}  // namespace

std::string ReplicaChannel::DisplayName() const {
  return name.empty() ? "'' (default)" : "'" + name + "'";
}

Result<ReplicaChannel> ParseReplicaRow(const MysqlRow& row) {
  ReplicaChannel c;
  std::string read_pos, exec_pos;
  const Required required[] = {
      {{"Slave_IO_Running", "Replica_IO_Running"}, &c.io_running},
      {{"Slave_SQL_Running", "Replica_SQL_Running"}, &c.sql_running},
      {{"Master_Log_File", "Source_Log_File"}, &c.received.file},
      {{"Read_Master_Log_Pos", "Read_Source_Log_Pos"}, &read_pos},
      {{"Relay_Master_Log_File", "Relay_Source_Log_File"}, &c.applied.file},
      {{"Exec_Master_Log_Pos", "Exec_Source_Log_Pos"}, &exec_pos},
  };
  for (const Required& r : required) {
    bool present = false;
    MysqlValue value = FindColumn(row, r.names, &present);
    if (!present) return Error{"replica status has no column " + std::string(*r.names.begin())};
    *r.out = value.value_or("");
  }
  bool lag_present = false;
  MysqlValue lag =
      FindColumn(row, {"Seconds_Behind_Master", "Seconds_Behind_Source"}, &lag_present);
  if (!lag_present) return Error{"replica status has no column Seconds_Behind_Master"};
  c.seconds_behind = ToInt(lag);
  // An unreadable position must not read as 0: two of them would compare
  // equal and call the channel caught up.
  ASSIGN_OR_RETURN(c.received.offset, ToPosition(read_pos, "Read_Master_Log_Pos"));
  ASSIGN_OR_RETURN(c.applied.offset, ToPosition(exec_pos, "Exec_Master_Log_Pos"));

  c.name = FindColumn(row, {"Connection_name", "Channel_Name"}).value_or("");
  c.source_host = FindColumn(row, {"Master_Host", "Source_Host"}).value_or("");
  c.last_io_errno = static_cast<int>(ToInt(FindColumn(row, {"Last_IO_Errno"})).value_or(0));
  c.last_io_error = FindColumn(row, {"Last_IO_Error"}).value_or("");
  c.last_sql_errno = static_cast<int>(ToInt(FindColumn(row, {"Last_SQL_Errno"})).value_or(0));
  c.last_sql_error = FindColumn(row, {"Last_SQL_Error"}).value_or("");
  c.gtid_received = FindColumn(row, {"Gtid_IO_Pos", "Retrieved_Gtid_Set"}).value_or("");
  return c;
}

namespace {
bool CoordinatorStopped(const ReplicaChannel& c) {
  return c.last_sql_error.find("Coordinator stopped") != std::string::npos;
}
}  // namespace

bool NeedsWorkerError(const std::vector<ReplicaChannel>& channels) {
  for (const ReplicaChannel& c : channels) {
    if (CoordinatorStopped(c)) return true;
  }
  return false;
}

void ApplyWorkerErrors(const std::vector<MysqlRow>& workers,
                       std::vector<ReplicaChannel>* channels) {
  for (ReplicaChannel& c : *channels) {
    if (!CoordinatorStopped(c)) continue;
    for (const MysqlRow& w : workers) {
      if (FindColumn(w, {"CHANNEL_NAME"}).value_or("") != c.name) continue;
      auto number = ToInt(FindColumn(w, {"LAST_ERROR_NUMBER"})).value_or(0);
      if (number == 0) continue;
      c.last_sql_errno = static_cast<int>(number);
      // "Worker 1 failed executing transaction '…'; Could not execute …; Duplicate entry …"
      c.last_sql_error = FindColumn(w, {"LAST_ERROR_MESSAGE"}).value_or("");
      break;
    }
  }
}

Result<std::vector<ReplicaChannel>> ParseReplicaRows(const std::vector<MysqlRow>& rows) {
  std::vector<ReplicaChannel> channels;
  for (const MysqlRow& row : rows) {
    ASSIGN_OR_RETURN(auto channel, ParseReplicaRow(row));
    channels.push_back(std::move(channel));
  }
  return channels;
}

}  // namespace rsagent::probes
