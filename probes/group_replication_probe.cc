#include "probes/group_replication_probe.h"

#include "conf/toml_reader.h"
#include "probes/group_replication_report.h"
#include "probes/group_replication_roles.h"
#include "probes/mysql_session.h"
#include "probes/probe_outcome.h"

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

// Transactions; MySQL's own flow control starts at 25000 by default.
constexpr int64_t kMaxLagLimit = 100'000'000;

}  // namespace

GroupReplicationProbeSpec GroupReplicationProbeSpec::Read(conf::TableReader& table) {
  GroupReplicationProbeSpec spec;
  ReadMysqlTarget(table, &spec.socket, &spec.address, &spec.credentials);
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

GroupReplicationProbe::GroupReplicationProbe(GroupReplicationProbeSpec spec)
    : GroupReplicationProbe(spec, MakeMysqlSession(MysqlTarget{spec.socket, spec.address},
                                                   spec.credentials, ProbeReconnectBackoff())) {}

GroupReplicationProbe::GroupReplicationProbe(GroupReplicationProbeSpec spec,
                                             std::unique_ptr<MysqlSession> session)
    : spec_(std::move(spec)), session_(std::move(session)) {}

ProbeResult GroupReplicationProbe::Attempt(Clock::time_point deadline) {
  const Clock::time_point start = Clock::now();
  GroupReplicationFacts facts = Gather(deadline);
  Outcome member = EvaluateGroupMember(facts);
  ProbeResult result = member.ok ? Passed(start, member.reason) : Failed(start, member.reason);
  result.roles["writer"] = EvaluateGroupWriter(facts);
  result.roles["reader"] = EvaluateGroupReader(facts, spec_);
  ReportGroupReplicationFacts(facts, &result);
  result.details["connects"] = std::to_string(session_->connects());
  return result;
}

GroupReplicationFacts GroupReplicationProbe::Gather(Clock::time_point deadline) {
  GroupReplicationFacts facts;
  if (Status alive = session_->EnsureAnswering(deadline); !alive.ok()) {
    facts.error = alive.error();
    return facts;
  }
  facts.answers = true;
  facts.version = session_->server_version();
  if (Status read = ReadGroup(deadline, &facts); !read.ok()) facts.error = read.error();
  return facts;
}

Status GroupReplicationProbe::ReadGroup(Clock::time_point deadline, GroupReplicationFacts* facts) {
  ASSIGN_OR_RETURN(auto variables, Query(kVariablesStatement, "", deadline));
  ASSIGN_OR_RETURN(auto members, Query(kMembersStatement, "replication_group_members", deadline));
  ASSIGN_OR_RETURN(auto stats, Query(kStatsStatement, "replication_group_member_stats", deadline));
  return ParseGroupReplicationFacts(ToNameValueMap(variables), members, stats, facts);
}

Result<std::vector<MysqlRow>> GroupReplicationProbe::Query(const char* sql, std::string_view table,
                                                           Clock::time_point deadline) {
  auto rows = session_->Query(sql, deadline);
  if (!rows.ok() && !table.empty() && IsPrivilegeError(session_->last_error_code())) {
    // Unknown, not "not a member": the user may not look.
    return Error{"group state unknown: " + rows.error() + " (GRANT SELECT ON performance_schema." +
                 std::string(table) + " TO the probe's user; docs/mysql.md \"Minimal grants\")"};
  }
  return rows;
}

}  // namespace rsagent::probes
