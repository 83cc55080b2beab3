#include "probes/mysql_session.h"

#include <mysqld_error.h>
#include <unistd.h>

#include "conf/toml_reader.h"
#include "conf/value_checks.h"

namespace rsagent::probes {

void ReadMysqlTarget(conf::TableReader& table, std::string* socket,
                     std::optional<Endpoint>* address, std::string* credentials) {
  const bool has_socket = table.Has("socket");
  const bool has_address = table.Has("address");
  if (auto v = table.Parsed<std::string>("socket", conf::ParseAbsolutePath)) *socket = *v;
  if (auto v = table.Parsed<Endpoint>("address", Endpoint::Parse)) *address = *v;
  if (has_socket && has_address) {
    table.ErrorAt(table.Node("address")->source(), table.KeyPath("address"),
                  "`socket` is set too; set exactly one of `socket` (a unix socket path) or "
                  "`address` (\"IP:PORT\")");
  } else if (!has_socket && !has_address) {
    table.ErrorAtTable(
        "missing `socket` (a unix socket path) or `address` (\"IP:PORT\"); exactly one is "
        "required");
  }
  if (auto v = table.Parsed<std::string>("credentials", conf::ParseAbsolutePath)) {
    *credentials = *v;
  }
}

bool IsPrivilegeError(unsigned error_code) {
  return error_code == ER_SPECIFIC_ACCESS_DENIED_ERROR ||
         error_code == ER_TABLEACCESS_DENIED_ERROR || error_code == ER_DBACCESS_DENIED_ERROR;
}

std::string UnknownForLackOfGrant(std::string_view state, const std::string& error,
                                  std::string_view grant) {
  return std::string(state) + " unknown: " + error + " (GRANT " + std::string(grant) +
         " TO the probe's user; docs/mysql.md \"Minimal grants\")";
}

Status EnsureAnswering(MysqlConnection& connection, const std::string& credentials_file,
                       Clock::time_point deadline) {
  if (!connection.connected() && !credentials_file.empty()) {
    ASSIGN_OR_RETURN(auto credentials, LoadMysqlCredentials(credentials_file, geteuid()));
    connection.SetCredentials(std::move(credentials));
  }
  const bool reused = connection.connected();
  auto alive = connection.Query("SELECT 1", deadline);
  if (!alive.ok() && reused && !connection.connected() && Clock::now() < deadline) {
    alive = connection.Query("SELECT 1", deadline);
  }
  return alive.status();
}

namespace {

class ConnectionSession : public MysqlSession {
 public:
  ConnectionSession(MysqlTarget target, std::string credentials_file, MysqlBackoff backoff)
      : credentials_file_(std::move(credentials_file)),
        connection_(std::move(target), std::nullopt, backoff) {}

  Status EnsureAnswering(Clock::time_point deadline) override {
    return probes::EnsureAnswering(connection_, credentials_file_, deadline);
  }
  Result<std::vector<MysqlRow>> Query(std::string_view sql, Clock::time_point deadline) override {
    return connection_.Query(sql, deadline);
  }
  unsigned last_error_code() const override { return connection_.last_error_code(); }
  std::string server_version() const override { return connection_.server_version(); }
  int connects() const override { return connection_.connects(); }

 private:
  const std::string credentials_file_;
  MysqlConnection connection_;
};

}  // namespace

std::unique_ptr<MysqlSession> MakeMysqlSession(MysqlTarget target, std::string credentials_file,
                                               MysqlBackoff backoff) {
  return std::make_unique<ConnectionSession>(std::move(target), std::move(credentials_file),
                                             backoff);
}

}  // namespace rsagent::probes
