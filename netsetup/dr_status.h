// What the agent needs to know about the node's DR readiness, as a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/ip_address.h"

namespace rsagent::netsetup {

// ARP values the kernel really uses for one interface: max(conf/all, conf/IFACE).
struct ArpSetting {
  std::string interface;
  int arp_ignore = 0;
  int arp_announce = 0;
  bool effective = false;  // both at least the configured values
  friend bool operator==(const ArpSetting&, const ArpSetting&) = default;
};

struct VipStatus {
  IpAddress address;
  bool present = false;   // bound on the configured device with a host prefix
  uint64_t heals = 0;     // times rsagent re-bound it after something removed it
  std::string error;      // why it is missing / could not be bound; empty when fine
  friend bool operator==(const VipStatus&, const VipStatus&) = default;
};

struct DrStatus {
  bool managed = false;            // [vip].manage
  std::vector<VipStatus> vips;
  std::vector<ArpSetting> arp;     // "all" first, then each facing interface
  bool arp_ok = false;             // every entry effective
  std::string arp_error;           // first problem, one line; empty when arp_ok
  friend bool operator==(const DrStatus&, const DrStatus&) = default;

  // Every VIP bound and ARP suppression effective: the node may take traffic.
  bool Ready() const {
    for (const auto& v : vips) {
      if (!v.present) return false;
    }
    return arp_ok;
  }

  const VipStatus* Find(const IpAddress& address) const {
    for (const auto& v : vips) {
      if (v.address == address) return &v;
    }
    return nullptr;
  }
};

}  // namespace rsagent::netsetup
