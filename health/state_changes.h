// Finds what changed between two consecutive snapshots and says it as events
// (health/event.h): service and probe verdicts, VIPs bound or missing, VIP
// heals, ARP suppression. The health model runs it on every publish, so a
// change is reported once whichever path caused it (a result, staleness, a
// reload, the netlink watch). Admin overrides are reported by control/admin.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "health/event.h"
#include "health/snapshot.h"

namespace rsagent::agent {

class StateChanges {
 public:
  std::vector<Event> Between(const Snapshot& before, const Snapshot& after);

 private:
  void Services(const Snapshot& before, const Snapshot& after, std::vector<Event>& out) const;
  void Probes(const Snapshot& before, const Snapshot& after, std::vector<Event>& out) const;
  void Dr(const Snapshot& before, const Snapshot& after, std::vector<Event>& out);

  // VIP and ARP states carry no "since" of their own: kept here.
  std::map<std::string, WallTime> vip_since_;  // by address, since its present state began
  std::optional<WallTime> arp_since_;
};

}  // namespace rsagent::agent
