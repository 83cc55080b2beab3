// One statement on a persistent connection, the way the pair's readers run
// them: credentials (re)read before a new connection, and when a reused
// connection turns out dead (the server restarted), one fresh connect in
// the same round instead of reporting the old connection's death.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "probes/mysql_connection.h"

namespace rsagent::pair {

// Its error and every value come out as SafeText (common/safe_text.h);
// values keep up to kMaxSafeValueBytes (a GTID list of many domains is long).
Result<std::vector<probes::MysqlRow>> QueryFresh(probes::MysqlConnection& connection,
                                                 const std::string& credentials_path,
                                                 const std::string& sql, SteadyTime deadline);

inline constexpr size_t kMaxSafeValueBytes = 64 * 1024;
void MakeRowsSafe(std::vector<probes::MysqlRow>* rows);

}  // namespace rsagent::pair
