#include "netsetup/kernel_state.h"

namespace rsagent::netsetup {

const Link* KernelState::FindLink(const std::string& name) const {
  for (const auto& link : links) {
    if (link.name == name) return &link;
  }
  return nullptr;
}

const Link* KernelState::FindLink(int index) const {
  for (const auto& link : links) {
    if (link.index == index) return &link;
  }
  return nullptr;
}

bool KernelState::HasAddress(int ifindex, const IpAddress& address, int prefix) const {
  for (const auto& bound : addresses) {
    if (bound.ifindex == ifindex && bound.address == address && bound.prefix == prefix) return true;
  }
  return false;
}

}  // namespace rsagent::netsetup
