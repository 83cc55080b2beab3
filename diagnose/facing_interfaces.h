// The interfaces DR traffic arrives on: [vip].arp_interfaces when set, else
// every link but loopback and the VIP device — the set the ARP and
// rp_filter checks judge, the same one netsetup enforces.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"
#include "netsetup/kernel_state.h"

namespace rsagent::agent::diagnose {

std::vector<std::string> FacingInterfaces(const conf::VipConfig& config,
                                          const netsetup::KernelState& state);

}  // namespace rsagent::agent::diagnose
