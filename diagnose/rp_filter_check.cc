// Strict reverse-path filtering (rp_filter=1, effective max(all, IFACE))
// drops a packet whose source is routed out of another interface. On a
// single-homed real server that never happens; on a multi-homed one DR
// traffic arriving on the "wrong" leg is dropped silently, so it is FAIL
// there. Loose mode (2) keeps the spoofing protection and lets DR through.
#include "diagnose/check.h"
#include "netsetup/dr_plan.h"

namespace rsagent::agent::diagnose {

namespace {

class RpFilterCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    if (config.vip.addresses.empty()) return {};
    auto state = host.Addresses();
    if (!state) return {};  // the ARP check reports unreadable links
    auto all = host.Ipv4Conf("all", "rp_filter");
    if (!all) return {{"rp_filter", Verdict::kWarn, "cannot read: " + all.error(), "run as root"}};
    const auto facing = netsetup::FacingInterfaces(config.vip, *state);
    std::vector<Finding> out;
    for (const auto& iface : facing) {
      auto own = host.Ipv4Conf(iface, "rp_filter");
      if (!own) continue;
      const int effective = std::max(*all, *own);
      if (effective != 1) {
        out.push_back({"rp_filter", Verdict::kPass,
                       iface + ": rp_filter=" + std::to_string(effective) +
                           (effective == 0 ? " (off)" : " (loose)"),
                       ""});
      } else if (facing.size() == 1) {
        out.push_back({"rp_filter", Verdict::kPass,
                       iface + ": rp_filter=1 (strict; harmless on a single-homed node)", ""});
      } else {
        out.push_back(
            {"rp_filter", Verdict::kFail,
             iface + ": rp_filter=1 (strict) on a node with " + std::to_string(facing.size()) +
                 " interfaces: DR packets whose client is routed via another "
                 "interface are dropped",
             "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf." + iface + ".rp_filter=2"});
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Check> MakeRpFilterCheck() { return std::make_unique<RpFilterCheck>(); }

}  // namespace rsagent::agent::diagnose
