// Connects netsetup to the health model: with [vip].manage, makes the node
// DR-ready at start and keeps it so (netlink watch); without it, only
// verifies, once a second. Either way the model learns every change.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

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
  // from the thread that owns this object (the daemon's main loop); returns
  // how long until it has work again (at most a second: a reload may turn
  // verifying on).
  std::chrono::milliseconds Tick();
  // After the shutdown grace: removes the VIPs only if remove_on_stop.
  void OnStop();

 private:
  DrSupervisor(conf::VipConfig config, HealthModel& model) : config_(std::move(config)), model_(model) {}
  Status Begin();
  void BeginVerifying();
  // A keeper for `config`, applied and watching; its reports reach the model
  // only while it is the active one.
  Result<std::unique_ptr<netsetup::DrKeeper>> StartKeeper(const conf::VipConfig& config);
  void Publish(const netsetup::DrKeeper* from, const netsetup::DrStatus& status);
  // Makes `keeper` (may be null) the active one, with its status, then stops
  // the one before: a report the old watch was still making cannot land
  // after the new one's and leave the model showing the old VIPs.
  void Activate(std::unique_ptr<netsetup::DrKeeper> keeper);

  conf::VipConfig config_;
  HealthModel& model_;
  std::unique_ptr<netsetup::DrKeeper> keeper_;  // only when managing
  std::mutex publish_mutex_;                    // orders reports against Activate
  const netsetup::DrKeeper* active_ = nullptr;  // guarded by publish_mutex_
  SteadyTime next_inspect_{};
};

}  // namespace rsagent::agent
