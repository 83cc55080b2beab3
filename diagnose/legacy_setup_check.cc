// The manual DR set-up rsagent replaces, still on the host: VIPs on lo from
// the network configuration (ifcfg-lo:0, NetworkManager, interfaces,
// netplan) and ARP lines in sysctl files. A /32 alias is harmless but
// outside rsagent's drain and heal; a wider prefix on lo makes a whole
// subnet local; an ARP line with another value fights the agent at every
// boot and `sysctl --system`. Each finding says how to migrate
// (docs/migrating.md).
#include <algorithm>

#include "diagnose/check.h"
#include "diagnose/loopback_alias.h"
#include "diagnose/shipped_files.h"
#include "diagnose/sysctl_arp_lines.h"

namespace rsagent::agent::diagnose {

namespace {

const char* SourceName(AliasSource source) {
  switch (source) {
    case AliasSource::kIfcfg:
      return "network-scripts";
    case AliasSource::kNetworkManager:
      return "NetworkManager";
    case AliasSource::kIfupdown:
      return "ifupdown";
    case AliasSource::kNetplan:
      return "netplan";
  }
  return "?";
}

// How to take the alias out of the network configuration without taking the
// address off lo: the edit is not applied now (no ifdown, nmcli reload or
// netplan apply), so the running /32 stays, owned by rsagent; at the next boot
// nothing but rsagent binds it.
std::string Removal(const LoopbackAlias& alias) {
  const std::string keep = "   # do not apply it now: the address stays, rsagent owns it";
  switch (alias.source) {
    case AliasSource::kIfcfg:
    case AliasSource::kNetworkManager:
      return "rm " + alias.file + keep;
    case AliasSource::kIfupdown:
      return "delete " + alias.file + ":" + std::to_string(alias.line) + " (and its stanza)" + keep;
    case AliasSource::kNetplan:
      return "remove " + alias.address + " from lo in " + alias.file + keep;
  }
  return "";
}

Finding Judge(const LoopbackAlias& alias, const conf::Config& config) {
  const std::string where = alias.file + ":" + std::to_string(alias.line) + ": ";
  const std::string shown = alias.label + " " + alias.address +
                            (alias.prefix >= 0 ? "/" + std::to_string(alias.prefix) : "");
  const bool managed = std::any_of(config.vip.addresses.begin(), config.vip.addresses.end(),
                                   [&](const IpAddress& vip) { return vip.ToString() == alias.address; });
  const bool host_prefix = alias.prefix < 0 || alias.prefix == 32 || alias.prefix == 128;
  const std::string doc = "   (" + std::string(kShippedMigratingDoc) + ")";
  if (!host_prefix) {
    return {"legacy", Verdict::kFail,
            where + shown + " (" + SourceName(alias.source) + "): a /" +
                std::to_string(alias.prefix) +
                " on lo makes that whole subnet local to this host, which then cannot reach "
                "its neighbours there",
            std::string(managed ? "" : "add \"" + alias.address + "\" to [vip].addresses; ") +
                "ip addr add " + alias.address + "/32 dev lo; ip addr del " + alias.address +
                "/" + std::to_string(alias.prefix) + " dev lo; " + Removal(alias) + doc};
  }
  if (managed) {
    return {"legacy", Verdict::kWarn,
            where + shown + " (" + SourceName(alias.source) +
                ") binds a VIP rsagent also manages: at boot it is up before the agent, "
                "outside its ARP set-up",
            Removal(alias) + doc};
  }
  return {"legacy", Verdict::kWarn,
          where + shown + " (" + SourceName(alias.source) +
              "): a VIP outside rsagent — not in [vip].addresses, so no heal and no drain for it",
          "add \"" + alias.address + "\" to [vip].addresses, systemctl reload rsagent, then " +
              Removal(alias) + doc};
}

class LegacySetupCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    std::vector<Finding> out;
    for (const auto& alias : Aliases(host, out)) out.push_back(Judge(alias, config));
    if (!config.vip.addresses.empty()) ArpLines(config, host, out);
    if (out.empty()) {
      out.push_back({"legacy", Verdict::kPass,
                     "no loopback alias in the network configuration, no ARP lines in sysctl files",
                     ""});
    }
    return out;
  }

