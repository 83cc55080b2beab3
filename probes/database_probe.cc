#include "probes/database_probe.h"

#include "probes/mysql_metric.h"

namespace rsagent::probes {

std::string FailureText(const std::string& error, std::string_view what) {
  return error.empty() ? std::string(what) + " failed (no error message)" : error;
}

Result<std::vector<MysqlRow>> DatabaseStatements::Run(std::string_view sql) {
  auto rows = session_.Query(sql, deadline_);
  if (!rows.ok()) return Error{FailureText(rows.error(), sql.substr(0, sql.find(" WHERE")))};
  return rows;
}

Result<std::vector<MysqlRow>> DatabaseStatements::RunNeeding(std::string_view sql,
                                                             std::string_view state,
                                                             std::string_view grant) {
  auto rows = Run(sql);
  if (!rows.ok() && IsPrivilegeError(session_.last_error_code())) {
    return Error{UnknownForLackOfGrant(state, rows.error(), grant)};
  }
  return rows;
}

Status RequireVariables(const NameValueMap& variables, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto it = variables.find(name);
    if (it == variables.end() || it->second.empty()) {
      return Error{std::string(name) + " unknown: SHOW GLOBAL VARIABLES returned no " + name +
                   " value"};
    }
  }
  return Status::Ok();
}

void GatherDatabaseFacts(MysqlSession& session, Clock::time_point deadline, DatabaseFacts* facts,
                         const std::function<Status(DatabaseStatements&)>& read) {
  if (Status alive = session.EnsureAnswering(deadline); !alive.ok()) {
    facts->error = FailureText(alive.error(), "SELECT 1");
    return;
  }
  facts->answers = true;
  facts->version = session.server_version();
  DatabaseStatements statements(session, deadline);
  if (Status read_status = read(statements); !read_status.ok()) {
    facts->error = FailureText(read_status.error(), "reading the server's state");
  }
}

bool ReportDatabaseFacts(const DatabaseFacts& facts, ProbeResult* result) {
  AddMysqlSample(result, kMysqlUp, facts.answers ? 1.0 : 0.0);
  if (!facts.error.empty()) result->details["error"] = facts.error;
  if (!facts.version.empty()) result->details["version"] = facts.version;
  return facts.answers && facts.error.empty();
}

std::unique_ptr<MysqlSession> MakeDatabaseSession(const conf::MysqlServer& server) {
  return MakeMysqlSession(MysqlTarget{server.socket, server.address}, server.credentials,
                          ProbeReconnectBackoff());
}

void ReadDatabaseServer(conf::TableReader& table, conf::MysqlServer* server) {
  ReadMysqlTarget(table, &server->socket, &server->address, &server->credentials);
}

}  // namespace rsagent::probes
