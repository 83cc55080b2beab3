// A Galera node's facts as /metrics samples and /status details. Status
// values keep mysqld_exporter's names (mysql_global_status_wsrep_*), so
// existing Galera dashboards fit; the state comment is a label of
// mysql_galera_local_state_info.
#pragma once

#include "probes/galera_facts.h"
#include "probes/probe.h"

namespace rsagent::probes {

// Appends to result->samples and result->details.
void ReportGaleraFacts(const GaleraFacts& facts, ProbeResult* result);

}  // namespace rsagent::probes
