#include "health/load_sampler.h"

#include "health/cpu_pressure.h"
#include "netsetup/sock_diag.h"

namespace rsagent::agent {

LoadSample SampleLoad(const Snapshot& snapshot, std::chrono::milliseconds timeout,
                      std::string* first_error) {
  LoadSample sample;
  if (const auto pressure = ReadCpuPressure()) sample.cpu_pressure = pressure->avg10_percent;
  for (const ServiceView& service : snapshot.services) {
    if (service.port == 0) continue;
    // Without a VIP (behind HAProxy) the service's connections arrive on
    // any local address.
    const netsetup::TcpSocketFilter filter{.states = netsetup::kServedStates,
                                           .local_address = service.vip,
                                           .local_port = service.port};
    auto sockets = netsetup::ListTcpSockets(filter, timeout);
    if (!sockets) {
      if (first_error->empty()) *first_error = service.name + ": " + sockets.error();
      continue;
    }
    sample.connections[service.name] = sockets->size();
  }
  return sample;
}

}  // namespace rsagent::agent
