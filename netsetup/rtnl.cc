#include "netsetup/rtnl.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/addr.h>
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

struct AddrDeleter {
  void operator()(rtnl_addr* addr) const { rtnl_addr_put(addr); }
};
using AddrPtr = std::unique_ptr<rtnl_addr, AddrDeleter>;

struct NlAddrDeleter {
  void operator()(nl_addr* addr) const { nl_addr_put(addr); }
};
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrDeleter>;

Result<AddrPtr> MakeAddr(int ifindex, const IpAddress& address, int prefix) {
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
  return addr;
}

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
    auto* addr = reinterpret_cast<rtnl_addr*>(obj);
    nl_addr* local = rtnl_addr_get_local(addr);
    if (local == nullptr) continue;
    const int family = nl_addr_get_family(local);
    if (family != AF_INET && family != AF_INET6) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(family, nl_addr_get_binary_addr(local), text, sizeof text) == nullptr) continue;
    auto ip = IpAddress::Parse(text);
    if (!ip) continue;
    state.addresses.push_back(BoundAddress{rtnl_addr_get_ifindex(addr), *ip,
                                           rtnl_addr_get_prefixlen(addr),
                                           (rtnl_addr_get_flags(addr) & IFA_F_SECONDARY) != 0});
  }
  return state;
}

Status Rtnl::AddAddress(int ifindex, const IpAddress& address, int prefix) {
  ASSIGN_OR_RETURN(auto addr, MakeAddr(ifindex, address, prefix));
  if (!address.is_v4()) rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
  const int rc = rtnl_addr_add(sock_, addr.get(), 0);
  if (rc < 0 && rc != -NLE_EXIST) return NlError("adding " + address.ToString(), rc);
  return Status::Ok();
}

Status Rtnl::DeleteAddress(int ifindex, const IpAddress& address, int prefix) {
  ASSIGN_OR_RETURN(auto addr, MakeAddr(ifindex, address, prefix));
  const int rc = rtnl_addr_delete(sock_, addr.get(), 0);
  if (rc < 0 && rc != -NLE_NOADDR && rc != -NLE_OBJ_NOTFOUND) {
    return NlError("deleting " + address.ToString(), rc);
  }
  return Status::Ok();
}

}  // namespace rsagent::netsetup
