// Who listens on a port, in the terms the DR checks need.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnose/host.h"

namespace rsagent::agent::diagnose {

struct PortListeners {
  bool any = false;       // something listens on the port at all
  bool wildcard = false;  // 0.0.0.0 or ::
  bool on_vip = false;
  bool loopback_only = false;
  std::string addresses;  // "192.168.1.21:80, 127.0.0.1:80"
};

bool IsLoopback(const IpAddress& address);  // 127.0.0.0/8, ::1

PortListeners ListenersOn(const std::vector<Listener>& listeners, uint16_t port,
                          const std::optional<IpAddress>& vip);

}  // namespace rsagent::agent::diagnose
