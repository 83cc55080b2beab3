// A server's facts as /metrics samples and /status details. Sample names
// follow mysqld_exporter (mysql_up, mysql_global_variables_read_only,
// mysql_slave_status_*{channel}, mysql_global_status_rpl_semi_sync_master_*),
// always in the master/slave spelling whatever the server calls them, so one
// dashboard fits MySQL 5.7, 8.x and MariaDB.
#pragma once

#include "probes/mysql_facts.h"
#include "probes/probe.h"

namespace rsagent::probes {

// Appends to result->samples and result->details.
void ReportMysqlFacts(const MysqlFacts& facts, ProbeResult* result);

}  // namespace rsagent::probes
