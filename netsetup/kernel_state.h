// Plain snapshots of the kernel's links and addresses, as rsagent needs them.
// Kept free of libnl types so validation and inspection are pure functions.
#pragma once

#include <string>
#include <vector>

#include "common/ip_address.h"

namespace rsagent::netsetup {

struct Link {
  int index = 0;
  std::string name;
  bool loopback = false;
};

struct BoundAddress {
  int ifindex = 0;
  IpAddress address;
  int prefix = 0;
  bool secondary = false;
};

struct KernelState {
  std::vector<Link> links;
  std::vector<BoundAddress> addresses;

  const Link* FindLink(const std::string& name) const;
  const Link* FindLink(int index) const;
  bool HasAddress(int ifindex, const IpAddress& address, int prefix) const;
};

}  // namespace rsagent::netsetup
