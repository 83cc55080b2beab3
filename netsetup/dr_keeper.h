// Makes this node DR-ready and keeps it so: ARP suppression, then the VIPs
// bound as host addresses on [vip].device, re-bound when something removes
// them. Thread-safe: the watch thread and callers of Inspect share a mutex.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "conf/config.h"
#include "netsetup/arp_sysctl.h"
#include "netsetup/dr_status.h"
#include "netsetup/kernel_state.h"
#include "netsetup/rtnl.h"

namespace rsagent::netsetup {

class DrKeeper {
 public:
  // Validates without changing anything: CAP_NET_ADMIN, at least one VIP, the
  // device and ARP interfaces exist, each VIP is a host address not already
  // bound on a real interface of this host.
  static Result<std::unique_ptr<DrKeeper>> Create(const conf::VipConfig& config);
  // Reads the kernel without privileges (`vip status`); heal counts are zero.
  static Result<DrStatus> InspectOnce(const conf::VipConfig& config);
  ~DrKeeper();
  DrKeeper(const DrKeeper&) = delete;
  DrKeeper& operator=(const DrKeeper&) = delete;

  // ARP suppression on "all" and the facing interfaces, then each missing VIP
  // as /32 (/128 nodad). Idempotent. On failure the VIPs it added are removed.
  Status Apply();
  // Removes exactly the configured VIPs from the device; leaves the sysctls.
  Status RemoveVips();
  DrStatus Inspect() const;

  // Watches netlink from a thread: a removed VIP is bound again at once (when
  // [vip].manage), logged and counted. `on_change` runs on that thread with
  // the current status once at start and after every change. Stops on
  // destruction too.
  Status StartWatch(std::function<void(const DrStatus&)> on_change);
  void StopWatch();

 private:
  DrKeeper(conf::VipConfig config, std::unique_ptr<Rtnl> rtnl);

  Status ApplyArp(const KernelState& state);  // requires mutex_
  // Deletes VIPs bound on the device with a non-host prefix (StaleVipPrefixes);
  // requires mutex_ and effective ARP suppression.
  Status RemoveStalePrefixes(const KernelState& state);
  void Heal();
  void WatchLoop(std::function<void(const DrStatus&)> on_change);

  const conf::VipConfig config_;
  const ArpSysctls sysctls_;
  mutable std::mutex mutex_;
  std::unique_ptr<Rtnl> rtnl_;       // guarded by mutex_
  std::vector<uint64_t> heals_;      // per config_.addresses; guarded by mutex_
  std::vector<std::string> errors_;  // last bind failure per VIP; guarded by mutex_
  std::atomic<bool> stop_watch_{false};
  std::thread watch_thread_;
};

}  // namespace rsagent::netsetup
