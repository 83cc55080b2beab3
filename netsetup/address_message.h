// The route-netlink messages for one address, apart from the socket that
// carries them (netsetup/rtnl.h), so what is sent and what is read back is
// tested without a kernel: the request to add or delete an address, the
// meaning of the kernel's answer, and one address of a dump.
#pragma once

#include <memory>
#include <optional>

#include "common/ip_address.h"
#include "common/result.h"
#include "netsetup/kernel_state.h"

struct nl_msg;
struct rtnl_addr;

namespace rsagent::netsetup {

enum class AddressChange { kAdd, kDelete };

struct NlMsgDeleter {
  void operator()(nl_msg* msg) const;
};
using NlMsgPtr = std::unique_ptr<nl_msg, NlMsgDeleter>;

// RTM_NEWADDR (create) or RTM_DELADDR for `address`/`prefix` on `ifindex`.
// An IPv6 address is added without duplicate address detection (nodad), so
// it is usable at once.
Result<NlMsgPtr> BuildAddressRequest(AddressChange change, int ifindex, const IpAddress& address,
                                     int prefix);

// The kernel's answer `rc` (a libnl error code, 0 = acknowledged): adding an
// address already there and deleting one already gone are successes.
Status AddressChangeOutcome(AddressChange change, const IpAddress& address, int rc);

// One address of an address dump; nullopt for one rsagent does not track
// (no local address, neither IPv4 nor IPv6).
std::optional<BoundAddress> ReadBoundAddress(rtnl_addr* addr);

}  // namespace rsagent::netsetup
