// What one probe attempt learned about a MySQL Group Replication member (an
// InnoDB Cluster node): the group as this member sees it and its own queues,
// as plain values, so the verdicts (group_replication_roles.h) are testable
// without a group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "probes/database_facts.h"
#include "probes/mysql_row.h"

namespace rsagent::probes {

// One row of performance_schema.replication_group_members.
struct GroupMember {
  std::string id;     // MEMBER_ID, the member's @@server_uuid
  std::string host;   // MEMBER_HOST:MEMBER_PORT, for reasons
  std::string state;  // ONLINE, RECOVERING, OFFLINE, ERROR, UNREACHABLE
  std::string role;   // PRIMARY, SECONDARY ("" while OFFLINE)
  friend bool operator==(const GroupMember&, const GroupMember&) = default;
};

// MEMBER_STATE's values, in the order reasons and metrics list them.
inline constexpr const char* kGroupMemberStates[] = {"ONLINE", "RECOVERING", "OFFLINE", "ERROR",
                                                     "UNREACHABLE"};

struct GroupReplicationFacts : DatabaseFacts {
  std::string server_uuid;
  bool read_only = false;
  bool super_read_only = false;
  std::vector<GroupMember> members;  // as this member sees the group

  // This member's row of replication_group_member_stats; nullopt when absent.
  std::optional<int64_t> certifier_queue;  // COUNT_TRANSACTIONS_IN_QUEUE
  std::optional<int64_t> applier_queue;    // COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE

  // This member's row of `members`, or nullptr (group replication not running).
  const GroupMember* Self() const;
  int CountInState(std::string_view state) const;
  // Fewer than half the members it sees are UNREACHABLE: its partition holds
  // a majority and can commit. A minority partition blocks every write.
  bool SeesMajority() const;
};

// Fills the fields from SHOW GLOBAL VARIABLES (server_uuid, read_only,
// super_read_only; keys lower-case as ToNameValueMap gives them) and the rows
// of replication_group_members and replication_group_member_stats. A member
// row without MEMBER_ID (the one OFFLINE row MySQL shows when group
// replication never started) is left out. Errors name the table and column.
Status ParseGroupReplicationFacts(const NameValueMap& variables,
                                  const std::vector<MysqlRow>& members,
                                  const std::vector<MysqlRow>& stats, GroupReplicationFacts* facts);

}  // namespace rsagent::probes
