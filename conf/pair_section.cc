// [pair]: the peer of this MySQL master-master node, and which service and
// probe the writer arbitration uses.
#include <algorithm>

#include "conf/config_sections.h"

namespace rsagent::conf {

namespace {

// The service must be a writer service; the probe one it lists, of a kind
// that can be a pair's server (ProbeKindReader::pair_server).
void CheckReferences(TableReader& table, const Config& config, const ServiceReferences& references,
                     PairConfig* pair) {
  const ServiceConfig* service = config.FindService(pair->service);
  const toml::node* service_node = table.Node("service");
  if (service == nullptr) {
    table.ErrorAt(service_node->source(), table.KeyPath("service"),
                  "no service named \"" + pair->service + "\" (define [service." + pair->service +
                      "] with role = \"writer\")");
    return;
  }
  if (service->role != Role::kWriter) {
    table.ErrorAt(service_node->source(), table.KeyPath("service"),
                  "service \"" + pair->service +
                      "\" is not a writer service (the pair decides who takes "
                      "writes: set "
                      "role = \"writer\" on it)");
    return;
  }
  if (!service->vip) {
    table.ErrorAt(service_node->source(), table.KeyPath("service"),
                  "service \"" + pair->service +
                      "\" has no vip (a switchover waits until no client is connected to "
                      "VIP:port: set vip on it)");
    return;
  }
  std::string kinds;  // "mysql": the kinds a pair's probe may be of, for messages
  for (const ProbeKindReader& kind : references.kinds) {
    if (kind.pair_server) kinds += (kinds.empty() ? "" : " or ") + std::string(kind.type);
  }
  std::vector<std::string> mysql_probes;
  for (const std::string& name : service->probes) {
    auto kind = references.probe_kinds.find(name);
    if (kind != references.probe_kinds.end() && kind->second != nullptr &&
        kind->second->pair_server) {
      mysql_probes.push_back(name);
    }
  }
  if (pair->probe.empty()) {
    if (mysql_probes.size() == 1) {
      pair->probe = mysql_probes[0];
    } else if (mysql_probes.empty()) {
      table.ErrorAt(table.Node("service")->source(), table.KeyPath("service"),
                    "service \"" + pair->service + "\" has no " + kinds +
                        " probe (the pair reads the local server through it)");
    } else {
      table.ErrorAtTable("service \"" + pair->service + "\" has several " + kinds +
                         " probes: name the local server's with `probe`");
    }
    return;
  }
  if (std::find(mysql_probes.begin(), mysql_probes.end(), pair->probe) == mysql_probes.end()) {
    table.ErrorAt(table.Node("probe")->source(), table.KeyPath("probe"),
                  "\"" + pair->probe + "\" is not a " + kinds + " probe of service \"" +
                      pair->service + "\"");
  }
}

}  // namespace

PairConfig ReadPairSection(TableReader& table, const Config& config,
                           const ServiceReferences& references) {
  PairConfig pair;
  const size_t before = table.error_count();
  const bool has_service = table.Require("service", "the name of the role = \"writer\" service");
  if (auto v = table.String("service")) pair.service = *v;
  if (auto v = table.String("probe")) pair.probe = *v;
  if (table.Require("peer_mysql", "the peer's MySQL as \"IP:PORT\"")) {
    if (auto v = table.Parsed<Endpoint>("peer_mysql", Endpoint::Parse)) pair.peer_mysql = *v;
  }
  if (table.Require("peer_agent", "the peer agent's listener as \"IP:PORT\"")) {
    if (auto v = table.Parsed<Endpoint>("peer_agent", Endpoint::Parse)) pair.peer_agent = *v;
  }
  if (auto v = table.Duration("interval", Millis(100), std::chrono::minutes(1))) pair.interval = *v;
  if (auto v = table.Duration("timeout", Millis(50), std::chrono::minutes(1))) pair.timeout = *v;
  if (auto v = table.Bool("fence")) pair.fence = *v;
  if (auto v = table.Duration("switchover_drain", Millis(0), std::chrono::minutes(5))) {
    pair.switchover_drain = *v;
  }
  if (auto v = table.Duration("switchover_timeout", Millis(1000), std::chrono::minutes(30))) {
    pair.switchover_timeout = *v;
  }
  if (pair.switchover_drain >= pair.switchover_timeout) {
    table.ErrorAt(
        table.Node(table.Has("switchover_drain") ? "switchover_drain" : "switchover_timeout")
            ->source(),
        table.KeyPath("switchover_drain"),
        "must be shorter than switchover_timeout (which bounds the "
        "wait for clients to leave)");
  }
  if (pair.timeout > pair.interval) {
    table.ErrorAt(table.Node(table.Has("timeout") ? "timeout" : "interval")->source(),
                  table.KeyPath("timeout"), "must not exceed interval (one round at a time)");
  }
  if (has_service && table.error_count() == before)
    CheckReferences(table, config, references, &pair);
  table.ReportUnknownKeys();
  return pair;
}

}  // namespace rsagent::conf
