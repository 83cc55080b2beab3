// Loopback sockets for probe tests: listeners on 127.0.0.1 with a
// kernel-chosen port, and ports that refuse connections. Never anything
// outside 127.0.0.0/8.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>

#include "common/ip_address.h"
#include "common/socket.h"

namespace rsagent::probes::testing {

struct LoopbackSocket {
  UniqueFd fd;
  uint16_t port = 0;
  Endpoint endpoint() const { return {*IpAddress::Parse("127.0.0.1"), port}; }
};

// Bound to 127.0.0.1:<free port>; listening when `listen_backlog` >= 0,
// otherwise only bound, so connects to it are refused.
inline LoopbackSocket BindLoopback(int listen_backlog) {
  LoopbackSocket s;
  s.fd.Reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s.fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(s.fd.get(), reinterpret_cast<sockaddr*>(&address), &length);
  s.port = ntohs(address.sin_port);
  if (listen_backlog >= 0) listen(s.fd.get(), listen_backlog);
  return s;
}

inline LoopbackSocket Listening() { return BindLoopback(16); }
inline LoopbackSocket Refusing() { return BindLoopback(-1); }

}  // namespace rsagent::probes::testing
