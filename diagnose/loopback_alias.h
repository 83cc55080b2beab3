// VIPs bound on lo by the distribution's network configuration — the manual
// DR set-up rsagent replaces (docs/migrating.md): RHEL network-scripts
// (ifcfg-lo:0), NetworkManager keyfiles, Debian ifupdown
// (/etc/network/interfaces), netplan. Parsers are pure: text in, aliases out.
#pragma once

#include <string>
#include <vector>

namespace rsagent::agent::diagnose {

enum class AliasSource { kIfcfg, kNetworkManager, kIfupdown, kNetplan };

struct LoopbackAlias {
  AliasSource source;
  std::string file;
  int line = 0;         // 1-based, where the address is
  std::string label;    // "lo:0", or "lo" when unlabelled
  std::string address;  // as written, without the prefix
  int prefix = -1;      // -1 when neither a prefix nor a netmask was given
};

// Loopback addresses (127.0.0.0/8, ::1) are the loopback itself, never aliases.
std::vector<LoopbackAlias> ParseIfcfg(const std::string& file, const std::string& text);
std::vector<LoopbackAlias> ParseNmKeyfile(const std::string& file, const std::string& text);
std::vector<LoopbackAlias> ParseInterfaces(const std::string& file, const std::string& text);
std::vector<LoopbackAlias> ParseNetplan(const std::string& file, const std::string& text);

// "255.255.255.255" -> 32; -1 when not a contiguous IPv4 mask.
int NetmaskPrefix(const std::string& netmask);

}  // namespace rsagent::agent::diagnose
