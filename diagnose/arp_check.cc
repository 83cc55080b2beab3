// ARP suppression as the kernel applies it: max(conf/all, conf/IFACE) for
// arp_ignore and arp_announce on every facing interface. Without it the
// real server answers ARP for the VIP and steals it from the director.
#include "diagnose/check.h"
#include "diagnose/shipped_files.h"
#include "netsetup/arp_sysctl.h"
#include "netsetup/dr_plan.h"

namespace rsagent::agent::diagnose {

namespace {

class ArpCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    if (config.vip.addresses.empty()) return {};
    auto state = host.Addresses();
    if (!state)
      return {{"arp", Verdict::kFail, "cannot read links: " + state.error(), "run as root"}};
    auto all = Read(host, "all");
    if (!all) return {{"arp", Verdict::kFail, all.error(), "run as root"}};
    const netsetup::ArpValues wanted{config.vip.arp_ignore, config.vip.arp_announce};
    std::vector<Finding> out;
    for (const auto& iface : netsetup::FacingInterfaces(config.vip, *state)) {
      auto own = Read(host, iface);
      if (!own) {
        out.push_back({"arp", Verdict::kFail, own.error(), "check [vip].arp_interfaces"});
        continue;
      }
      const auto effective = netsetup::EffectiveArp(*all, *own);
      const std::string values = "arp_ignore=" + std::to_string(effective.arp_ignore) +
                                 " arp_announce=" + std::to_string(effective.arp_announce);
      if (netsetup::JudgeArp(iface, effective, wanted).effective) {
        out.push_back({"arp", Verdict::kPass, iface + ": " + values + " (effective)", ""});
        continue;
      }
      out.push_back(
          {"arp", Verdict::kFail,
           iface + ": effective " + values +
               ", needs arp_ignore>=" + std::to_string(wanted.arp_ignore) + " arp_announce>=" +
               std::to_string(wanted.arp_announce) + ": this node answers ARP for the VIP",
           "sysctl -w net.ipv4.conf.all.arp_ignore=" + std::to_string(wanted.arp_ignore) +
               " net.ipv4.conf.all.arp_announce=" + std::to_string(wanted.arp_announce) +
               "   # rsagent sets these at start; from boot (a legacy alias binds VIPs): cp " +
               std::string(kShippedArpSysctlFile) + " /etc/sysctl.d/"});
    }
    return out;
  }

 private:
  static Result<netsetup::ArpValues> Read(Host& host, const std::string& iface) {
    auto ignore = host.Ipv4Conf(iface, "arp_ignore");
    auto announce = host.Ipv4Conf(iface, "arp_announce");
    if (!ignore) return Error{iface + ": " + ignore.error()};
    if (!announce) return Error{iface + ": " + announce.error()};
    return netsetup::ArpValues{*ignore, *announce};
  }
};

}  // namespace

std::unique_ptr<Check> MakeArpCheck() { return std::make_unique<ArpCheck>(); }

}  // namespace rsagent::agent::diagnose
