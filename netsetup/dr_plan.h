// The decisions behind DR readiness, as pure functions of the config and a
// kernel snapshot: what is valid, which interfaces face the directors, which
// VIPs are missing. DrKeeper does the I/O around them.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "conf/config.h"
#include "netsetup/kernel_state.h"

namespace rsagent::netsetup {

// A VIP must name one host: not unspecified, broadcast, multicast, loopback
// or (IPv6) link-local.
Status CheckHostAddress(const IpAddress& address);

// Everything that can be checked before changing anything: the device and
// every listed ARP interface exist, each VIP is a host address, and none is
// already an address of a real interface (not loopback, not `device`) — such
// a node would answer ARP for it and take it from the director.
Status ValidateVipConfig(const conf::VipConfig& config, const KernelState& state);

// Interfaces whose ARP settings are enforced besides "all": the configured
// list, or every non-loopback link except `device`.
std::vector<std::string> FacingInterfaces(const conf::VipConfig& config, const KernelState& state);

// The configured VIPs not bound on `device` (all of them if it is gone).
std::vector<IpAddress> MissingVips(const conf::VipConfig& config, const KernelState& state);

// Configured VIPs also bound on `device` with a prefix other than the host
// one (the classic /24 of an ifcfg-lo:0 NETMASK mistake): such a prefix
// routes the whole subnet into lo, so replies to the directors' subnet go
// nowhere. A node with one is not DR-ready even when the /32 is there too.
std::vector<BoundAddress> StaleVipPrefixes(const conf::VipConfig& config, const KernelState& state);

// "bound on lo as /24 as well: that prefix routes 10.0.0.0/24 into lo (...)"
std::string DescribeStalePrefix(const BoundAddress& stale, const std::string& device);

}  // namespace rsagent::netsetup
