#include "agent/status_table.h"

#include "agent/text_table.h"

namespace rsagent::agent {

namespace {

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// The member, or null when absent; iterating null visits nothing.
const nlohmann::json& Member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string UpDown(const nlohmann::json& j) { return j.value("up", false) ? "UP" : "DOWN"; }

std::string Services(const nlohmann::json& status) {
  TextTable table({"SERVICE", "STATE", "SINCE", "ADMIN", "VIP:PORT", "REASON"});
  for (const auto& s : Member(status, "services")) {
    const auto& admin = Member(s, "admin");
    std::string admin_text = admin.is_object() ? admin.value("state", "none") : "none";
    admin_text = admin_text == "none" ? "-" : admin_text + " since " + Text(admin, "since");
    const std::string vip = Text(s, "vip");
    table.AddRow({Text(s, "name"), UpDown(s), Text(s, "since"), admin_text,
                  (vip.empty() ? "*" : vip) + ":" + Text(s, "port"), Text(s, "reason")});
  }
  return table.Render();
}

std::string Probes(const nlohmann::json& status) {
  TextTable table({"PROBE", "TYPE", "STATE", "SINCE", "LATENCY", "REASON"});
  for (const auto& p : Member(status, "probes")) {
    std::string latency = "-";
    if (p.contains("last") && p["last"].is_object()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1fms", p["last"].value("latency_ms", 0.0));
      latency = buf;
    }
    table.AddRow({Text(p, "name"), Text(p, "type"), UpDown(p), Text(p, "since"), latency,
                  Text(p, "reason")});
    for (const auto& [role, r] : Member(p, "roles").items()) {
      table.AddRow({"  as " + role, "", UpDown(r), Text(r, "since"), "", Text(r, "reason")});
    }
  }
  return table.Render();
}

std::string Vips(const nlohmann::json& status) {
  const auto& vips = Member(status, "vips");
  if (vips.empty()) return "";
  TextTable table({"VIP", "BOUND", "HEALS", "ERROR"});
  for (const auto& v : vips) {
    table.AddRow({Text(v, "address"), v.value("present", false) ? "yes" : "NO", Text(v, "heals"),
                  Text(v, "error")});
  }
  const auto& arp = Member(status, "arp");
  std::string line = "ARP suppression: ";
  line += arp.is_object() && arp.value("ok", false) ? "effective"
                                                    : "NOT effective: " + Text(arp, "error");
  return table.Render() + line + "\n";
}

}  // namespace

std::string StatusTable(const nlohmann::json& status) {
  std::string out = "rsagent " + Text(status, "version") + ", up " +
                    Text(status, "uptime_seconds") + "s" +
                    (status.value("shutting_down", false) ? ", SHUTTING DOWN" : "") + "\n\n";
  out += Services(status) + "\n" + Probes(status);
  if (std::string vips = Vips(status); !vips.empty()) out += "\n" + vips;
  return out;
}

}  // namespace rsagent::agent
