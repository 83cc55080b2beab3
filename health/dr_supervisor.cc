#include "health/dr_supervisor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace rsagent::agent {

namespace {

// Verify-only mode re-reads the kernel this often.
constexpr std::chrono::milliseconds kInspectEvery{1000};

}  // namespace

Result<std::unique_ptr<DrSupervisor>> DrSupervisor::Start(const conf::VipConfig& config,
                                                          HealthModel& model) {
  std::unique_ptr<DrSupervisor> self(new DrSupervisor(config, model));
  RETURN_IF_ERROR(self->Begin());
  return self;
}

Status DrSupervisor::Begin() {
  if (config_.addresses.empty()) return Status::Ok();
  if (!config_.manage) {
    BeginVerifying();
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto keeper, StartKeeper(config_));
  Activate(std::move(keeper));
  return Status::Ok();
}

void DrSupervisor::BeginVerifying() {
  Tick();
  spdlog::info("vip: manage = false: verifying {} VIP(s) on {} without changing anything",
               config_.addresses.size(), config_.device);
}

Result<std::unique_ptr<netsetup::DrKeeper>> DrSupervisor::StartKeeper(
    const conf::VipConfig& config) {
  auto keeper = netsetup::DrKeeper::Create(config);
  if (!keeper) return Error{"vip: " + keeper.error()};
  if (Status s = (*keeper)->Apply(); !s) return Error{"vip: " + s.error()};
  const netsetup::DrKeeper* from = keeper->get();
  if (Status s = (*keeper)->StartWatch(
          [this, from](const netsetup::DrStatus& status) { Publish(from, status); });
      !s) {
    return Error{"vip: " + s.error()};
  }
  spdlog::info("vip: ARP suppressed, {} VIP(s) bound on {}; watching for removal",
               config.addresses.size(), config.device);
  return std::move(keeper).value();
}

void DrSupervisor::Publish(const netsetup::DrKeeper* from, const netsetup::DrStatus& status) {
  std::lock_guard lock(publish_mutex_);
  if (from == active_) model_.SetDrStatus(status, Clock::now());
}

void DrSupervisor::Activate(std::unique_ptr<netsetup::DrKeeper> keeper) {
  std::unique_ptr<netsetup::DrKeeper> old;
  {
    std::lock_guard lock(publish_mutex_);
    active_ = keeper.get();
    if (keeper) model_.SetDrStatus(keeper->Inspect(), Clock::now());
    old = std::move(keeper_);
    keeper_ = std::move(keeper);
  }
  if (old) old->StopWatch();  // outside the lock: its last report may be waiting for it
}

DrSupervisor::~DrSupervisor() {
  if (keeper_) keeper_->StopWatch();
}

Status DrSupervisor::Reconfigure(const conf::VipConfig& config) {
  if (config == config_) return Status::Ok();  // keep the watch and its heal counts
  for (const auto& old : config_.addresses) {
    if (std::find(config.addresses.begin(), config.addresses.end(), old) ==
        config.addresses.end()) {
      spdlog::warn(
          "vip: {} is no longer configured; it stays bound on {} so live flows are "
          "not cut. Once drained: ip addr del {}/{} dev {}",
          old.ToString(), config_.device, old.ToString(), old.max_prefix(), config_.device);
    }
  }
  std::unique_ptr<netsetup::DrKeeper> keeper;
  if (!config.addresses.empty() && config.manage) {
    ASSIGN_OR_RETURN(keeper, StartKeeper(config));
  }
  config_ = config;
  Activate(std::move(keeper));
  next_inspect_ = {};
  if (config_.addresses.empty()) {
    model_.SetDrStatus(netsetup::DrStatus{}, Clock::now());
  } else if (!config_.manage) {
    BeginVerifying();
  }
  return Status::Ok();
}

std::chrono::milliseconds DrSupervisor::Tick() {
  if (keeper_ || config_.addresses.empty()) return kInspectEvery;
  const auto now = Clock::now();
  if (now < next_inspect_) {
    return std::chrono::ceil<std::chrono::milliseconds>(next_inspect_ - now);
  }
  next_inspect_ = now + kInspectEvery;
  auto status = netsetup::DrKeeper::InspectOnce(config_);
  if (status) {
    model_.SetDrStatus(*status, now);
    return kInspectEvery;
  }
  netsetup::DrStatus unknown;
  for (const auto& vip : config_.addresses) {
    unknown.vips.push_back({.address = vip, .present = false, .error = status.error()});
  }
  unknown.arp_error = status.error();
  model_.SetDrStatus(unknown, now);
  return kInspectEvery;
}

void DrSupervisor::OnStop() {
  if (!keeper_ || !config_.remove_on_stop) return;
  keeper_->StopWatch();
  if (Status s = keeper_->RemoveVips(); !s) {
    spdlog::error("vip: remove_on_stop: {}", s.error());
  } else {
    spdlog::info("vip: remove_on_stop: VIPs removed from {}", config_.device);
  }
}

}  // namespace rsagent::agent
