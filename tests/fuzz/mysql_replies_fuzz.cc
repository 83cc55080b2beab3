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

#include "common/safe_text.h"
#include "probes/mysql_probe.h"
#include "probes/mysql_session.h"
#include "probes/safe_probe.h"
#include "tests/fuzz/db_replies.h"
#include "tests/fuzz/fuzz_check.h"

using namespace rsagent;
using namespace rsagent::probes;

namespace {

constexpr const char* kStatementKinds[][2] = {
    {"SHOW GLOBAL VARIABLES", "variables"}, {"SHOW GLOBAL STATUS", "status"},
    {"SHOW ALL SLAVES STATUS", "replica"},  {"SHOW REPLICA STATUS", "replica"},
    {"SHOW SLAVE STATUS", "replica"},       {"SELECT CHANNEL_NAME", "workers"},
    {"SELECT TIMESTAMPDIFF", "heartbeat"},
};

// Answers from the script; remembers what it served, per class, in order.
class ScriptedSession : public MysqlSession {
 public:
  explicit ScriptedSession(fuzz::DbReplies* script) : script_(script) {}

  Status EnsureAnswering(Clock::time_point) override {
    if (auto down = script_->directives.find("down"); down != script_->directives.end()) {
      return Error{down->second};
    }
    return Status::Ok();
  }
  Result<std::vector<MysqlRow>> Query(std::string_view sql, Clock::time_point) override {
    std::string kind = "unknown";
    for (const auto& [prefix, name] : kStatementKinds) {
      if (sql.starts_with(prefix)) kind = name;
    }
    fuzz::DbReply reply = script_->Next(kind).value_or(fuzz::DbReply{});
    served[kind].push_back(reply);
    last_code_ = reply.error_code.value_or(0);
    if (reply.error_code) return Error{reply.error_text};
    return reply.rows;
  }
  unsigned last_error_code() const override { return last_code_; }
  std::string server_version() const override {
    auto v = script_->directives.find("version");
    return v == script_->directives.end() ? "10.11.6-MariaDB" : v->second;
  }
  int connects() const override { return 1; }

  std::map<std::string, std::vector<fuzz::DbReply>, std::less<>> served;

 private:
  fuzz::DbReplies* script_;
  unsigned last_code_ = 0;
};

// --- The oracle: what the replies prove, read independently of the probe. ---

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool On(const std::string& v) {
  const std::string u = Upper(v);
  return u == "ON" || u == "1" || u == "YES" || u == "TRUE";
}

// The reply the probe went on with for `kind` (the last served), or nullptr
// when it got none or an error.
const fuzz::DbReply* Used(const ScriptedSession& s, std::string_view kind) {
  auto it = s.served.find(kind);
  if (it == s.served.end() || it->second.empty() || it->second.back().error_code) return nullptr;
  return &it->second.back();
}

// A SHOW VARIABLES/STATUS value by case-insensitive name (the last non-NULL row).
std::optional<std::string> NamedValue(const fuzz::DbReply& reply, std::string_view name) {
  std::optional<std::string> value;
  for (const MysqlRow& row : reply.rows) {
    auto n = row.find("Variable_name");
    auto v = row.find("Value");
    if (n == row.end() || v == row.end() || !n->second || !v->second) continue;
    if (Upper(*n->second) == Upper(std::string(name))) value = v->second;
  }
  return value;
}

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
  const fuzz::DbReply* replica = Used(s, "replica");
  if (!Used(s, "variables") || !Used(s, "status") || !replica) return false;
  return std::all_of(replica->rows.begin(), replica->rows.end(), HasEveryRequiredColumn);
}

void CheckWriter(const ScriptedSession& s, const MysqlProbeSpec& spec) {
  FUZZ_CHECK(BasicsKnown(s));
  const fuzz::DbReply& variables = *Used(s, "variables");
  const auto read_only = NamedValue(variables, "read_only");
  FUZZ_CHECK(read_only && (Upper(*read_only) == "OFF" || *read_only == "0"));
  const auto super_read_only = NamedValue(variables, "super_read_only");
  FUZZ_CHECK(!super_read_only || !On(*super_read_only));
  for (const MysqlRow& row : Used(s, "replica")->rows) {
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
    const fuzz::DbReply& status = *Used(s, "status");
    const auto active = NamedValue(status, "rpl_semi_sync_master_status")
                            ? NamedValue(status, "rpl_semi_sync_master_status")
                            : NamedValue(status, "rpl_semi_sync_source_status");
    FUZZ_CHECK(!(enabled && On(*enabled)) || (active && On(*active)));
  }
}

void CheckReader(const ScriptedSession& s, const MysqlProbeSpec& spec) {
  FUZZ_CHECK(BasicsKnown(s));
  const double max_lag = std::chrono::duration<double>(spec.max_lag).count();
  const bool heartbeat = !spec.heartbeat_table.empty();
  if (heartbeat) {
    const fuzz::DbReply* reply = Used(s, "heartbeat");
    FUZZ_CHECK(reply && !reply->rows.empty());
    auto it = reply->rows.front().find("lag_seconds");
    FUZZ_CHECK(it != reply->rows.front().end());
    const auto lag = Finite(it->second);
    FUZZ_CHECK(lag && *lag <= max_lag);
  }
  for (const MysqlRow& row : Used(s, "replica")->rows) {
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

  auto owned = std::make_unique<ScriptedSession>(&script);
  ScriptedSession& session = *owned;
  MysqlProbe probe(spec, std::move(owned));
  const ProbeResult result = probe.Attempt(Clock::now() + std::chrono::seconds(1));

  const bool answered = !script.directives.contains("down");
  FUZZ_CHECK(result.outcome.ok == answered);
  for (const char* role : {"writer", "reader"}) {
    const auto it = result.roles.find(role);
    FUZZ_CHECK(it != result.roles.end());
    FUZZ_CHECK(it->second.ok || !it->second.reason.empty());  // a DOWN verdict says why
    if (!it->second.ok) continue;
    FUZZ_CHECK(answered);
    if (spec.replication_required) {
      FUZZ_CHECK(Used(session, "replica") && !Used(session, "replica")->rows.empty());
    }
    if (std::string_view(role) == "writer") {
      CheckWriter(session, spec);
    } else {
      CheckReader(session, spec);
    }
  }
  // An unknown value is left out, never exported as a number it is not.
  for (const auto& sample : result.samples) FUZZ_CHECK(std::isfinite(sample.value));

  // What leaves the agent's probe wrapper is safe, however odd the rows.
  const ProbeResult safe = MakeSafe(result);
  FUZZ_CHECK(IsSafeText(safe.outcome.reason));
  for (const auto& [key, value] : safe.details) FUZZ_CHECK(IsSafeText(key) && IsSafeText(value));
  for (const auto& [role, outcome] : safe.roles) FUZZ_CHECK(IsSafeText(outcome.reason));
  return 0;
}
