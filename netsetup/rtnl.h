// A route-netlink connection (libnl-route-3) for reading links and addresses
// and for adding or deleting one address. Never runs `ip`.
#pragma once

#include <memory>

#include "common/ip_address.h"
#include "common/result.h"
#include "netsetup/address_message.h"
#include "netsetup/kernel_state.h"

struct nl_sock;

namespace rsagent::netsetup {

class Rtnl {
 public:
  // The kernel answers route-netlink requests at once; the receive timeout
  // only bounds a pathological stall.
  static Result<std::unique_ptr<Rtnl>> Open();
  ~Rtnl();
  Rtnl(const Rtnl&) = delete;
  Rtnl& operator=(const Rtnl&) = delete;

  Result<KernelState> Read();
  // Adds `address`/`prefix` on `ifindex`; IPv6 without duplicate address
  // detection, so it is usable at once. An address already there is success.
  Status AddAddress(int ifindex, const IpAddress& address, int prefix);
  // Deleting an address that is already gone is success.
  Status DeleteAddress(int ifindex, const IpAddress& address, int prefix);

 private:
  explicit Rtnl(nl_sock* sock) : sock_(sock) {}
  // Sends the request and waits for the kernel's acknowledgement.
  Status Change(AddressChange change, int ifindex, const IpAddress& address, int prefix);
  nl_sock* sock_;
};

}  // namespace rsagent::netsetup
