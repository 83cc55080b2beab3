#include "probes/mysql_semi_sync.h"

#include <charconv>
#include <cstdint>
#include <cstdio>

#include "probes/mysql_variables.h"

namespace rsagent::probes {

namespace {

// The value under the old or the new name (lower case).
const std::string* Find(const NameValueMap& map, std::string_view old_name,
                        std::string_view new_name) {
  for (std::string_view name : {old_name, new_name}) {
    auto it = map.find(name);
    if (it != map.end()) return &it->second;
  }
  return nullptr;
}

std::optional<bool> Flag(const NameValueMap& map, std::string_view old_name,
                         std::string_view new_name) {
  const std::string* value = Find(map, old_name, new_name);
  if (value == nullptr) return std::nullopt;
  return IsOn(*value);  // the spelling every other boolean setting gets
}

// Counters and client counts are non-negative integers on every server;
// anything else ("1e23", "-1", "nan") is unknown, not a number to export.
std::optional<double> Number(const NameValueMap& map, std::string_view old_name,
                             std::string_view new_name) {
  const std::string* value = Find(map, old_name, new_name);
  if (value == nullptr) return std::nullopt;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size()) return std::nullopt;
  return static_cast<double>(n);
}

// Whole numbers as the server printed them (up to 2^53 exactly), "?" unknown.
std::string Count(std::optional<double> n) {
  if (!n) return "?";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", *n);
  return text;
}

}  // namespace

SemiSyncState ParseSemiSync(const NameValueMap& variables, const NameValueMap& status) {
  SemiSyncState s;
  s.source_enabled =
      Flag(variables, "rpl_semi_sync_master_enabled", "rpl_semi_sync_source_enabled");
  s.replica_enabled =
      Flag(variables, "rpl_semi_sync_slave_enabled", "rpl_semi_sync_replica_enabled");
  s.source_active = Flag(status, "rpl_semi_sync_master_status", "rpl_semi_sync_source_status");
  s.replica_active = Flag(status, "rpl_semi_sync_slave_status", "rpl_semi_sync_replica_status");
  s.clients = Number(status, "rpl_semi_sync_master_clients", "rpl_semi_sync_source_clients");
  s.yes_tx = Number(status, "rpl_semi_sync_master_yes_tx", "rpl_semi_sync_source_yes_tx");
  s.no_tx = Number(status, "rpl_semi_sync_master_no_tx", "rpl_semi_sync_source_no_tx");
  return s;
}

std::string SemiSyncState::Describe() const {
  if (!source_enabled.value_or(false)) return "source side disabled";
  if (FellBackToAsync()) return "fell back to async (" + Count(no_tx) + " commits without ack)";
  return "on (" + Count(clients) + " semi-sync replicas)";
}

}  // namespace rsagent::probes
