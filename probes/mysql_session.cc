#include "probes/mysql_session.h"

#include <unistd.h>

namespace rsagent::probes {

Status EnsureAnswering(MysqlConnection& connection, const std::string& credentials_file,
                       MysqlConnection::Clock::time_point deadline) {
  if (!connection.connected() && !credentials_file.empty()) {
    auto credentials = LoadMysqlCredentials(credentials_file, geteuid());
    if (!credentials.ok()) return Error{credentials.error()};
    connection.SetCredentials(std::move(credentials).value());
  }
  const bool reused = connection.connected();
  auto alive = connection.Query("SELECT 1", deadline);
  if (!alive.ok() && reused && !connection.connected() &&
      MysqlConnection::Clock::now() < deadline) {
    alive = connection.Query("SELECT 1", deadline);
  }
  if (!alive.ok()) return Error{alive.error()};
  return Status::Ok();
}

}  // namespace rsagent::probes
