#include "diagnose/mysql_services.h"

namespace rsagent::agent::diagnose {

std::vector<MysqlService> MysqlServices(const conf::Config& config) {
  std::vector<MysqlService> out;
  for (const auto& service : config.services) {
    for (const auto& name : service.probes) {
      const conf::ProbeConfig* probe = config.FindProbe(name);
      if (!probe) continue;
      if (auto* spec = probe->spec.As<probes::MysqlProbeSpec>()) {
        out.push_back({&service, probe, spec});
      }
    }
  }
  return out;
}

}  // namespace rsagent::agent::diagnose
