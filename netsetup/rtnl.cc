#include "netsetup/rtnl.h"

#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cstring>
#include <string>

namespace rsagent::netsetup {
namespace {

constexpr timeval kReceiveTimeout{2, 0};

Error NlError(const std::string& what, int code) { return Error{what + ": " + nl_geterror(code)}; }

struct CacheDeleter {
  void operator()(nl_cache* cache) const { nl_cache_free(cache); }
};
using CachePtr = std::unique_ptr<nl_cache, CacheDeleter>;

// A dump racing with changes (an `ip addr flush` in progress) is reported as
// interrupted; a fresh one a moment later is consistent.
template <typename Alloc>
int DumpRetrying(Alloc alloc, nl_cache** cache) {
  constexpr int kAttempts = 3;
  int rc = 0;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    rc = alloc(cache);
    if (rc != -NLE_DUMP_INTR) break;
  }
  return rc;
}

}  // namespace

Result<std::unique_ptr<Rtnl>> Rtnl::Open() {
  nl_sock* sock = nl_socket_alloc();
  if (sock == nullptr) return Error{"cannot allocate a netlink socket"};
  std::unique_ptr<Rtnl> rtnl(new Rtnl(sock));
  if (int rc = nl_connect(sock, NETLINK_ROUTE); rc < 0) return NlError("netlink connect", rc);
  if (setsockopt(nl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &kReceiveTimeout,
                 sizeof kReceiveTimeout) != 0) {
    return Error{std::string("netlink receive timeout: ") + std::strerror(errno)};
  }
  return rtnl;
}

Rtnl::~Rtnl() { nl_socket_free(sock_); }

Result<KernelState> Rtnl::Read() {
  KernelState state;
  nl_cache* raw = nullptr;
  auto dump_links = [&](nl_cache** c) { return rtnl_link_alloc_cache(sock_, AF_UNSPEC, c); };
  if (int rc = DumpRetrying(dump_links, &raw); rc < 0) return NlError("reading links", rc);
  CachePtr links(raw);
  for (nl_object* obj = nl_cache_get_first(links.get()); obj; obj = nl_cache_get_next(obj)) {
    auto* link = reinterpret_cast<rtnl_link*>(obj);
    state.links.push_back(Link{rtnl_link_get_ifindex(link), rtnl_link_get_name(link),
                               (rtnl_link_get_flags(link) & IFF_LOOPBACK) != 0});
  }
  auto dump_addresses = [&](nl_cache** c) { return rtnl_addr_alloc_cache(sock_, c); };
  if (int rc = DumpRetrying(dump_addresses, &raw); rc < 0) return NlError("reading addresses", rc);
  CachePtr addresses(raw);
  for (nl_object* obj = nl_cache_get_first(addresses.get()); obj; obj = nl_cache_get_next(obj)) {
    if (auto bound = ReadBoundAddress(reinterpret_cast<rtnl_addr*>(obj))) {
      state.addresses.push_back(*bound);
    }
  }
  return state;
}

Status Rtnl::Change(AddressChange change, int ifindex, const IpAddress& address, int prefix) {
  ASSIGN_OR_RETURN(auto msg, BuildAddressRequest(change, ifindex, address, prefix));
  int rc = nl_send_auto(sock_, msg.get());
  if (rc >= 0) rc = nl_wait_for_ack(sock_);
  return AddressChangeOutcome(change, address, rc);
}

Status Rtnl::AddAddress(int ifindex, const IpAddress& address, int prefix) {
  return Change(AddressChange::kAdd, ifindex, address, prefix);
}

Status Rtnl::DeleteAddress(int ifindex, const IpAddress& address, int prefix) {
  return Change(AddressChange::kDelete, ifindex, address, prefix);
}

}  // namespace rsagent::netsetup
