// The group_replication probe's reading of a member's replies
// (probes/group_replication_probe.cc, _facts.cc, _roles.cc): arbitrary SHOW
// GLOBAL VARIABLES rows and rows of performance_schema's
// replication_group_members and replication_group_member_stats through a
// scripted session (tests/fuzz/scripted_session.h). Beyond no crash and no
// UB, a role is UP only when the replies prove it: this member's row (by
// server_uuid) is ONLINE with a majority of the members it lists reachable,
// PRIMARY with read_only and super_read_only known OFF for the writer,
// SECONDARY with a known applier queue within max_lag for the reader.
//
// Directives (besides the session's down and version): max_lag N.
// Reply classes: variables, members, stats.
#include <charconv>
#include <memory>
#include <string>

#include "probes/group_replication_probe.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/probe_result_check.h"
#include "tests/fuzz/scripted_session.h"

using namespace rsagent;
using namespace rsagent::probes;
using fuzz::KnownOff;
using fuzz::NamedValue;

namespace {

const fuzz::StatementKinds kStatementKinds = {
    {"SHOW GLOBAL VARIABLES", "variables"},
    {"SELECT MEMBER_ID, MEMBER_HOST", "members"},
    {"SELECT MEMBER_ID, COUNT_TRANSACTIONS", "stats"},
};

std::optional<std::string> Cell(const MysqlRow& row, const char* column) {
  auto it = row.find(column);
  return it == row.end() ? std::nullopt : it->second;
}

// This member's row: the first whose MEMBER_ID is server_uuid.
const MysqlRow* SelfRow(const fuzz::DbReply* members, const std::string& uuid) {
  for (const MysqlRow& row : members->rows) {
    if (Cell(row, "MEMBER_ID") == uuid) return &row;
  }
  return nullptr;
}

void CheckOnlineWithMajority(const fuzz::ScriptedSession& s, const char* role) {
  const fuzz::DbReply* variables = s.Used("variables");
  const fuzz::DbReply* members = s.Used("members");
  FUZZ_CHECK(variables && members && s.Used("stats"));
  const auto uuid = NamedValue(variables, "server_uuid");
  FUZZ_CHECK(uuid && !uuid->empty());
  const MysqlRow* self = SelfRow(members, *uuid);
  FUZZ_CHECK(self != nullptr);
  FUZZ_CHECK(Cell(*self, "MEMBER_STATE") == "ONLINE");
  FUZZ_CHECK(Cell(*self, "MEMBER_ROLE") == role);
  int listed = 0, unreachable = 0;
  for (const MysqlRow& row : members->rows) {
    const auto id = Cell(row, "MEMBER_ID");
    if (!id || id->empty()) continue;  // MySQL's OFFLINE row before group replication started
    ++listed;
    if (Cell(row, "MEMBER_STATE") == "UNREACHABLE") ++unreachable;
  }
  FUZZ_CHECK(2 * unreachable < listed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::DbReplies script = fuzz::ParseDbReplies(FuzzText(data, size));
  GroupReplicationProbeSpec spec;
  spec.socket = "/run/mysqld/mysqld.sock";
  if (auto lag = script.directives.find("max_lag"); lag != script.directives.end()) {
    int64_t n = 0;
    std::from_chars(lag->second.data(), lag->second.data() + lag->second.size(), n);
    spec.max_lag = std::clamp<int64_t>(n, 0, 100'000'000);  // the reader's bounds
  }

  auto owned = std::make_unique<fuzz::ScriptedSession>(&script, kStatementKinds);
  const fuzz::ScriptedSession& session = *owned;
  GroupReplicationProbe probe(spec, std::move(owned));
  const ProbeResult result = probe.Attempt(Clock::now() + std::chrono::seconds(1));

  const auto& writer = result.roles.at("writer");
  const auto& reader = result.roles.at("reader");
  if (result.outcome.ok || writer.ok || reader.ok) FUZZ_CHECK(!script.directives.contains("down"));
  if (writer.ok) {
    CheckOnlineWithMajority(session, "PRIMARY");
    const auto read_only = NamedValue(session.Used("variables"), "read_only");
    FUZZ_CHECK(KnownOff(read_only));
    const auto super_read_only = NamedValue(session.Used("variables"), "super_read_only");
    FUZZ_CHECK(KnownOff(super_read_only));
  }
  if (reader.ok) {
    CheckOnlineWithMajority(session, "SECONDARY");
    const auto uuid = NamedValue(session.Used("variables"), "server_uuid");
    const MysqlRow* stats = nullptr;
    for (const MysqlRow& row : session.Used("stats")->rows) {
      if (Cell(row, "MEMBER_ID") == uuid) stats = &row;  // the last row of this member counts
    }
    FUZZ_CHECK(stats != nullptr);
    const auto queue = Cell(*stats, "COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE");
    int64_t n = -1;
    FUZZ_CHECK(queue &&
               std::from_chars(queue->data(), queue->data() + queue->size(), n).ec == std::errc());
    FUZZ_CHECK(n >= 0 && n <= spec.max_lag);
  }
  CheckProbeResult(result);
  return 0;
}
