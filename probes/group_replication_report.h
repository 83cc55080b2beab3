// A Group Replication member's facts as /metrics samples and /status
// details. Samples are rsagent_mysql_group_* (rsagent's own names, like the
// mysql and galera probes'): the group's member count per MEMBER_STATE, this
// member's state and role as labels of an info series, its queues.
#pragma once

#include "probes/group_replication_facts.h"
#include "probes/probe.h"

namespace rsagent::probes {

// Appends to result->samples and result->details what is the member's own,
// after ReportDatabaseFacts (up, error, version) said the facts were read.
void ReportGroupReplicationFacts(const GroupReplicationFacts& facts, ProbeResult* result);

}  // namespace rsagent::probes
