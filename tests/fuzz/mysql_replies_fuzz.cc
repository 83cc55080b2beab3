// The mysql probe's reading of a server's replies (probes/mysql_probe.cc and
// the pure functions behind it: rows -> facts -> writer/reader verdicts and
// samples). A scripted session (tests/fuzz/db_replies.h) answers each
// statement with arbitrary rows: any column names and values, NULLs, huge or
// odd strings, missing columns, errors. Beyond no crash and no UB, the
// verdicts are checked against the contract (docs/design.md §6) read from the
// replies themselves: a role is UP only when the replies prove it, never
// when something it needs is missing, NULL or unreadable.
//
// Directives: version TEXT, down TEXT (SELECT 1 fails), max_lag_ms N,
// heartbeat (a heartbeat table is configured), semi_sync_fatal,
// replication_required. Reply classes: variables, status, replica (all three
// replica status statements), workers, heartbeat.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "probes/mysql_probe.h"
#include "probes/mysql_session.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/probe_result_check.h"
#include "tests/fuzz/scripted_session.h"

using namespace rsagent;
using namespace rsagent::probes;
using fuzz::KnownOff;
using fuzz::NamedValue;
using fuzz::OnWord;
using fuzz::ScriptedSession;

namespace {

const fuzz::StatementKinds kStatementKinds = {
    {"SHOW GLOBAL VARIABLES", "variables"}, {"SHOW GLOBAL STATUS", "status"},
    {"SHOW ALL SLAVES STATUS", "replica"},  {"SHOW REPLICA STATUS", "replica"},
    {"SHOW SLAVE STATUS", "replica"},       {"SELECT CHANNEL_NAME", "workers"},
    {"SELECT TIMESTAMPDIFF", "heartbeat"},
};

// --- The oracle: what the replies prove, read independently of the probe. ---

// The column under the first spelling the row has; "present but NULL" and
// "absent" are both nullopt here: either way nothing is known.
std::optional<std::string> Column(const MysqlRow& row, std::string_view a, std::string_view b) {
  for (std::string_view name : {a, b}) {
    if (auto it = row.find(name); it != row.end()) return it->second;
  }
  return std::nullopt;
}

std::optional<int64_t> Integer(const std::optional<std::string>& v) {
  int64_t n = 0;
  if (!v || v->empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size()) return std::nullopt;
  return n;
}

std::optional<double> Finite(const std::optional<std::string>& v) {
  double n = 0;
  if (!v || v->empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || !std::isfinite(n)) return std::nullopt;
  return n;
}

bool HasEveryRequiredColumn(const MysqlRow& row) {
  const char* required[][2] = {{"Slave_IO_Running", "Replica_IO_Running"},
                               {"Slave_SQL_Running", "Replica_SQL_Running"},
                               {"Master_Log_File", "Source_Log_File"},
                               {"Read_Master_Log_Pos", "Read_Source_Log_Pos"},
                               {"Relay_Master_Log_File", "Relay_Source_Log_File"},
                               {"Exec_Master_Log_Pos", "Exec_Source_Log_Pos"},
                               {"Seconds_Behind_Master", "Seconds_Behind_Source"}};
  for (const auto& [a, b] : required) {
    if (!row.contains(a) && !row.contains(b)) return false;
  }
  return true;
}

// Every fact both roles need was read: the server answered and the
// variables, status and replica status came back with well-formed rows.
bool BasicsKnown(const ScriptedSession& s) {
  const fuzz::DbReply* replica = s.Used("replica");
  if (!s.Used("variables") || !s.Used("status") || !replica) return false;
  return std::all_of(replica->rows.begin(), replica->rows.end(), HasEveryRequiredColumn);
}

void CheckWriter(const ScriptedSession& s, const MysqlProbeSpec& spec) {
  FUZZ_CHECK(BasicsKnown(s));
  const fuzz::DbReply* variables = s.Used("variables");
  const auto read_only = NamedValue(variables, "read_only");
  FUZZ_CHECK(KnownOff(read_only));
  const auto super_read_only = NamedValue(variables, "super_read_only");
  FUZZ_CHECK(!super_read_only || KnownOff(super_read_only));
  for (const MysqlRow& row : s.Used("replica")->rows) {
    // Caught up: the same file, the same known position.
    const auto received = Integer(Column(row, "Read_Master_Log_Pos", "Read_Source_Log_Pos"));
    const auto applied = Integer(Column(row, "Exec_Master_Log_Pos", "Exec_Source_Log_Pos"));
    FUZZ_CHECK(received && applied && *received == *applied);
    FUZZ_CHECK(Column(row, "Master_Log_File", "Source_Log_File") ==
               Column(row, "Relay_Master_Log_File", "Relay_Source_Log_File"));
  }
  if (spec.semi_sync_fatal) {
    const auto enabled = NamedValue(variables, "rpl_semi_sync_master_enabled")
                             ? NamedValue(variables, "rpl_semi_sync_master_enabled")
                             : NamedValue(variables, "rpl_semi_sync_source_enabled");
    const fuzz::DbReply* status = s.Used("status");
    const auto active = NamedValue(status, "rpl_semi_sync_master_status")
                            ? NamedValue(status, "rpl_semi_sync_master_status")
                            : NamedValue(status, "rpl_semi_sync_source_status");
    FUZZ_CHECK(!(enabled && OnWord(*enabled)) || (active && OnWord(*active)));
  }
}

void CheckReader(const ScriptedSession& s, const MysqlProbeSpec& spec) {
  FUZZ_CHECK(BasicsKnown(s));
  const double max_lag = std::chrono::duration<double>(spec.max_lag).count();
  const bool heartbeat = !spec.heartbeat_table.empty();
  if (heartbeat) {
    const fuzz::DbReply* reply = s.Used("heartbeat");
    FUZZ_CHECK(reply && !reply->rows.empty());
    auto it = reply->rows.front().find("lag_seconds");
    FUZZ_CHECK(it != reply->rows.front().end());
    const auto lag = Finite(it->second);
    FUZZ_CHECK(lag && *lag <= max_lag);
  }
  for (const MysqlRow& row : s.Used("replica")->rows) {
    FUZZ_CHECK(Column(row, "Slave_IO_Running", "Replica_IO_Running") == "Yes");
    FUZZ_CHECK(Column(row, "Slave_SQL_Running", "Replica_SQL_Running") == "Yes");
    if (heartbeat) continue;
    const auto lag = Integer(Column(row, "Seconds_Behind_Master", "Seconds_Behind_Source"));
    FUZZ_CHECK(lag && static_cast<double>(*lag) <= max_lag);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::DbReplies script = fuzz::ParseDbReplies(FuzzText(data, size));
  MysqlProbeSpec spec;
  spec.socket = "/run/mysqld/mysqld.sock";
  spec.max_lag = std::chrono::seconds(5);
  if (auto ms = script.directives.find("max_lag_ms"); ms != script.directives.end()) {
    unsigned n = 0;
    std::from_chars(ms->second.data(), ms->second.data() + ms->second.size(), n);
    spec.max_lag = std::chrono::milliseconds(std::min(n, 3'600'000u));  // the reader's bound
  }
  if (script.directives.contains("heartbeat")) spec.heartbeat_table = "rsagent.heartbeat";
  spec.semi_sync_fatal = script.directives.contains("semi_sync_fatal");
  spec.replication_required = script.directives.contains("replication_required");

  auto owned = std::make_unique<ScriptedSession>(&script, kStatementKinds);
  ScriptedSession& session = *owned;
  MysqlProbe probe(spec, std::move(owned));
  const ProbeResult result = probe.Attempt(Clock::now() + std::chrono::seconds(1));

  const bool answered = !script.directives.contains("down");
  FUZZ_CHECK(result.outcome.ok == answered);
  for (const char* role : {"writer", "reader"}) {
    const auto it = result.roles.find(role);
    FUZZ_CHECK(it != result.roles.end());
    if (!it->second.ok) continue;
    FUZZ_CHECK(answered);
    if (spec.replication_required) {
      FUZZ_CHECK(session.Used("replica") && !session.Used("replica")->rows.empty());
    }
    if (std::string_view(role) == "writer") {
      CheckWriter(session, spec);
    } else {
      CheckReader(session, spec);
    }
  }
  CheckProbeResult(result);
  return 0;
}
