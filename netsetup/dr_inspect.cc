#include "netsetup/dr_inspect.h"

#include <algorithm>

#include "netsetup/dr_plan.h"

namespace rsagent::netsetup {
namespace {

std::string DescribeArp(const ArpSetting& s, const ArpValues& wanted) {
  return s.interface + ": arp_ignore=" + std::to_string(s.arp_ignore) +
         " arp_announce=" + std::to_string(s.arp_announce) + " in effect, need at least " +
         std::to_string(wanted.arp_ignore) + " and " + std::to_string(wanted.arp_announce);
}

}  // namespace

void InspectArp(const conf::VipConfig& config, const KernelState& state, const ArpSysctls& sysctls,
                DrStatus* status) {
  const ArpValues wanted{config.arp_ignore, config.arp_announce};
  auto all = sysctls.Read("all");
  if (!all) {
    status->arp_error = all.error();
    return;
  }
  status->arp.push_back(JudgeArp("all", *all, wanted));
  for (const auto& name : FacingInterfaces(config, state)) {
    auto own = sysctls.Read(name);
    if (!own) {
      // A link can vanish between the snapshot and the read; report, go on.
      if (status->arp_error.empty()) status->arp_error = own.error();
      continue;
    }
    status->arp.push_back(JudgeArp(name, EffectiveArp(*all, *own), wanted));
  }
  for (const auto& setting : status->arp) {
    if (!setting.effective && status->arp_error.empty()) {
      status->arp_error = DescribeArp(setting, wanted);
    }
  }
  status->arp_ok = status->arp_error.empty();
}

DrStatus ComposeStatus(const conf::VipConfig& config, const Result<KernelState>& state,
                       const ArpSysctls& sysctls, const std::vector<uint64_t>& heals,
                       const std::vector<std::string>& bind_errors) {
  DrStatus status;
  status.managed = config.manage;
  const std::vector<IpAddress> missing = state ? MissingVips(config, *state) : config.addresses;
  const std::vector<BoundAddress> stale =
      state ? StaleVipPrefixes(config, *state) : std::vector<BoundAddress>{};
  for (size_t i = 0; i < config.addresses.size(); ++i) {
    VipStatus vip;
    vip.address = config.addresses[i];
    vip.present = std::find(missing.begin(), missing.end(), vip.address) == missing.end();
    vip.heals = i < heals.size() ? heals[i] : 0;
    if (!state) {
      vip.error = state.error();
    } else if (!vip.present) {
      const bool failed = i < bind_errors.size() && !bind_errors[i].empty();
      vip.error = failed ? bind_errors[i]
                         : "not bound on " + config.device + " as /" +
                               std::to_string(vip.address.max_prefix());
    }
    for (const auto& wrong : stale) {
      if (wrong.address != vip.address) continue;
      // Not DR-ready even beside the /32: see StaleVipPrefixes.
      vip.error = vip.present ? DescribeStalePrefix(wrong, config.device)
                              : vip.error + "; " + DescribeStalePrefix(wrong, config.device);
      vip.present = false;
      break;
    }
    status.vips.push_back(vip);
  }
  if (state) {
    InspectArp(config, *state, sysctls, &status);
  } else {
    status.arp_error = state.error();
  }
  return status;
}

}  // namespace rsagent::netsetup
