#include "probes/group_replication_probe.h"

#include "conf/toml_reader.h"
#include "probes/group_replication_report.h"
#include "probes/group_replication_roles.h"

namespace rsagent::probes {

namespace {

constexpr const char* kVariablesStatement =
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('server_uuid', 'read_only', "
    "'super_read_only')";
constexpr const char* kMembersStatement =
    "SELECT MEMBER_ID, MEMBER_HOST, MEMBER_PORT, MEMBER_STATE, MEMBER_ROLE"
    " FROM performance_schema.replication_group_members";
constexpr const char* kStatsStatement =
    "SELECT MEMBER_ID, COUNT_TRANSACTIONS_IN_QUEUE, COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE"
    " FROM performance_schema.replication_group_member_stats";

// Refused for lack of these, the group's state is unknown, never "not a member".
constexpr const char* kState = "group state";
constexpr const char* kMembersGrant = "SELECT ON performance_schema.replication_group_members";
constexpr const char* kStatsGrant = "SELECT ON performance_schema.replication_group_member_stats";

// Transactions; MySQL's own flow control starts at 25000 by default.
constexpr int64_t kMaxLagLimit = 100'000'000;

}  // namespace

GroupReplicationProbeSpec GroupReplicationProbeSpec::Read(conf::TableReader& table) {
  GroupReplicationProbeSpec spec;
  ReadDatabaseServer(table, &spec);
  // The mysql probe's max_lag is a duration; here it counts transactions.
  if (const toml::node* node = table.Node("max_lag"); node != nullptr && node->is_string()) {
    table.ErrorAt(node->source(), table.KeyPath("max_lag"),
                  "a group_replication probe's max_lag counts transactions in the applier queue "
                  "(an integer, e.g. max_lag = 100), not a duration");
  } else if (auto v = table.Integer("max_lag", 0, kMaxLagLimit)) {
    spec.max_lag = *v;
  }
  return spec;
}

Status GroupReplicationProbe::Read(DatabaseStatements& statements, GroupReplicationFacts* facts) {
  ASSIGN_OR_RETURN(auto variables, statements.Run(kVariablesStatement));
  const NameValueMap variable_map = ToNameValueMap(variables);
  RETURN_IF_ERROR(RequireVariables(variable_map, {"read_only", "super_read_only"}));
  ASSIGN_OR_RETURN(auto members, statements.RunNeeding(kMembersStatement, kState, kMembersGrant));
  ASSIGN_OR_RETURN(auto stats, statements.RunNeeding(kStatsStatement, kState, kStatsGrant));
  return ParseGroupReplicationFacts(variable_map, members, stats, facts);
}

DatabaseVerdicts GroupReplicationProbe::Judge(const GroupReplicationFacts& facts) const {
  return {.member = EvaluateGroupMember(facts),
          .writer = EvaluateGroupWriter(facts),
          .reader = EvaluateGroupReader(facts, spec())};
}

void GroupReplicationProbe::Report(const GroupReplicationFacts& facts, ProbeResult* result) const {
  ReportGroupReplicationFacts(facts, result);
}

}  // namespace rsagent::probes
