#include "probes/group_replication_facts.h"

#include <algorithm>
#include <charconv>

#include "probes/mysql_variables.h"

namespace rsagent::probes {

namespace {

std::string Get(const NameValueMap& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? "" : it->second;
}

std::string Column(const MysqlRow& row, std::string_view name) {
  return FindColumn(row, {name}).value_or("");
}

// A count column: nullopt when NULL, an error when not a number.
Result<std::optional<int64_t>> Count(const MysqlRow& row, std::string_view name) {
  MysqlValue value = FindColumn(row, {name});
  if (!value) return std::optional<int64_t>();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size()) {
    return Error{"replication_group_member_stats." + std::string(name) + ": not a number: '" +
                 *value + "'"};
  }
  return std::optional<int64_t>(n);
}

}  // namespace

const GroupMember* GroupReplicationFacts::Self() const {
  if (server_uuid.empty()) return nullptr;
  auto it = std::find_if(members.begin(), members.end(),
                         [&](const GroupMember& m) { return m.id == server_uuid; });
  return it == members.end() ? nullptr : &*it;
}

int GroupReplicationFacts::CountInState(std::string_view state) const {
  return static_cast<int>(std::count_if(members.begin(), members.end(),
                                        [&](const GroupMember& m) { return m.state == state; }));
}

bool GroupReplicationFacts::SeesMajority() const {
  return 2 * CountInState("UNREACHABLE") < static_cast<int>(members.size());
}

Status ParseGroupReplicationFacts(const NameValueMap& variables,
                                  const std::vector<MysqlRow>& members,
                                  const std::vector<MysqlRow>& stats,
                                  GroupReplicationFacts* facts) {
  facts->server_uuid = Get(variables, "server_uuid");
  facts->read_only = IsReadOnly(Get(variables, "read_only"));
  facts->super_read_only = !IsOff(Get(variables, "super_read_only"));
  facts->members.clear();
  for (const MysqlRow& row : members) {
    GroupMember m{.id = Column(row, "MEMBER_ID"),
                  .host = Column(row, "MEMBER_HOST"),
                  .state = Column(row, "MEMBER_STATE"),
                  .role = Column(row, "MEMBER_ROLE")};
    if (m.id.empty()) continue;
    if (std::string port = Column(row, "MEMBER_PORT"); !port.empty() && port != "0") {
      m.host += ":" + port;
    }
    facts->members.push_back(std::move(m));
  }
  for (const MysqlRow& row : stats) {
    if (Column(row, "MEMBER_ID") != facts->server_uuid) continue;
    // Both or neither: a failed count leaves no half-read queue behind.
    ASSIGN_OR_RETURN(auto certifier, Count(row, "COUNT_TRANSACTIONS_IN_QUEUE"));
    ASSIGN_OR_RETURN(auto applier, Count(row, "COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE"));
    facts->certifier_queue = certifier;
    facts->applier_queue = applier;
  }
  return Status::Ok();
}

}  // namespace rsagent::probes
