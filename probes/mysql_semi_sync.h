// Semi-synchronous replication state from SHOW GLOBAL VARIABLES/STATUS, under
// both naming schemes: rpl_semi_sync_master_*/slave_* (MariaDB, MySQL 5.7 and
// the old 8.0 plugin) and rpl_semi_sync_source_*/replica_* (MySQL 8.0.26+).
#pragma once

#include <optional>
#include <string>

#include "probes/mysql_row.h"

namespace rsagent::probes {

struct SemiSyncState {
  // nullopt: the server does not have the variable (plugin not loaded).
  std::optional<bool> source_enabled;  // rpl_semi_sync_master_enabled
  std::optional<bool> source_active;   // Rpl_semi_sync_master_status
  std::optional<bool> replica_enabled;
  std::optional<bool> replica_active;
  std::optional<double> clients;  // semi-sync replicas connected
  std::optional<double> yes_tx;   // commits acknowledged by a replica
  std::optional<double> no_tx;    // commits that fell back to async

  // Enabled as a source but currently async: commits are not waiting for an
  // ack (the replica is gone or too slow, and the timeout expired).
  bool FellBackToAsync() const {
    return source_enabled.value_or(false) && !source_active.value_or(false);
  }
  std::string Describe() const;  // one line for /status
};

// `variables`/`status`: ToNameValueMap of SHOW GLOBAL VARIABLES/STATUS.
SemiSyncState ParseSemiSync(const NameValueMap& variables, const NameValueMap& status);

}  // namespace rsagent::probes
