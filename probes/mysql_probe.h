// The mysql probe: liveness (SELECT 1), read_only, replica status, lag and
// semi-sync from one persistent connection, turned into the probe's outcome
// (answers or not) and the "writer"/"reader" role verdicts (mysql_roles.h).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/ip_address.h"
#include "common/result.h"
#include "conf/probe_kind_reader.h"
#include "probes/mysql_facts.h"
#include "probes/mysql_session.h"
#include "probes/probe.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

// [probe.NAME] type = "mysql"; yields the "writer" and "reader" roles.
struct MysqlProbeSpec {
  std::string socket;                       // unix socket, or
  std::optional<Endpoint> address;          // host:port (exactly one of the two)
  std::string credentials;                  // option file with [client] user/password, mode 0600
  std::chrono::milliseconds max_lag{5000};  // reader role: lag above this is DOWN
  std::string heartbeat_table;        // "db.table" of identifiers, pt-heartbeat format; empty = off
  bool semi_sync_fatal = false;       // writer DOWN when semi-sync fell back to async
  bool replication_required = false;  // DOWN when no replication channel is configured
  friend bool operator==(const MysqlProbeSpec&, const MysqlProbeSpec&) = default;
  static MysqlProbeSpec Read(conf::TableReader& table);  // reports every problem into `table`
  conf::MysqlServer Server() const { return {socket, address, credentials}; }
};

class MysqlProbe : public Probe {
 public:
  explicit MysqlProbe(MysqlProbeSpec spec);  // on a real connection to spec's server
  MysqlProbe(MysqlProbeSpec spec, std::unique_ptr<MysqlSession> session);

  // The credentials file is (re)read before every connect, so fixing its
  // mode heals the probe without a restart.
  ProbeResult Attempt(Clock::time_point deadline) override;

 private:
  MysqlFacts Gather(Clock::time_point deadline);
  Status ReadReplicaStatus(Clock::time_point deadline, MysqlFacts* facts);

  MysqlProbeSpec spec_;
  std::string heartbeat_sql_;  // empty: no heartbeat table
  std::unique_ptr<MysqlSession> session_;
  // Index into the replica status statements the server understood; found
  // again on every new connection (the server may have been upgraded).
  size_t replica_statement_ = 0;
  int replica_statement_connection_ = -1;
};

}  // namespace rsagent::probes
