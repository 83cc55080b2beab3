// Listening TCP sockets for the network listeners (health HTTP, agent-check).
#pragma once

#include <sys/socket.h>

#include <cstdint>

#include "common/ip_address.h"
#include "common/result.h"
#include "common/socket.h"

namespace rsagent::agent {

// Non-blocking, close-on-exec, SO_REUSEADDR (never SO_REUSEPORT: a second
// agent on the port must fail, not take half the checks), TCP_NODELAY.
// `defer_seconds` > 0 sets TCP_DEFER_ACCEPT; port 0 picks a free port.
Result<UniqueFd> ListenTcp(const Endpoint& endpoint, int defer_seconds);

uint16_t BoundPort(int fd);

// A peer's address from accept(); IPv4-mapped IPv6 as the IPv4 address.
IpAddress PeerAddress(const sockaddr_storage& addr);

}  // namespace rsagent::agent
