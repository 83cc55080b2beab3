#include "pair/mysql_query.h"

#include <unistd.h>

#include "common/clock.h"
#include "common/safe_text.h"

namespace rsagent::pair {

void MakeRowsSafe(std::vector<probes::MysqlRow>* rows) {
  for (probes::MysqlRow& row : *rows) {
    for (auto& [column, value] : row) {
      if (value) *value = SafeText(*value, kMaxSafeValueBytes);
    }
  }
}

Result<std::vector<probes::MysqlRow>> QueryFresh(probes::MysqlConnection& connection,
                                                 const std::string& credentials_path,
                                                 const std::string& sql, SteadyTime deadline) {
  if (!connection.connected() && !credentials_path.empty()) {
    ASSIGN_OR_RETURN(auto credentials, probes::LoadMysqlCredentials(credentials_path, geteuid()));
    connection.SetCredentials(std::move(credentials));
  }
  const bool reused = connection.connected();
  auto rows = connection.Query(sql, deadline);
  if (!rows.ok() && reused && !connection.connected() && Clock::now() < deadline) {
    rows = connection.Query(sql, deadline);
  }
  // A server's text is outside text (an error or Last_SQL_Error may quote a
  // user's name or statement): made safe here, where it enters the pair.
  if (!rows.ok()) return Error{SafeText(rows.error())};
  std::vector<probes::MysqlRow> safe = std::move(rows).value();
  MakeRowsSafe(&safe);
  return safe;
}

}  // namespace rsagent::pair
