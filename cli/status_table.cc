#include "cli/status_table.h"

#include "cli/text_table.h"
#include "common/json_dump.h"
#include "common/safe_text.h"

namespace rsagent::agent {

namespace {

// A cell for the terminal. The agent sends safe text already; the CLI does
// not rely on it (an older agent, a bug): no control character from the
// socket reaches the terminal.
constexpr size_t kMaxCell = 1024;

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return SafeText(it->is_string() ? it->get<std::string>() : DumpJson(*it), kMaxCell);
}

// The member, or null when absent; iterating null visits nothing.
const nlohmann::json& Member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// A malformed answer (wrong types anywhere) renders as blanks, never throws.
bool Flag(const nlohmann::json& j, const char* key) {
  const auto& member = Member(j, key);
  return member.is_boolean() && member.get<bool>();
}

std::string UpDown(const nlohmann::json& j) { return Flag(j, "up") ? "UP" : "DOWN"; }

std::string Services(const nlohmann::json& status) {
  TextTable table({"SERVICE", "STATE", "SINCE", "ADMIN", "VIP:PORT", "CONNS", "WEIGHT", "REASON"});
  for (const auto& s : Member(status, "services")) {
    const auto& admin = Member(s, "admin");
    const std::string state = Text(admin, "state");
    const std::string admin_text =
        state.empty() || state == "none" ? "-" : state + " since " + Text(admin, "since");
    const std::string vip = Text(s, "vip");
    const std::string conns = Text(s, "connections");
    const auto& weight = Member(s, "weight");
    const std::string limited = Text(weight, "limited_by");
    const std::string weight_text = Text(weight, "value") + " (" + Text(weight, "percent") + "%" +
                                    (limited.empty() ? "" : ", " + limited) + ")";
    table.AddRow({Text(s, "name"), UpDown(s), Text(s, "since"), admin_text,
                  (vip.empty() ? "*" : vip) + ":" + Text(s, "port"), conns.empty() ? "-" : conns,
                  weight.is_object() ? weight_text : "-", Text(s, "reason")});
  }
  return table.Render();
}

std::string Probes(const nlohmann::json& status) {
  TextTable table({"PROBE", "TYPE", "STATE", "SINCE", "LATENCY", "REASON"});
  for (const auto& p : Member(status, "probes")) {
    std::string latency = "-";
    if (const auto& ms = Member(Member(p, "last"), "latency_ms"); ms.is_number()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1fms", ms.get<double>());
      latency = buf;
    }
    table.AddRow({Text(p, "name"), Text(p, "type"), UpDown(p), Text(p, "since"), latency,
                  Text(p, "reason")});
    const auto& roles = Member(p, "roles");
    if (!roles.is_object()) continue;
    for (const auto& [role, r] : roles.items()) {
      table.AddRow({"  as " + SafeText(role, kMaxCell), "", UpDown(r), Text(r, "since"), "",
                    Text(r, "reason")});
    }
  }
  return table.Render();
}

std::string Vips(const nlohmann::json& status) {
  const auto& dr = Member(status, "dr");  // netsetup/dr_status_format.h
  const auto& vips = Member(dr, "vips");
  if (vips.empty()) return "";
  TextTable table({"VIP", "BOUND", "HEALS", "ERROR"});
  for (const auto& v : vips) {
    table.AddRow({Text(v, "address"), Flag(v, "present") ? "yes" : "NO", Text(v, "heals"),
                  Text(v, "error")});
  }
  const auto& arp = Member(dr, "arp");
  std::string line = "ARP suppression: ";
  line += Flag(arp, "ok") ? "effective" : "NOT effective: " + Text(arp, "error");
  return table.Render() + line + "\n";
}

}  // namespace

std::string StatusTable(const nlohmann::json& status) {
  std::string out = "rsagent " + Text(status, "version") + ", up " +
                    Text(status, "uptime_seconds") + "s" +
                    (Flag(status, "shutting_down") ? ", SHUTTING DOWN" : "") + "\n\n";
  out += Services(status) + "\n" + Probes(status);
  if (std::string vips = Vips(status); !vips.empty()) out += "\n" + vips;
  return out;
}

}  // namespace rsagent::agent
