#include "pair/mysql_query.h"

#include <unistd.h>

namespace rsagent::pair {

Result<std::vector<probes::MysqlRow>> QueryFresh(probes::MysqlConnection& connection,
                                                 const std::string& credentials_path,
                                                 const std::string& sql,
                                                 std::chrono::steady_clock::time_point deadline) {
  if (!connection.connected() && !credentials_path.empty()) {
    auto credentials = probes::LoadMysqlCredentials(credentials_path, geteuid());
    if (!credentials.ok()) return Error{credentials.error()};
    connection.SetCredentials(std::move(credentials).value());
  }
  const bool reused = connection.connected();
  auto rows = connection.Query(sql, deadline);
  if (!rows.ok() && reused && !connection.connected() &&
      std::chrono::steady_clock::now() < deadline) {
    rows = connection.Query(sql, deadline);
  }
  return rows;
}

}  // namespace rsagent::pair
