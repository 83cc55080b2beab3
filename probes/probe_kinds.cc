#include "probes/probe_kinds.h"

#include <cstdio>
#include <cstdlib>

#include "conf/toml_reader.h"
#include "probes/exec_probe.h"
#include "probes/galera_probe.h"
#include "probes/group_replication_probe.h"
#include "probes/http_probe.h"
#include "probes/mysql_probe.h"
#include "probes/safe_probe.h"
#include "probes/tcp_probe.h"

namespace rsagent::probes {
namespace {

enum Roles : bool { kNoRoles = false, kRoles = true };
enum Pair : bool { kNoPair = false, kPair = true };
enum Listener : bool { kNoListener = false, kListener = true };

// The server of a spec that can be a [pair]'s local server.
template <typename Spec>
constexpr auto PairServerOf() -> conf::MysqlServer (*)(const conf::ProbeSpec&) {
  return [](const conf::ProbeSpec& spec) { return spec.As<Spec>()->Server(); };
}

// A row for the kind whose keys `Spec::Read` reads and whose probe is
// `ProbeClass(Spec)`; with kPair, `Spec::Server()` is the MySQL server it reads;
// with kListener, `Spec::Listeners()` are the local listeners it talks to.
template <typename Spec, typename ProbeClass, Roles kYieldsRoles, Pair kCanPair,
          Listener kWatches = kNoListener>
constexpr ProbeKind Kind(std::string_view type) {
  conf::MysqlServer (*pair_server)(const conf::ProbeSpec&) = nullptr;
  if constexpr (kCanPair) pair_server = PairServerOf<Spec>();
  std::vector<Endpoint> (*listeners)(const conf::ProbeSpec&) = nullptr;
  if constexpr (kWatches) {
    listeners = [](const conf::ProbeSpec& spec) { return spec.As<Spec>()->Listeners(); };
  }
  return ProbeKind{.config = {.type = type,
                              .yields_roles = kYieldsRoles,
                              .pair_server = pair_server,
                              .watches_listener = kWatches,
                              .read = [](conf::TableReader& table) -> conf::ProbeSpec {
                                return Spec::Read(table);
                              }},
                   .holds = [](const conf::ProbeSpec& spec) { return spec.As<Spec>() != nullptr; },
                   .listeners = listeners,
                   .make = [](const conf::ProbeSpec& spec) -> std::unique_ptr<Probe> {
                     return std::make_unique<ProbeClass>(*spec.As<Spec>());
                   }};
}

// The one table of probe kinds. Roles: the probe fills ProbeResult::roles
// with a verdict per conf::RoleName ("writer", "reader"). [pair]: the kind's
// server can be one master of a [pair] (galera cannot: its cluster has no
// single writer for two agents to arbitrate; nor group_replication, whose group
// elects its own primary). Listener: the probe's target is a local listener,
// watched for event-driven DOWN (default: none).
// clang-format off
constexpr ProbeKind kProbeKinds[] = {
    //   spec                       probe                  roles     [pair]   listener   type
    Kind<TcpProbeSpec,              TcpProbe,              kNoRoles, kNoPair, kListener>("tcp"),
    Kind<HttpProbeSpec,             HttpProbe,             kNoRoles, kNoPair, kListener>("http"),
    Kind<ExecProbeSpec,             ExecProbe,             kNoRoles, kNoPair>("exec"),
    Kind<MysqlProbeSpec,            MysqlProbe,            kRoles,   kPair>  ("mysql"),
    Kind<GaleraProbeSpec,           GaleraProbe,           kRoles,   kNoPair>("galera"),
    Kind<GroupReplicationProbeSpec, GroupReplicationProbe, kRoles,   kNoPair>("group_replication"),
};
// clang-format on

}  // namespace

std::span<const ProbeKind> ProbeKinds() { return kProbeKinds; }

std::vector<conf::ProbeKindReader> ProbeKindReaders() {
  std::vector<conf::ProbeKindReader> readers;
  for (const ProbeKind& kind : kProbeKinds) readers.push_back(kind.config);
  return readers;
}

const ProbeKind& KindOf(const conf::ProbeSpec& spec) {
  for (const ProbeKind& kind : kProbeKinds) {
    if (kind.holds(spec)) return kind;
  }
  std::fprintf(stderr, "rsagent: fatal: a probe spec of no kind in probes/probe_kinds.cc\n");
  std::abort();
}

std::unique_ptr<Probe> MakeProbe(const conf::ProbeConfig& config) {
  return std::make_unique<SafeProbe>(KindOf(config.spec).make(config.spec));
}

}  // namespace rsagent::probes
