// [service.NAME]: what the directors balance, and the probes that decide it.
#include <algorithm>

#include "conf/config_sections.h"

namespace rsagent::conf {
namespace {

Result<IpAddress> ParseAddress(std::string_view text) { return IpAddress::Parse(text); }

void ReadProbeNames(TableReader& table, const ServiceReferences& references,
                    ServiceConfig* service) {
  if (!table.Require("probes", "a non-empty list of [probe.NAME] names")) return;
  const std::optional<std::vector<LocatedString>> names = table.StringList("probes");
  if (!names) return;
  if (names->empty()) {
    table.ErrorAt(table.Node("probes")->source(), table.KeyPath("probes"),
                  "must name at least one probe");
  }
  for (size_t i = 0; i < names->size(); ++i) {
    const LocatedString& name = (*names)[i];
    auto first = std::find_if(names->begin(), names->begin() + static_cast<ptrdiff_t>(i),
                              [&](const LocatedString& other) { return other.text == name.text; });
    if (first != names->begin() + static_cast<ptrdiff_t>(i)) {
      table.ErrorAt(name.where, name.path, "duplicate of " + first->path);
    } else if (!references.probe_kinds.contains(name.text)) {
      table.ErrorAt(name.where, name.path,
                    "no probe named \"" + name.text + "\" (define [probe." + name.text + "])");
    }
    service->probes.push_back(name.text);
  }
}

void ReadRole(TableReader& table, const ServiceReferences& references, ServiceConfig* service) {
  const std::optional<std::string> role = table.String("role");
  if (!role) return;
  const toml::source_region where = table.Node("role")->source();
  if (*role == "writer") {
    service->role = Role::kWriter;
  } else if (*role == "reader") {
    service->role = Role::kReader;
  } else {
    table.ErrorAt(where, table.KeyPath("role"),
                  "\"" + *role + "\" is not a role (\"writer\" or \"reader\")");
    return;
  }
  bool type_unknown = false;
  for (const std::string& probe : service->probes) {
    auto it = references.probe_kinds.find(probe);
    if (it == references.probe_kinds.end() || it->second == nullptr) type_unknown = true;
    if (it != references.probe_kinds.end() && it->second != nullptr && it->second->yields_roles) {
      return;
    }
  }
  // A probe already reported as broken might have been one with roles.
  if (type_unknown) return;
  std::vector<std::string_view> with_roles;
  for (const ProbeKindReader& kind : references.kinds) {
    if (kind.yields_roles) with_roles.push_back(kind.type);
  }
  std::string kinds_with_roles;  // "mysql, galera or group_replication"
  for (size_t i = 0; i < with_roles.size(); ++i) {
    if (i > 0) kinds_with_roles += i + 1 == with_roles.size() ? " or " : ", ";
    kinds_with_roles += with_roles[i];
  }
  table.ErrorAt(where, table.KeyPath("role"),
                "role \"" + *role + "\" needs a " + kinds_with_roles +
                    " probe among `probes`; the role picks which of its checks decide the "
                    "service");
}

void ReadWeight(TableReader& table, WeightConfig* weight) {
  if (auto v = table.Integer("weight", 1, 253)) weight->full = static_cast<int>(*v);
  if (auto v = table.Duration("slow_start", Millis(0), Millis(3600 * 1000)))
    weight->slow_start = *v;
  if (auto v = table.Integer("weight_min", 1, 100)) weight->min_percent = static_cast<int>(*v);
  if (auto by = table.String("weight_by")) {
    if (*by == "connections") {
      weight->by = WeightBy::kConnections;
    } else if (*by == "cpu") {
      weight->by = WeightBy::kCpu;
    } else {
      table.ErrorAt(table.Node("weight_by")->source(), table.KeyPath("weight_by"),
                    "\"" + *by + "\" is not a load source (\"connections\" or \"cpu\")");
      return;
    }
  }
  if (weight->by == WeightBy::kNone) {
    if (table.Has("busy_at")) {
      table.ErrorAt(table.Node("busy_at")->source(), table.KeyPath("busy_at"),
                    "needs weight_by = \"connections\" or \"cpu\"");
    }
    return;
  }
  if (!table.Require("busy_at", weight->by == WeightBy::kCpu
                                    ? "the CPU pressure (PSI some avg10, 1..100 %) at weight_min"
                                    : "the connection count at weight_min")) {
    return;
  }
  const int64_t max = weight->by == WeightBy::kCpu ? 100 : 10000000;
  if (auto v = table.Integer("busy_at", 1, max)) weight->busy_at = static_cast<int>(*v);
}

}  // namespace

ServiceConfig ReadServiceSection(TableReader& table, const ServiceReferences& references) {
  ServiceConfig service;
  service.name = table.name();
  ReadProbeNames(table, references, &service);
  if (table.Require("port", "the service port the directors balance, 1..65535")) {
    if (auto v = table.Integer("port", 1, 65535)) service.port = static_cast<uint16_t>(*v);
  }
  if (auto v = table.Parsed<IpAddress>("vip", ParseAddress)) {
    service.vip = *v;
    if (references.vips != nullptr &&
        std::find(references.vips->begin(), references.vips->end(), *v) == references.vips->end()) {
      table.ErrorAt(table.Node("vip")->source(), table.KeyPath("vip"),
                    v->ToString() + " is not listed in vip.addresses");
    }
  }
  ReadRole(table, references, &service);
  ReadWeight(table, &service.weight);
  if (auto v = table.Integer("max_down", 1, kMaxPeers)) service.max_down = static_cast<int>(*v);
  table.ReportUnknownKeys();
  return service;
}

void CheckMaxDown(TableReader& table, const ServiceConfig& service, size_t peers) {
  if (!service.max_down) return;
  const toml::source_region where = table.Node("max_down")->source();
  if (peers == 0) {
    table.ErrorAt(where, table.KeyPath("max_down"),
                  "needs [peer.NAME] tables: the group is this node and its peers");
  } else if (static_cast<size_t>(*service.max_down) > peers) {
    table.ErrorAt(where, table.KeyPath("max_down"),
                  "must be less than the group's size (this node and " + std::to_string(peers) +
                      (peers == 1 ? " peer" : " peers") + "), or nothing is ever held UP");
  }
}

}  // namespace rsagent::conf
