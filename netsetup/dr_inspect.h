// Builds a DrStatus from a kernel snapshot and the ARP sysctls: what the
// kernel really does, not what was written. Shared by DrKeeper and the
// unprivileged `vip status`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "conf/config.h"
#include "netsetup/arp_sysctl.h"
#include "netsetup/dr_status.h"
#include "netsetup/kernel_state.h"

namespace rsagent::netsetup {

// Fills status->arp ("all" first, then each facing interface, with the
// effective values), status->arp_ok and status->arp_error.
void InspectArp(const conf::VipConfig& config, const KernelState& state, const ArpSysctls& sysctls,
                DrStatus* status);

// The whole status. `heals` and `bind_errors` are per config.addresses (may
// be empty); a bind error explains a missing VIP. When `state` is an error,
// every VIP is reported missing with it.
DrStatus ComposeStatus(const conf::VipConfig& config, const Result<KernelState>& state,
                       const ArpSysctls& sysctls, const std::vector<uint64_t>& heals,
                       const std::vector<std::string>& bind_errors);

}  // namespace rsagent::netsetup
