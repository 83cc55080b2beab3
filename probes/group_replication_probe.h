// The group_replication probe: a MySQL Group Replication member (InnoDB
// Cluster) judged from performance_schema — the group as this member sees it
// and its own queues — over one persistent connection (a MysqlSession,
// mysql_session.h), turned into the "writer"/"reader" verdicts of
// group_replication_roles.h. Three statements per run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
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
struct GroupReplicationProbeSpec {
  std::string socket;               // unix socket, or
  std::optional<Endpoint> address;  // host:port (exactly one of the two)
  std::string credentials;          // option file with [client] user/password, mode 0600
  int64_t max_lag = 100;            // reader: transactions in the applier queue, at most
  friend bool operator==(const GroupReplicationProbeSpec&,
                         const GroupReplicationProbeSpec&) = default;
  static GroupReplicationProbeSpec Read(conf::TableReader& table);  // reports into `table`
};

class GroupReplicationProbe : public Probe {
 public:
  explicit GroupReplicationProbe(GroupReplicationProbeSpec spec);  // on a real connection
  GroupReplicationProbe(GroupReplicationProbeSpec spec, std::unique_ptr<MysqlSession> session);

  ProbeResult Attempt(Clock::time_point deadline) override;

 private:
  GroupReplicationFacts Gather(Clock::time_point deadline);
  Status ReadGroup(Clock::time_point deadline, GroupReplicationFacts* facts);
  // A failure for lack of a privilege on performance_schema.`table` names the grant.
  Result<std::vector<MysqlRow>> Query(const char* sql, std::string_view table,
                                      Clock::time_point deadline);

  GroupReplicationProbeSpec spec_;
  std::unique_ptr<MysqlSession> session_;
};

}  // namespace rsagent::probes
