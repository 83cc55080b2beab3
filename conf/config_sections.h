// One reader per kind of table. Each fills its part of the Config from a
// TableReader and reports every problem into the reader's ErrorList; the
// loader returns a Config only when none was reported.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conf/config.h"
#include "conf/probe_kind_reader.h"
#include "conf/toml_reader.h"
#include "conf/value_checks.h"

namespace rsagent::conf {

void ReadAgentSection(TableReader& table, AgentConfig* agent);
void ReadVipSection(TableReader& table, VipConfig* vip);

// nullopt when the probe's type is missing or unknown: then the rest of its
// keys cannot be checked, and services using it are not blamed again.
// `*kind` is set to the kind read.
std::optional<ProbeConfig> ReadProbeSection(TableReader& table, ProbeKindReaders kinds,
                                            const ProbeKindReader** kind);

// What a service may refer to.
struct ServiceReferences {
  ProbeKindReaders kinds;
  // Every [probe.NAME] and its kind; null when its type is missing or unknown.
  std::map<std::string, const ProbeKindReader*> probe_kinds;
  const std::vector<IpAddress>* vips = nullptr;  // null when [vip] had errors
};
// [peer.NAME] tables at most (SC_MAX_PEERS of netsetup/second_chance_maps.h).
inline constexpr size_t kMaxPeers = 8;

ServiceConfig ReadServiceSection(TableReader& table, const ServiceReferences& references);
// After the peers are read: max_down must leave someone to hold UP.
void CheckMaxDown(TableReader& table, const ServiceConfig& service, size_t peers);

// After the services: [pair] names one of them and its mysql probe (a probe
// whose kind has a pair_server).
PairConfig ReadPairSection(TableReader& table, const Config& config,
                           const ServiceReferences& references);

// [peer.NAME]; then [second_chance], which needs the services and peers.
PeerConfig ReadPeerSection(TableReader& table);
SecondChanceConfig ReadSecondChanceSection(TableReader& table, const Config& config);

}  // namespace rsagent::conf
