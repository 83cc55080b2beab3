// The first step of every database probe run: a connection that answers.
// Shared by the mysql and galera kinds so both heal the same way.
#pragma once

#include <optional>
#include <string>

#include "common/ip_address.h"
#include "common/result.h"
#include "probes/mysql_connection.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

// Reads `socket` / `address` (exactly one) and `credentials`, the keys every
// database probe kind has, reporting problems into `table`.
void ReadMysqlTarget(conf::TableReader& table, std::string* socket,
                     std::optional<Endpoint>* address, std::string* credentials);

// Runs SELECT 1 on `connection`, connecting first when needed. Before a new
// connect the credentials file (when one is configured) is re-read, so fixing
// its mode heals the probe without a restart. When a kept connection turns
// out dead (the server restarted), this run's one connect attempt goes to a
// fresh connection instead of reporting the old one.
Status EnsureAnswering(MysqlConnection& connection, const std::string& credentials_file,
                       MysqlConnection::Clock::time_point deadline);

}  // namespace rsagent::probes
