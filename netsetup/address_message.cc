#include "netsetup/address_message.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <sys/socket.h>

#include <string>

namespace rsagent::netsetup {
namespace {

struct AddrDeleter {
  void operator()(rtnl_addr* addr) const { rtnl_addr_put(addr); }
};
using AddrPtr = std::unique_ptr<rtnl_addr, AddrDeleter>;

struct NlAddrDeleter {
  void operator()(nl_addr* addr) const { nl_addr_put(addr); }
};
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrDeleter>;

Error NlError(const std::string& what, int code) { return Error{what + ": " + nl_geterror(code)}; }

}  // namespace

void NlMsgDeleter::operator()(nl_msg* msg) const { nlmsg_free(msg); }

Result<NlMsgPtr> BuildAddressRequest(AddressChange change, int ifindex, const IpAddress& address,
                                     int prefix) {
  NlAddrPtr local(nl_addr_build(address.family(), address.bytes(), address.size()));
  AddrPtr addr(rtnl_addr_alloc());
  if (!local || !addr) return Error{"out of memory building a netlink address"};
  nl_addr_set_prefixlen(local.get(), prefix);
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_family(addr.get(), address.family());
  if (int rc = rtnl_addr_set_local(addr.get(), local.get()); rc < 0) {
    return NlError("setting address " + address.ToString(), rc);
  }
  rtnl_addr_set_prefixlen(addr.get(), prefix);
  nl_msg* msg = nullptr;
  int rc = 0;
  if (change == AddressChange::kAdd) {
    if (!address.is_v4()) rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
    rc = rtnl_addr_build_add_request(addr.get(), 0, &msg);
  } else {
    rc = rtnl_addr_build_delete_request(addr.get(), 0, &msg);
  }
  if (rc < 0) return NlError("building the request for " + address.ToString(), rc);
  return NlMsgPtr(msg);
}

Status AddressChangeOutcome(AddressChange change, const IpAddress& address, int rc) {
  if (rc >= 0) return Status::Ok();
  if (change == AddressChange::kAdd) {
    if (rc == -NLE_EXIST) return Status::Ok();
    return NlError("adding " + address.ToString(), rc);
  }
  if (rc == -NLE_NOADDR || rc == -NLE_OBJ_NOTFOUND) return Status::Ok();
  return NlError("deleting " + address.ToString(), rc);
}

std::optional<BoundAddress> ReadBoundAddress(rtnl_addr* addr) {
  nl_addr* local = rtnl_addr_get_local(addr);
  if (local == nullptr) return std::nullopt;
  const int family = nl_addr_get_family(local);
  if (family != AF_INET && family != AF_INET6) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(family, nl_addr_get_binary_addr(local), text, sizeof text) == nullptr) {
    return std::nullopt;
  }
  auto ip = IpAddress::Parse(text);
  if (!ip) return std::nullopt;
  return BoundAddress{rtnl_addr_get_ifindex(addr), *ip, rtnl_addr_get_prefixlen(addr),
                      (rtnl_addr_get_flags(addr) & IFA_F_SECONDARY) != 0};
}

}  // namespace rsagent::netsetup