 private:
  using Parser = std::vector<LoopbackAlias> (*)(const std::string&, const std::string&);

  // Reads FILE, adding a WARN when it exists but cannot be read.
  static std::optional<std::string> Read(Host& host, const std::string& file,
                                         std::vector<Finding>& out) {
    auto text = host.ReadFile(file);
    if (!text) {
      out.push_back({"legacy", Verdict::kWarn, "cannot read " + text.error(), "run as root"});
      return std::nullopt;
    }
    return *text;
  }

  // FILES of DIR whose names start with PREFIX and end with SUFFIX.
  static std::vector<std::string> Files(Host& host, const std::string& dir,
                                        const std::string& prefix, const std::string& suffix,
                                        std::vector<Finding>& out) {
    auto names = host.ListDir(dir);
    if (!names) {
      out.push_back({"legacy", Verdict::kWarn, "cannot list " + names.error(), "run as root"});
      return {};
    }
    std::vector<std::string> files;
    for (const auto& name : *names) {
      if (name.rfind(prefix, 0) == 0 && name.size() >= suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        files.push_back(dir + "/" + name);
      }
    }
    return files;
  }

  static std::vector<LoopbackAlias> Aliases(Host& host, std::vector<Finding>& out) {
    std::vector<std::pair<std::string, Parser>> sources;
    for (const auto& f : Files(host, "/etc/sysconfig/network-scripts", "ifcfg-lo", "", out))
      sources.emplace_back(f, ParseIfcfg);
    for (const auto& f : Files(host, "/etc/NetworkManager/system-connections", "", "", out))
      sources.emplace_back(f, ParseNmKeyfile);
    sources.emplace_back("/etc/network/interfaces", ParseInterfaces);
    for (const auto& f : Files(host, "/etc/network/interfaces.d", "", "", out))
      sources.emplace_back(f, ParseInterfaces);
    for (const auto& f : Files(host, "/etc/netplan", "", ".yaml", out))
      sources.emplace_back(f, ParseNetplan);
    std::vector<LoopbackAlias> aliases;
    for (const auto& [file, parse] : sources) {
      if (auto text = Read(host, file, out); text && !text->empty()) {
        for (auto& alias : parse(file, *text)) aliases.push_back(std::move(alias));
      }
    }
    return aliases;
  }

  static void ArpLines(const conf::Config& config, Host& host, std::vector<Finding>& out) {
    std::vector<std::string> files = {"/etc/sysctl.conf"};
    for (const auto& dir : SysctlDirectories()) {
      for (const auto& f : Files(host, dir, "", ".conf", out)) files.push_back(f);
    }
    for (const auto& file : files) {
      auto text = Read(host, file, out);
      if (!text || text->empty()) continue;
      for (const auto& arp : ParseSysctlArp(file, *text)) {
        // Per-interface values count only above `all` (the kernel takes the max).
        if (arp.interface != "all" && arp.interface != "default") continue;
        const int wanted = arp.key == "arp_ignore" ? config.vip.arp_ignore : config.vip.arp_announce;
        const std::string where = file + ":" + std::to_string(arp.line) + ": net.ipv4.conf." +
                                  arp.interface + "." + arp.key + " = " + std::to_string(arp.value);
        if (arp.value == wanted) {
          out.push_back({"legacy", Verdict::kPass,
                         where + " (the agent's value too; redundant once migrated)", ""});
          continue;
        }
        const std::string fight = ", rsagent enforces " + std::to_string(wanted) +
                                  ": at boot and at every sysctl --system the two fight";
        const std::string fix = "delete line " + std::to_string(arp.line) + " of " + file +
                                "   # rsagent sets it at start; only while a legacy alias binds "
                                "VIPs at boot: cp " +
                                kShippedArpSysctlFile + " /etc/sysctl.d/";
        out.push_back({"legacy", arp.value < wanted ? Verdict::kFail : Verdict::kWarn,
                       where + fight +
                           (arp.value < wanted ? " (weaker than needed: this node answers ARP "
                                                 "for the VIP until the agent resets it)"
                                               : ""),
                       fix});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Check> MakeLegacySetupCheck() { return std::make_unique<LegacySetupCheck>(); }

}  // namespace rsagent::agent::diagnose
