// One reader per kind of table. Each fills its part of the Config from a
// TableReader and reports every problem into the reader's ErrorList; the
// loader returns a Config only when none was reported.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conf/config.h"
#include "conf/toml_reader.h"

namespace rsagent::conf {

void ReadAgentSection(TableReader& table, AgentConfig* agent);
void ReadVipSection(TableReader& table, VipConfig* vip);

// nullopt when the probe's type is missing or unknown: then the rest of its
// keys cannot be checked, and services using it are not blamed again.
std::optional<ProbeConfig> ReadProbeSection(TableReader& table);

// What a service may refer to.
struct ServiceReferences {
  std::map<std::string, std::string> probe_types;  // every [probe.NAME]; "" = type unknown
  const std::vector<IpAddress>* vips = nullptr;    // null when [vip] had errors
};
ServiceConfig ReadServiceSection(TableReader& table, const ServiceReferences& references);

// After the services: [pair] names one of them and its mysql probe.
PairConfig ReadPairSection(TableReader& table, const Config& config);

// Value checks shared by several tables.
// Paths are used by a daemon whose working directory is "/".
Result<std::string> ParseAbsolutePath(std::string_view text);
// A Linux interface name: 1..15 bytes (IFNAMSIZ), no '/', ':' or whitespace.
Status CheckInterfaceName(std::string_view name);

}  // namespace rsagent::conf
