#include "diagnose/sysctl_arp_lines.h"

#include <algorithm>
#include <sstream>

namespace rsagent::agent::diagnose {

std::vector<SysctlArpLine> ParseSysctlArp(const std::string& file, const std::string& text) {
  std::vector<SysctlArpLine> out;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '-') line.erase(0, 1);
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    key.erase(key.find_last_not_of(" \t") + 1);
    std::replace(key.begin(), key.end(), '/', '.');
    const std::string prefix = "net.ipv4.conf.";
    if (key.rfind(prefix, 0) != 0) continue;
    const auto dot = key.rfind('.');
    const std::string name = key.substr(dot + 1);
    if (name != "arp_ignore" && name != "arp_announce") continue;
    SysctlArpLine arp{file, number, key.substr(prefix.size(), dot - prefix.size()), name};
    arp.value = std::atoi(line.c_str() + eq + 1);
    out.push_back(arp);
  }
  return out;
}

std::vector<std::string> SysctlDirectories() {
  return {"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
          "/lib/sysctl.d"};
}

}  // namespace rsagent::agent::diagnose
