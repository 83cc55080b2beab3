#include "diagnose/listening.h"

namespace rsagent::agent::diagnose {

namespace {

bool IsWildcard(const IpAddress& a) { return a.ToString() == "0.0.0.0" || a.ToString() == "::"; }

}  // namespace

bool IsLoopback(const IpAddress& address) {
  return address.is_v4() ? Cidr::Parse("127.0.0.0/8")->Contains(address)
                         : address.ToString() == "::1";
}

PortListeners ListenersOn(const std::vector<Listener>& listeners, uint16_t port,
                          const std::optional<IpAddress>& vip) {
  PortListeners out;
  bool non_loopback = false;
  for (const auto& l : listeners) {
    if (l.port != port) continue;
    const std::string text = l.address.is_v4()
                                 ? l.address.ToString() + ":" + std::to_string(port)
                                 : "[" + l.address.ToString() + "]:" + std::to_string(port);
    if (out.addresses.find(text) == std::string::npos) {
      out.addresses += (out.addresses.empty() ? "" : ", ") + text;
    }
    out.any = true;
    out.wildcard = out.wildcard || IsWildcard(l.address);
    out.on_vip = out.on_vip || (vip && l.address == *vip);
    non_loopback = non_loopback || !IsLoopback(l.address);
  }
  out.loopback_only = out.any && !non_loopback;
  return out;
}

}  // namespace rsagent::agent::diagnose
