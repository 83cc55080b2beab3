#include "netsetup/dr_status_format.h"

#include <cstdio>

namespace rsagent::netsetup {
namespace {

const char* YesNo(bool b) { return b ? "yes" : "no"; }

}  // namespace

std::string FormatDrStatus(const DrStatus& status) {
  std::string text;
  char line[256];
  std::snprintf(line, sizeof line, "%-40s %-8s %-6s %s\n", "VIP", "PRESENT", "HEALS", "PROBLEM");
  text += line;
  for (const auto& vip : status.vips) {
    std::snprintf(line, sizeof line, "%-40s %-8s %-6llu %s\n", vip.address.ToString().c_str(),
                  YesNo(vip.present), static_cast<unsigned long long>(vip.heals),
                  vip.error.c_str());
    text += line;
  }
  std::snprintf(line, sizeof line, "%-16s %-11s %-13s %s\n", "ARP (effective)", "arp_ignore",
                "arp_announce", "OK");
  text += line;
  for (const auto& arp : status.arp) {
    std::snprintf(line, sizeof line, "%-16s %-11d %-13d %s\n", arp.interface.c_str(),
                  arp.arp_ignore, arp.arp_announce, YesNo(arp.effective));
    text += line;
  }
  if (!status.arp_error.empty()) text += "ARP problem: " + status.arp_error + "\n";
  text += std::string("DR ready: ") + YesNo(status.Ready()) +
          (status.managed ? "" : " (VIPs not managed: [vip].manage = false)") + "\n";
  return text;
}

nlohmann::json DrStatusToJson(const DrStatus& status) {
  nlohmann::json vips = nlohmann::json::array();
  for (const auto& vip : status.vips) {
    vips.push_back({{"address", vip.address.ToString()},
                    {"present", vip.present},
                    {"heals", vip.heals},
                    {"error", vip.error}});
  }
  nlohmann::json interfaces = nlohmann::json::array();
  for (const auto& a : status.arp) {
    interfaces.push_back({{"interface", a.interface},
                          {"arp_ignore", a.arp_ignore},
                          {"arp_announce", a.arp_announce},
                          {"effective", a.effective}});
  }
  return {
      {"ready", status.Ready()},
      {"managed", status.managed},
      {"vips", vips},
      {"arp", {{"ok", status.arp_ok}, {"error", status.arp_error}, {"interfaces", interfaces}}}};
}

}  // namespace rsagent::netsetup
