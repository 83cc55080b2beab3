// A result row as the probe sees it: column name -> value, NULL kept apart
// from "" and "0" (a NULL Seconds_Behind_Master means "unknown", never 0).
// Lookups take several spellings because servers renamed their columns
// (Slave_/Replica_, _Master/_Source) and we parse every version by name.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rsagent::probes {

using MysqlValue = std::optional<std::string>;  // nullopt = SQL NULL
using MysqlRow = std::map<std::string, MysqlValue, std::less<>>;

// The value under the first of `names` the row has; nullopt when none is
// present or the value is NULL. `present` (optional) tells the two apart.
MysqlValue FindColumn(const MysqlRow& row, std::initializer_list<std::string_view> names,
                      bool* present = nullptr);

// Two-column rows of SHOW VARIABLES / SHOW STATUS as a map with lower-case
// keys, so "Rpl_semi_sync_master_status" and "rpl_semi_sync_master_status"
// meet.
// NULL values are left out.
using NameValueMap = std::map<std::string, std::string, std::less<>>;
NameValueMap ToNameValueMap(const std::vector<MysqlRow>& rows);

}  // namespace rsagent::probes
