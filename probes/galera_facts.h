// What one probe attempt learned about a Galera node (MariaDB Galera, Percona
// XtraDB Cluster): its wsrep status and settings as plain values, so the
// verdicts (galera_roles.h) are testable without a cluster.
#pragma once

#include <optional>
#include <string>

#include "probes/database_facts.h"
#include "probes/mysql_row.h"

namespace rsagent::probes {

struct GaleraFacts : DatabaseFacts {
  bool provider_loaded = false;  // the server reports wsrep_ready at all
  bool wsrep_on = false;
  std::string ready;                // wsrep_ready: ON/OFF
  std::string connected;            // wsrep_connected: ON/OFF
  std::string cluster_status;       // wsrep_cluster_status: Primary, non-Primary,
                                    // Disconnected
  std::optional<int> local_state;   // wsrep_local_state: 1 Joining .. 4 Synced
  std::string local_state_comment;  // "Synced", "Donor/Desynced", "Joined", ...
  std::optional<int> cluster_size;

  bool desync = false;                  // wsrep_desync
  std::string reject_queries = "NONE";  // wsrep_reject_queries: NONE, ALL, ALL_KILL
  bool donor_rejects_queries = false;   // wsrep_sst_donor_rejects_queries
  std::string pxc_maint_mode;           // PXC only: DISABLED, SHUTDOWN, MAINTENANCE; "" = absent
  bool read_only = false;
  std::optional<bool> super_read_only;  // PXC (MySQL) only

  std::optional<double> flow_control_paused;     // fraction of time paused, 0..1
  std::optional<double> flow_control_paused_ns;  // total time paused, a counter
  std::optional<double> recv_queue;              // write-sets received, not yet applied
  std::optional<double> recv_queue_avg;
};

// wsrep_local_state's numbers: Galera's node state machine.
inline constexpr int kGaleraDonor = 2;
inline constexpr int kGaleraSynced = 4;

// Fills the wsrep fields from SHOW GLOBAL STATUS and SHOW GLOBAL VARIABLES
// (keys lower-case, as ToNameValueMap gives them).
void ParseGaleraFacts(const NameValueMap& status, const NameValueMap& variables,
                      GaleraFacts* facts);

}  // namespace rsagent::probes
