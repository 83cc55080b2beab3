#include "netsetup/dr_keeper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/clock.h"
#include "netsetup/address_watch.h"
#include "netsetup/dr_inspect.h"
#include "netsetup/dr_plan.h"
#include "netsetup/net_admin.h"

namespace rsagent::netsetup {
namespace {

using std::chrono::milliseconds;

// How long the watch thread blocks in poll: bounds how late StopWatch returns.
constexpr milliseconds kWatchPoll{200};
// After a watch error: the first pause, doubling up to the last.
constexpr milliseconds kWatchRetryMin{200};
constexpr milliseconds kWatchRetryMax{10000};
// Sysctl changes have no netlink notification, so the status is also
// re-read this often to notice ARP settings changed behind our back (and a
// failed re-bind is retried).
constexpr milliseconds kStatusRefresh{1000};

Result<std::unique_ptr<Rtnl>> OpenValidated(const conf::VipConfig& config) {
  if (config.addresses.empty()) return Error{"[vip].addresses is empty: no VIP to bind"};
  ASSIGN_OR_RETURN(auto rtnl, Rtnl::Open());
  ASSIGN_OR_RETURN(auto state, rtnl->Read());
  RETURN_IF_ERROR(ValidateVipConfig(config, state));
  return rtnl;
}

}  // namespace

Result<std::unique_ptr<DrKeeper>> DrKeeper::Create(const conf::VipConfig& config) {
  RETURN_IF_ERROR(RequireNetAdmin());
  ASSIGN_OR_RETURN(auto rtnl, OpenValidated(config));
  return std::unique_ptr<DrKeeper>(new DrKeeper(config, std::move(rtnl)));
}

Result<DrStatus> DrKeeper::InspectOnce(const conf::VipConfig& config) {
  ASSIGN_OR_RETURN(auto rtnl, Rtnl::Open());
  return ComposeStatus(config, (rtnl)->Read(), ArpSysctls(), {}, {});
}

DrKeeper::DrKeeper(conf::VipConfig config, std::unique_ptr<Rtnl> rtnl)
    : config_(std::move(config)),
      rtnl_(std::move(rtnl)),
      heals_(config_.addresses.size(), 0),
      errors_(config_.addresses.size()) {}

DrKeeper::~DrKeeper() { StopWatch(); }

Status DrKeeper::ApplyArp(const KernelState& state) {
  const ArpValues wanted{config_.arp_ignore, config_.arp_announce};
  if (auto s = sysctls_.Write("all", wanted); !s) return s;
  for (const auto& name : FacingInterfaces(config_, state)) {
    if (auto s = sysctls_.Write(name, wanted); !s) return s;
  }
  DrStatus check;
  InspectArp(config_, state, sysctls_, &check);
  if (!check.arp_ok) return Error{"ARP suppression is not effective: " + check.arp_error};
  return Status::Ok();
}

Status DrKeeper::Apply() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(auto state, rtnl_->Read());
  // The kernel may have changed since Create: validate again before touching it.
  if (auto s = ValidateVipConfig(config_, state); !s) return s;
  // Order matters: a VIP bound while ARP is still answered would, for that
  // moment, let this node announce the VIP and steal it from the director.
  // So suppression is written and read back as effective before any bind.
  if (auto s = ApplyArp(state); !s) return s;
  const int ifindex = state.FindLink(config_.device)->index;
  if (auto s = RemoveStalePrefixes(state); !s) return s;
  std::vector<IpAddress> added;
  for (const auto& vip : MissingVips(config_, state)) {
    if (auto s = rtnl_->AddAddress(ifindex, vip, vip.max_prefix()); !s) {
      for (const auto& undo : added) (void)rtnl_->DeleteAddress(ifindex, undo, undo.max_prefix());
      return s;
    }
    added.push_back(vip);
    spdlog::info("bound VIP {}/{} on {}", vip.ToString(), vip.max_prefix(), config_.device);
  }
  return Status::Ok();
}

Status DrKeeper::RemoveStalePrefixes(const KernelState& state) {
  for (const auto& stale : StaleVipPrefixes(config_, state)) {
    if (auto s = rtnl_->DeleteAddress(stale.ifindex, stale.address, stale.prefix); !s) {
      return Error{"cannot remove " + stale.address.ToString() + "/" +
                   std::to_string(stale.prefix) + " from " + config_.device +
                   " (a VIP must be a /" + std::to_string(stale.address.max_prefix()) +
                   "): " + s.error()};
    }
    spdlog::warn(
        "vip: removed {}/{} from {}: a VIP with that prefix routes its whole subnet "
        "into {}; it is bound as /{}",
        stale.address.ToString(), stale.prefix, config_.device, config_.device,
        stale.address.max_prefix());
  }
  return Status::Ok();
}

