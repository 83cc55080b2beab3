#include "diagnose/facing_interfaces.h"

namespace rsagent::agent::diagnose {

std::vector<std::string> FacingInterfaces(const conf::VipConfig& config,
                                          const netsetup::KernelState& state) {
  if (!config.arp_interfaces.empty()) return config.arp_interfaces;
  std::vector<std::string> out;
  for (const auto& link : state.links) {
    if (!link.loopback && link.name != config.device) out.push_back(link.name);
  }
  return out;
}

}  // namespace rsagent::agent::diagnose
