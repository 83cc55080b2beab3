#include "probes/group_replication_report.h"

#include "probes/mysql_metric.h"

namespace rsagent::probes {

namespace {

constexpr MysqlMetric kMembers{
    "group_members", "Members of the group this member sees, by MEMBER_STATE (0 when none)."};
constexpr MysqlMetric kMemberInfo{"group_member_info",
                                  "1, with this member's MEMBER_STATE and MEMBER_ROLE as labels."};
constexpr MysqlMetric kPrimary{"group_member_primary",
                               "1 while this member is the group's (or a) PRIMARY."};
constexpr MysqlMetric kQuorum{
    "group_quorum", "1 while fewer than half the members this member sees are UNREACHABLE."};
constexpr MysqlMetric kCertifierQueue{
    "group_certifier_queue_transactions",
    "COUNT_TRANSACTIONS_IN_QUEUE: transactions waiting for certification on this member."};
constexpr MysqlMetric kApplierQueue{"group_applier_queue_transactions",
                                    "COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE: transactions "
                                    "from the group waiting to be applied on this member."};

std::optional<double> Number(std::optional<int64_t> n) {
  if (!n) return std::nullopt;
  return static_cast<double>(*n);
}

}  // namespace

void ReportGroupReplicationFacts(const GroupReplicationFacts& f, ProbeResult* result) {
  auto& details = result->details;
  AddMysqlSample(result, kMysqlReadOnly, f.read_only ? 1.0 : 0.0);
  AddMysqlSample(result, kMysqlSuperReadOnly, f.super_read_only ? 1.0 : 0.0);
  details["read_only"] = f.read_only ? "ON" : "OFF";
  details["super_read_only"] = f.super_read_only ? "ON" : "OFF";
  const GroupMember* self = f.Self();
  if (self == nullptr) {
    details["group_replication"] = "not running";
    return;
  }
  for (const char* state : kGroupMemberStates) {
    AddMysqlSample(result, kMembers, f.CountInState(state), {{"state", state}});
  }
  AddMysqlSample(result, kMemberInfo, 1.0, {{"state", self->state}, {"role", self->role}});
  AddMysqlSample(result, kPrimary, self->role == "PRIMARY" ? 1.0 : 0.0);
  AddMysqlSample(result, kQuorum, f.SeesMajority() ? 1.0 : 0.0);
  AddMysqlSample(result, kCertifierQueue, Number(f.certifier_queue));
  AddMysqlSample(result, kApplierQueue, Number(f.applier_queue));

  details["member_state"] = self->state;
  details["member_role"] = self->role;
  details["group_members"] = std::to_string(f.members.size());
  for (const GroupMember& m : f.members) {
    details["member " + m.host] = m.state + (m.role.empty() ? "" : " " + m.role);
  }
  if (f.certifier_queue) details["certifier_queue"] = std::to_string(*f.certifier_queue);
  if (f.applier_queue) details["applier_queue"] = std::to_string(*f.applier_queue);
}

}  // namespace rsagent::probes