Status DrKeeper::RemoveVips() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(auto state, rtnl_->Read());
  const Link* device = state.FindLink(config_.device);
  if (device == nullptr) return Error{"[vip].device \"" + config_.device + "\" does not exist"};
  for (const auto& vip : config_.addresses) {
    if (!state.HasAddress(device->index, vip, vip.max_prefix())) continue;
    if (auto s = rtnl_->DeleteAddress(device->index, vip, vip.max_prefix()); !s) return s;
    spdlog::info("removed VIP {}/{} from {}", vip.ToString(), vip.max_prefix(), config_.device);
  }
  return Status::Ok();
}

DrStatus DrKeeper::Inspect() const {
  std::lock_guard lock(mutex_);
  return ComposeStatus(config_, rtnl_->Read(), sysctls_, heals_, errors_);
}

void DrKeeper::Heal() {
  std::lock_guard lock(mutex_);
  auto state = rtnl_->Read();
  if (!state) {
    spdlog::error("cannot read addresses to heal VIPs: {}", state.error());
    return;
  }
  const Link* device = state->FindLink(config_.device);
  // Same invariant as Apply: never bind a VIP while this node answers ARP.
  DrStatus arp;
  InspectArp(config_, *state, sysctls_, &arp);
  if (arp.arp_ok) {
    if (Status s = RemoveStalePrefixes(*state); !s) spdlog::error("vip: {}", s.error());
  }
  const std::vector<IpAddress> missing = MissingVips(config_, *state);
  if (missing.empty()) return;
  for (const auto& vip : missing) {
    const size_t i = std::find(config_.addresses.begin(), config_.addresses.end(), vip) -
                     config_.addresses.begin();
    Status s;
    if (!arp.arp_ok) {
      s = Error{"not re-bound, ARP suppression is not effective: " + arp.arp_error};
    } else if (device == nullptr) {
      s = Error{"device " + config_.device + " is gone"};
    } else {
      s = rtnl_->AddAddress(device->index, vip, vip.max_prefix());
    }
    if (!s) {
      if (errors_[i] != s.error()) {  // log a persisting failure once, not every second
        spdlog::error("cannot re-bind VIP {}: {}", vip.ToString(), s.error());
      }
      errors_[i] = s.error();
      continue;
    }
    errors_[i].clear();
    ++heals_[i];
    spdlog::debug("VIP {} was removed from {}; bound it again (heal #{})", vip.ToString(),
                  config_.device, heals_[i]);
  }
}

Status DrKeeper::StartWatch(std::function<void(const DrStatus&)> on_change) {
  if (watch_thread_.joinable()) return Error{"the VIP watch is already running"};
  stop_watch_ = false;
  watch_thread_ = std::thread([this, on_change = std::move(on_change)] { WatchLoop(on_change); });
  return Status::Ok();
}

void DrKeeper::StopWatch() {
  stop_watch_ = true;
  if (watch_thread_.joinable()) watch_thread_.join();
}

void DrKeeper::WatchLoop(std::function<void(const DrStatus&)> on_change) {
  auto watch = AddressWatch::Open();
  if (!watch) {
    spdlog::error("VIP watch disabled: {}", watch.error());
    return;
  }
  // Subscribed first, then healed: a removal in between is not missed.
  if (config_.manage) Heal();
  DrStatus last = Inspect();
  on_change(last);
  auto next_refresh = Clock::now() + kStatusRefresh;
  auto backoff = kWatchRetryMin;
  while (!stop_watch_) {
    auto event = (*watch)->Wait(kWatchPoll);
    if (!event) {
      // A failing socket fails at once: without a pause this loop would spin
      // and flood the log. Back off (doubling, bounded), then re-subscribe.
      spdlog::error("VIP watch: {}; retrying in {} ms", event.error(), backoff.count());
      for (auto slept = std::chrono::milliseconds(0); slept < backoff && !stop_watch_;
           slept += kWatchPoll) {
        std::this_thread::sleep_for(std::min(kWatchPoll, backoff - slept));
      }
      backoff = std::min(backoff * 2, kWatchRetryMax);
      if (auto reopened = AddressWatch::Open()) watch = std::move(reopened);
    } else {
      backoff = kWatchRetryMin;
    }
    if (event && *event == AddressWatch::Event::kOverrun) {
      spdlog::warn("VIP watch: netlink notifications were lost; re-reading the full state");
    }
    const bool changed = event && *event != AddressWatch::Event::kTimeout;
    const bool refresh = Clock::now() >= next_refresh;
    if (!changed && !refresh) continue;
    // Healing on every refresh too retries a bind or a read that failed.
    if (config_.manage) Heal();
    if (refresh) next_refresh = Clock::now() + kStatusRefresh;
    DrStatus now = Inspect();
    if (now != last) {
      last = now;
      on_change(last);
    }
  }
}

}  // namespace rsagent::netsetup
