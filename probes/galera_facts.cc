#include "probes/galera_facts.h"

#include <charconv>

#include "probes/mysql_variables.h"

namespace rsagent::probes {

namespace {

std::string Get(const NameValueMap& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? "" : it->second;
}

std::optional<double> Number(const NameValueMap& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end() || it->second.empty()) return std::nullopt;
  double value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A whole number as the server prints it. Not through a double: "4.5" is no
// state (it was read as 4, Synced) and "1e300" overflowed the cast (UB).
std::optional<int> Integer(const NameValueMap& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  const std::string& text = it->second;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

void ParseGaleraFacts(const NameValueMap& status, const NameValueMap& variables,
                      GaleraFacts* facts) {
  facts->provider_loaded = status.contains("wsrep_ready");
  facts->wsrep_on = IsOn(Get(variables, "wsrep_on"));
  facts->ready = Get(status, "wsrep_ready");
  facts->connected = Get(status, "wsrep_connected");
  facts->cluster_status = Get(status, "wsrep_cluster_status");
  facts->local_state = Integer(status, "wsrep_local_state");
  facts->local_state_comment = Get(status, "wsrep_local_state_comment");
  facts->cluster_size = Integer(status, "wsrep_cluster_size");

  facts->desync = IsOn(Get(variables, "wsrep_desync"));
  if (std::string reject = Get(variables, "wsrep_reject_queries"); !reject.empty()) {
    facts->reject_queries = reject;
  }
  facts->donor_rejects_queries = IsOn(Get(variables, "wsrep_sst_donor_rejects_queries"));
  facts->pxc_maint_mode = Get(variables, "pxc_maint_mode");
  facts->read_only = IsReadOnly(Get(variables, "read_only"));
  if (variables.contains("super_read_only")) {
    facts->super_read_only = !IsOff(Get(variables, "super_read_only"));
  }

  facts->flow_control_paused = Number(status, "wsrep_flow_control_paused");
  facts->flow_control_paused_ns = Number(status, "wsrep_flow_control_paused_ns");
  facts->recv_queue = Number(status, "wsrep_local_recv_queue");
  facts->recv_queue_avg = Number(status, "wsrep_local_recv_queue_avg");
}

}  // namespace rsagent::probes
