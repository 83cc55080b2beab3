// Each VIP on [vip].device as a host address (/32, /128). A wider prefix
// (the classic /24) makes the kernel own the whole subnet on lo: replies to
// the real servers' neighbours go to lo and die.
#include "diagnose/check.h"

namespace rsagent::agent::diagnose {

namespace {

class VipCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    if (config.vip.addresses.empty()) return {};
    auto state = host.Addresses();
    if (!state)
      return {{"vip", Verdict::kFail, "cannot read addresses: " + state.error(), "run as root"}};
    std::vector<Finding> out;
    for (const auto& vip : config.vip.addresses) out.push_back(Judge(config, *state, vip));
    return out;
  }

 private:
  static Finding Judge(const conf::Config& config, const netsetup::KernelState& state,
                       const IpAddress& vip) {
    const std::string dev = config.vip.device;
    const int host_prefix = vip.is_v4() ? 32 : 128;
    const std::string want = vip.ToString() + "/" + std::to_string(host_prefix);
    for (const auto& a : state.addresses) {
      if (!(a.address == vip)) continue;
      const netsetup::Link* link = state.FindLink(a.ifindex);
      const std::string on = link ? link->name : "ifindex " + std::to_string(a.ifindex);
      const std::string have = vip.ToString() + "/" + std::to_string(a.prefix);
      if (on != dev) {
        return {"vip", Verdict::kFail,
                have + " is on " + on + ", not " + dev +
                    ": this node would answer ARP for the VIP and steal it from the director",
                "ip addr del " + have + " dev " + on + " && rsagent vip up -c " + config.source};
      }
      if (a.prefix != host_prefix) {
        return {"vip", Verdict::kFail,
                have + " on " + dev + ": the prefix must be /" + std::to_string(host_prefix) +
                    " (a wider one claims the whole subnet)",
                "ip addr del " + have + " dev " + dev + " && ip addr add " + want + " dev " + dev};
      }
      return {"vip", Verdict::kPass, want + " on " + dev, ""};
    }
    return {
        "vip", Verdict::kFail,
        vip.ToString() + " is not bound on " + dev + ": DR packets for it are dropped",
        "rsagent vip up -c " + config.source + "   (or: ip addr add " + want + " dev " + dev + ")"};
  }
};

}  // namespace

std::unique_ptr<Check> MakeVipCheck() { return std::make_unique<VipCheck>(); }

}  // namespace rsagent::agent::diagnose
