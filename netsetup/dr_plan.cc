#include "netsetup/dr_plan.h"

#include <algorithm>

namespace rsagent::netsetup {
namespace {

bool InCidr(const IpAddress& address, const char* cidr) {
  return Cidr::Parse(cidr)->Contains(address);
}

}  // namespace

Status CheckHostAddress(const IpAddress& address) {
  struct Forbidden {
    const char* cidr;
    const char* what;
  };
  static constexpr Forbidden kForbidden[] = {
      {"0.0.0.0/32", "the unspecified address"}, {"255.255.255.255/32", "the broadcast address"},
      {"224.0.0.0/4", "a multicast address"},    {"127.0.0.0/8", "a loopback address"},
      {"::/128", "the unspecified address"},     {"::1/128", "the loopback address"},
      {"ff00::/8", "a multicast address"},       {"fe80::/10", "a link-local address"},
  };
  for (const auto& f : kForbidden) {
    if (InCidr(address, f.cidr)) {
      return Error{"VIP " + address.ToString() + " is " + f.what + ", not a host address"};
    }
  }
  return Status::Ok();
}

Status ValidateVipConfig(const conf::VipConfig& config, const KernelState& state) {
  const Link* device = state.FindLink(config.device);
  if (device == nullptr) return Error{"[vip].device \"" + config.device + "\" does not exist"};
  for (const auto& name : config.arp_interfaces) {
    if (state.FindLink(name) == nullptr) {
      return Error{"[vip].arp_interfaces: interface \"" + name + "\" does not exist"};
    }
  }
  for (const auto& vip : config.addresses) {
    if (auto s = CheckHostAddress(vip); !s) return s;
    for (const auto& bound : state.addresses) {
      if (bound.address != vip || bound.ifindex == device->index) continue;
      const Link* link = state.FindLink(bound.ifindex);
      if (link == nullptr || link->loopback) continue;
      return Error{"VIP " + vip.ToString() + " is already an address of " + link->name +
                   ": this node would answer ARP for it and take it from the director"};
    }
  }
  return Status::Ok();
}

std::vector<std::string> FacingInterfaces(const conf::VipConfig& config, const KernelState& state) {
  if (!config.arp_interfaces.empty()) return config.arp_interfaces;
  std::vector<std::string> names;
  for (const auto& link : state.links) {
    if (!link.loopback && link.name != config.device) names.push_back(link.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<IpAddress> MissingVips(const conf::VipConfig& config, const KernelState& state) {
  const Link* device = state.FindLink(config.device);
  std::vector<IpAddress> missing;
  for (const auto& vip : config.addresses) {
    if (device == nullptr || !state.HasAddress(device->index, vip, vip.max_prefix())) {
      missing.push_back(vip);
    }
  }
  return missing;
}

std::vector<BoundAddress> StaleVipPrefixes(const conf::VipConfig& config,
                                           const KernelState& state) {
  const Link* device = state.FindLink(config.device);
  std::vector<BoundAddress> stale;
  if (device == nullptr) return stale;
  for (const auto& bound : state.addresses) {
    if (bound.ifindex != device->index || bound.prefix == bound.address.max_prefix()) continue;
    if (std::find(config.addresses.begin(), config.addresses.end(), bound.address) !=
        config.addresses.end()) {
      stale.push_back(bound);
    }
  }
  return stale;
}

std::string DescribeStalePrefix(const BoundAddress& stale, const std::string& device) {
  const std::string have = stale.address.ToString() + "/" + std::to_string(stale.prefix);
  return "bound on " + device + " as /" + std::to_string(stale.prefix) +
         " as well: that prefix routes its whole subnet into " + device +
         ", so replies to the directors' subnet go nowhere (`rsagent vip up` replaces it; by "
         "hand: ip addr del " +
         have + " dev " + device + ")";
}

}  // namespace rsagent::netsetup
