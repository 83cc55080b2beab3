// What one probe attempt learned about a server. Gathered by MysqlProbe,
// judged by mysql_roles.h, exported by mysql_report.h: the facts are plain
// values so the judgement is testable without a server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probes/database_facts.h"
#include "probes/mysql_replica_status.h"
#include "probes/mysql_semi_sync.h"

namespace rsagent::probes {

struct MysqlFacts : DatabaseFacts {
  bool read_only = false;
  std::optional<bool> super_read_only;  // MySQL only
  bool replication_known = false;  // the replica status was read (else `error` says why)
  std::vector<ReplicaChannel> channels;
  SemiSyncState semi_sync;
  // From the heartbeat table, when one is configured. nullopt with a table
  // configured = unknown (no row from the peer yet, or the query failed).
  std::optional<double> heartbeat_lag_seconds;
  std::string heartbeat_error;
};

}  // namespace rsagent::probes
