// Connects netsetup to the health model: with [vip].manage, makes the node
// DR-ready at start and keeps it so (netlink watch); without it, only
// verifies, once a second. Either way the model learns every change.
#pragma once

#include <memory>

#include "common/clock.h"
#include "health/health_model.h"
#include "netsetup/dr_keeper.h"

namespace rsagent::agent {

class DrSupervisor {
 public:
  // Nothing to do (and nothing returned) when no VIPs are configured. With
  // manage = true, a node that cannot be made DR-ready is an error: the agent
  // refuses to start rather than advertise a half-configured node.
  static Result<std::unique_ptr<DrSupervisor>> Start(const conf::VipConfig& config,
                                                     HealthModel& model);
  ~DrSupervisor();

  // Applies a reloaded [vip]: new VIPs are bound; VIPs dropped from the
  // config are left in place (removing them could cut live DR flows) with a
  // warning that says how to remove them once drained.
  Status Reconfigure(const conf::VipConfig& config);
  // Verify-only mode: re-reads the kernel at most once a second. Call it
  // from the thread that owns this object (the daemon's main loop).
  void Tick();
  // After the shutdown grace: removes the VIPs only if remove_on_stop.
  void OnStop();

 private:
  DrSupervisor(conf::VipConfig config, HealthModel& model) : config_(std::move(config)), model_(model) {}
  Status Begin();

  conf::VipConfig config_;
  HealthModel& model_;
  std::unique_ptr<netsetup::DrKeeper> keeper_;  // only when managing
  SteadyTime next_inspect_{};
};

}  // namespace rsagent::agent
