// The group_replication probe: a MySQL Group Replication member (InnoDB
// Cluster) judged from performance_schema — the group as this member sees it
// and its own queues — over one persistent connection (database_probe.h),
// turned into the "writer"/"reader" verdicts of group_replication_roles.h.
// Three statements per run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "conf/probe_kind_reader.h"
#include "probes/database_probe.h"
#include "probes/group_replication_facts.h"
#include "probes/mysql_session.h"
#include "probes/probe.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

// [probe.NAME] type = "group_replication"; yields the "writer" and "reader"
// roles. The probe's user needs SELECT on
// performance_schema.replication_group_members and
// performance_schema.replication_group_member_stats (docs/mysql.md).
struct GroupReplicationProbeSpec : conf::MysqlServer {  // socket or address, credentials
  int64_t max_lag = 100;  // reader: transactions in the applier queue, at most
  friend bool operator==(const GroupReplicationProbeSpec&,
                         const GroupReplicationProbeSpec&) = default;
  static GroupReplicationProbeSpec Read(conf::TableReader& table);  // reports into `table`
};

class GroupReplicationProbe
    : public DatabaseProbe<GroupReplicationFacts, GroupReplicationProbeSpec> {
 public:
  using DatabaseProbe::DatabaseProbe;  // (spec), on a real connection; (spec, session)

 private:
  Status Read(DatabaseStatements& statements, GroupReplicationFacts* facts) override;
  DatabaseVerdicts Judge(const GroupReplicationFacts& facts) const override;
  void Report(const GroupReplicationFacts& facts, ProbeResult* result) const override;
};

}  // namespace rsagent::probes
