#include "http/tcp_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace rsagent::agent {

Result<UniqueFd> ListenTcp(const Endpoint& endpoint, int defer_seconds) {
  UniqueFd fd(socket(endpoint.address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error{ErrnoText(errno)};
  // REUSEADDR only: SO_REUSEPORT would let a second agent bind the same port
  // and silently take half the checks. TCP_NODELAY (inherited by accepted
  // sockets): Nagle plus delayed ACK would add 40 ms to keep-alive answers.
  int yes = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  // The kernel hands over a connection only once its request arrives:
  // connections that never send cost no descriptor and no wake-up.
  if (defer_seconds > 0) {
    setsockopt(fd.get(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds, sizeof defer_seconds);
  }
  sockaddr_storage addr{};
  socklen_t len;
  if (endpoint.address.is_v4()) {
    auto& a4 = reinterpret_cast<sockaddr_in&>(addr);
    a4.sin_family = AF_INET;
    a4.sin_port = htons(endpoint.port);
    std::copy_n(endpoint.address.bytes(), 4, reinterpret_cast<uint8_t*>(&a4.sin_addr));
    len = sizeof a4;
  } else {
    auto& a6 = reinterpret_cast<sockaddr_in6&>(addr);
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons(endpoint.port);
    std::copy_n(endpoint.address.bytes(), 16, a6.sin6_addr.s6_addr);
    len = sizeof a6;
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(fd.get(), SOMAXCONN) != 0) {
    return Error{ErrnoText(errno)};
  }
  return fd;
}

uint16_t BoundPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.ss_family == AF_INET ? reinterpret_cast<sockaddr_in&>(addr).sin_port
                                         : reinterpret_cast<sockaddr_in6&>(addr).sin6_port);
}

IpAddress PeerAddress(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    return IpAddress::FromBytes(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr);
  }
  const in6_addr& a6 = reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr;
  // An IPv4 client on a dual-stack socket: judge it by its IPv4 address.
  if (IN6_IS_ADDR_V4MAPPED(&a6)) return IpAddress::FromBytes(AF_INET, a6.s6_addr + 12);
  return IpAddress::FromBytes(AF_INET6, a6.s6_addr);
}

}  // namespace rsagent::agent
