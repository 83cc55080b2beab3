#include "probes/group_replication_roles.h"

#include <optional>

namespace rsagent::probes {

namespace {

Outcome Down(std::string reason) { return {false, std::move(reason)}; }

std::string Counted(int n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// "3 members: 2 ONLINE, 1 UNREACHABLE" in a fixed state order.
std::string GroupText(const GroupReplicationFacts& f) {
  std::string text = Counted(static_cast<int>(f.members.size()), "member") + ":";
  bool first = true;
  for (const char* state : kGroupMemberStates) {
    const int n = f.CountInState(state);
    if (n == 0) continue;
    text += std::string(first ? " " : ", ") + std::to_string(n) + " " + state;
    first = false;
  }
  return text;
}

std::string PrimaryText(const GroupReplicationFacts& f) {
  for (const GroupMember& m : f.members) {
    if (m.role == "PRIMARY" && m.state == "ONLINE" && m.id != f.server_uuid) {
      return "; the primary is " + m.host;
    }
  }
  return "";
}

// Empty while this member is ONLINE with a majority; else why not.
std::optional<Outcome> Unavailable(const GroupReplicationFacts& f) {
  if (!f.answers) return Down("not answering: " + f.error);
  if (!f.error.empty()) return Down(f.error);
  const GroupMember* self = f.Self();
  if (self == nullptr) {
    return Down("not a group member: group replication is not running (no row for server_uuid " +
                f.server_uuid + " in replication_group_members)");
  }
  if (self->state != "ONLINE") {
    return Down("member state " + self->state + ", not ONLINE (" + GroupText(f) + ")");
  }
  if (!f.SeesMajority()) {
    return Down("no quorum: this member sees " + std::to_string(f.CountInState("UNREACHABLE")) +
                " of " + Counted(static_cast<int>(f.members.size()), "member") +
                " UNREACHABLE (a minority partition commits nothing)");
  }
  return std::nullopt;
}

std::string Note(const GroupReplicationFacts& f) {
  return "ONLINE " + f.Self()->role + ", " + GroupText(f);
}

}  // namespace

Outcome EvaluateGroupMember(const GroupReplicationFacts& facts) {
  if (auto down = Unavailable(facts)) return *down;
  return {true, Note(facts)};
}

Outcome EvaluateGroupWriter(const GroupReplicationFacts& facts) {
  if (auto down = Unavailable(facts)) return *down;
  const std::string& role = facts.Self()->role;
  if (role != "PRIMARY") return Down("member role " + role + ", not PRIMARY" + PrimaryText(facts));
  if (facts.super_read_only) {
    return Down("super_read_only is ON (a new primary applies its backlog first)");
  }
  if (facts.read_only) return Down("read_only is ON");
  return {true, "writable, " + Note(facts)};
}

Outcome EvaluateGroupReader(const GroupReplicationFacts& facts,
                            const GroupReplicationProbeSpec& spec) {
  if (auto down = Unavailable(facts)) return *down;
  const std::string& role = facts.Self()->role;
  if (role != "SECONDARY") return Down("member role " + role + ", not SECONDARY");
  if (!facts.applier_queue) {
    return Down("applier queue unknown: no row for this member in replication_group_member_stats");
  }
  if (*facts.applier_queue > spec.max_lag) {
    return Down("behind: " + Counted(static_cast<int>(*facts.applier_queue), "transaction") +
                " in the applier queue (max_lag " + std::to_string(spec.max_lag) + ")");
  }
  return {true, Note(facts) + ", applier queue " + std::to_string(*facts.applier_queue)};
}

}  // namespace rsagent::probes
