// A Galera node's facts as /metrics samples and /status details. Samples are
// rsagent_mysql_wsrep_* (rsagent's own names, like the mysql probe's: never
// mysqld_exporter's mysql_global_status_wsrep_*); the state comment is the
// label of rsagent_mysql_wsrep_local_state_info.
#pragma once

#include "probes/galera_facts.h"
#include "probes/probe.h"

namespace rsagent::probes {

// Appends to result->samples and result->details what is the node's own,
// after ReportDatabaseFacts (up, error, version) said the facts were read.
void ReportGaleraFacts(const GaleraFacts& facts, ProbeResult* result);

}  // namespace rsagent::probes
