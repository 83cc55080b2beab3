#include "probes/watched_listeners.h"

#include "probes/probe_kinds.h"

namespace rsagent::probes {

std::vector<Endpoint> WatchedListeners(const conf::ProbeConfig& probe) {
  if (!probe.watch_listener) return {};
  const ProbeKind& kind = KindOf(probe.spec);
  return kind.listeners ? kind.listeners(probe.spec) : std::vector<Endpoint>{};
}

}  // namespace rsagent::probes
