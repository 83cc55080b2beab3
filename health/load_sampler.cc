#include "health/load_sampler.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "health/cpu_pressure.h"
#include "netsetup/sock_diag.h"

namespace rsagent::agent {

namespace {

// Services on the same VIP:port share one query: a dump walks the kernel's
// whole TCP hash table (~3 ms here, however few sockets match), so a dump
// per service cost 76 % of the agent's CPU with 100 services on one port.
struct Listen {
  std::optional<IpAddress> vip;  // none: any local address (behind HAProxy)
  uint16_t port;
  friend bool operator==(const Listen&, const Listen&) = default;
};

}  // namespace

LoadSample SampleLoad(const Snapshot& snapshot, std::chrono::milliseconds timeout,
                      std::string* first_error) {
  LoadSample sample;
  if (const auto pressure = ReadCpuPressure()) sample.cpu_pressure = pressure->avg10_percent;
  std::vector<std::pair<Listen, std::optional<size_t>>> counted;  // unset: the query failed
  for (const ServiceView& service : snapshot.services) {
    if (service.port == 0) continue;
    const Listen key{service.vip, service.port};
    auto it = std::find_if(counted.begin(), counted.end(),
                           [&](const auto& entry) { return entry.first == key; });
    if (it == counted.end()) {
      const netsetup::TcpSocketFilter filter{
          .states = netsetup::kServedStates, .local_address = key.vip, .local_port = key.port};
      auto sockets = netsetup::ListTcpSockets(filter, timeout);
      if (!sockets && first_error->empty()) *first_error = service.name + ": " + sockets.error();
      counted.emplace_back(key, sockets ? std::optional<size_t>(sockets->size()) : std::nullopt);
      it = std::prev(counted.end());
    }
    if (it->second) sample.connections[service.name] = *it->second;
  }
  return sample;
}

}  // namespace rsagent::agent
