// A server's facts as /metrics samples and /status details. Samples are
// rsagent_mysql_* (probes/mysql_metric.h), in the replica/source spelling
// whatever the server calls them, so one dashboard fits MySQL 5.7, 8.x, 9.x
// and MariaDB.
#pragma once

#include "probes/mysql_facts.h"
#include "probes/probe.h"

namespace rsagent::probes {

// Appends to result->samples and result->details.
void ReportMysqlFacts(const MysqlFacts& facts, ProbeResult* result);

}  // namespace rsagent::probes
