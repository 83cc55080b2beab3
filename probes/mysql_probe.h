// The mysql probe: liveness (SELECT 1), read_only, replica status, lag and
// semi-sync from one persistent connection, turned into the probe's outcome
// (answers or not) and the "writer"/"reader" role verdicts (mysql_roles.h).
#pragma once

#include <memory>

#include "common/result.h"
#include "conf/config.h"
#include "probes/mysql_connection.h"
#include "probes/mysql_facts.h"
#include "probes/probe.h"

namespace rsagent::probes {

class MysqlProbe : public Probe {
 public:
  // Fails on a spec it cannot run: neither or both of socket/address, or a
  // heartbeat_table that is not "db.table".
  static Result<std::unique_ptr<MysqlProbe>> Create(const conf::MysqlProbeSpec& spec);

  // The credentials file is (re)read before every connect, so fixing its
  // mode heals the probe without a restart.
  ProbeResult Check(Clock::time_point deadline) override;

 private:
  MysqlProbe(conf::MysqlProbeSpec spec, std::string heartbeat_sql);
  MysqlFacts Gather(Clock::time_point deadline);
  Status ReadReplicaStatus(Clock::time_point deadline, MysqlFacts* facts);

  conf::MysqlProbeSpec spec_;
  std::string heartbeat_sql_;  // empty: no heartbeat table
  MysqlConnection connection_;
  // Index into the replica status statements the server understood; found
  // again on every new connection (the server may have been upgraded).
  size_t replica_statement_ = 0;
  int replica_statement_connection_ = -1;
};

}  // namespace rsagent::probes
