#include "probes/mysql_row.h"

#include <algorithm>
#include <cctype>

namespace rsagent::probes {

MysqlValue FindColumn(const MysqlRow& row, std::initializer_list<std::string_view> names,
                      bool* present) {
  for (std::string_view name : names) {
    auto it = row.find(name);
    if (it == row.end()) continue;
    if (present != nullptr) *present = true;
    return it->second;
  }
  if (present != nullptr) *present = false;
  return std::nullopt;
}

NameValueMap ToNameValueMap(const std::vector<MysqlRow>& rows) {
  NameValueMap map;
  for (const MysqlRow& row : rows) {
    MysqlValue name = FindColumn(row, {"Variable_name"});
    MysqlValue value = FindColumn(row, {"Value"});
    if (!name || !value) continue;
    std::string key = *name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    map[key] = *value;
  }
  return map;
}

}  // namespace rsagent::probes
