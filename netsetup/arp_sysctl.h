// The IPv4 ARP sysctls that keep a real server from answering ARP for a VIP
// (arp_ignore, arp_announce), read and written per interface under
// /proc/sys/net/ipv4/conf. The root is a parameter so tests can use a copy.
#pragma once

#include <string>

#include "common/result.h"
#include "netsetup/dr_status.h"

namespace rsagent::netsetup {

inline constexpr const char* kIpv4ConfRoot = "/proc/sys/net/ipv4/conf";

struct ArpValues {
  int arp_ignore = 0;
  int arp_announce = 0;
  friend bool operator==(const ArpValues&, const ArpValues&) = default;
};

// What the kernel applies on an interface: the larger of conf/all and
// conf/IFACE, for each of the two settings (IN_DEV_MAXCONF).
ArpValues EffectiveArp(const ArpValues& all, const ArpValues& iface);

// The verdict for one interface against the wanted values.
ArpSetting JudgeArp(const std::string& interface, const ArpValues& effective,
                    const ArpValues& wanted);

class ArpSysctls {
 public:
  explicit ArpSysctls(std::string root = kIpv4ConfRoot) : root_(std::move(root)) {}

  // `interface` is a kernel name or "all".
  Result<ArpValues> Read(const std::string& interface) const;
  // Writes only the values that differ, so a second run changes nothing.
  Status Write(const std::string& interface, const ArpValues& wanted) const;

 private:
  Result<int> ReadOne(const std::string& interface, const char* key) const;
  Status WriteOne(const std::string& interface, const char* key, int value) const;

  std::string root_;
};

}  // namespace rsagent::netsetup
