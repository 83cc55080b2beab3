// ARP lines in sysctl.conf and sysctl.d files: the seed's manual DR set-up
// put arp_ignore/arp_announce there. Applied at boot and by every
// `sysctl --system` (package scripts run it), a value other than the
// agent's sets back what the agent enforces.
#pragma once

#include <string>
#include <vector>

namespace rsagent::agent::diagnose {

struct SysctlArpLine {
  std::string file;
  int line = 0;
  std::string interface;  // "all", "default", "lo", "eth0", ...
  std::string key;        // "arp_ignore" or "arp_announce"
  int value = 0;
};

// net.ipv4.conf.IFACE.arp_{ignore,announce} = N, also with '/' separators
// and a leading '-' (ignore errors); comments start with # or ;.
std::vector<SysctlArpLine> ParseSysctlArp(const std::string& file, const std::string& text);

// The files sysctl --system and systemd-sysctl read, in their order.
std::vector<std::string> SysctlDirectories();

}  // namespace rsagent::agent::diagnose
