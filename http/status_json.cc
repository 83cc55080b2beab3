#include "http/status_json.h"

#include <ctime>

#include "netsetup/dr_status_format.h"

namespace rsagent::agent {

std::string FormatWallTime(WallTime t) {
  if (t == WallTime{}) return "";
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

namespace {

nlohmann::json ProbeJson(const ProbeView& probe) {
  nlohmann::json j{{"name", probe.name},
                   {"type", probe.type},
                   {"up", probe.verdicts.front().up},
                   {"stale", probe.verdicts.front().stale},
                   {"since", FormatWallTime(probe.verdicts.front().since)},
                   {"transitions", probe.verdicts.front().transitions},
                   {"reason", probe.verdicts.front().reason},
                   {"attempts", probe.attempts},
                   {"failures", probe.failures}};
  nlohmann::json roles = nlohmann::json::object();
  for (size_t i = 1; i < probe.verdicts.size(); ++i) {
    const VerdictView& c = probe.verdicts[i];
    roles[c.role] = {{"up", c.up},
                     {"since", FormatWallTime(c.since)},
                     {"transitions", c.transitions},
                     {"reason", c.reason}};
  }
  j["roles"] = roles;
  if (probe.has_result) {
    nlohmann::json last{{"ok", probe.last.outcome.ok},
                        {"reason", probe.last.outcome.reason},
                        {"latency_ms", probe.last.latency.count() / 1000.0},
                        {"schedule_delay_ms", probe.schedule_delay.count() / 1000.0},
                        {"at", FormatWallTime(probe.last_at)}};
    if (!probe.last.details.empty()) last["details"] = probe.last.details;
    j["last"] = last;
  } else {
    j["last"] = nullptr;
  }
  return j;
}

}  // namespace

nlohmann::json StatusJson(const Snapshot& snapshot, const std::string& version) {
  nlohmann::json services = nlohmann::json::array();
  for (const auto& s : snapshot.services) {
    services.push_back(
        {{"name", s.name},
         {"up", s.up},
         {"state", s.up ? "up" : "down"},
         {"reason", s.reason},
         {"vip", s.vip ? s.vip->ToString() : ""},
         {"port", s.port},
         {"role", conf::RoleName(s.role)},
         {"probes", s.probes},
         {"admin",
          {{"state", AdminStateName(s.admin.state)}, {"since", FormatWallTime(s.admin.since)}}},
         {"since", FormatWallTime(s.since)},
         {"transitions", s.transitions},
         {"healthy", s.healthy},
         {"pool", PoolStateName(s.pool)},
         {"held", s.held},
         {"connections", s.connections ? nlohmann::json(*s.connections) : nlohmann::json()},
         {"weight",
          {{"value", s.weight.absolute},
           {"percent", s.weight.percent},
           {"limited_by", s.weight.limited_by}}}});
  }
  nlohmann::json probes = nlohmann::json::array();
  for (const auto& p : snapshot.probes) probes.push_back(ProbeJson(p));
  const auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(snapshot.taken - snapshot.started);
  nlohmann::json doc = {{"version", version},
                        {"started", FormatWallTime(snapshot.started)},
                        {"uptime_seconds", uptime.count()},
                        {"shutting_down", snapshot.shutting_down},
                        {"up", snapshot.all_up},
                        {"cpu_pressure", snapshot.cpu_pressure
                                             ? nlohmann::json(*snapshot.cpu_pressure)
                                             : nlohmann::json()},
                        {"services", services},
                        {"probes", probes},
                        {"dr", netsetup::DrStatusToJson(snapshot.dr)}};
  if (snapshot.pair) {
    nlohmann::json pair = pair::ToJson(*snapshot.pair);
    pair["writer"] = snapshot.pair_writer;
    pair["peer"] = pair::ToJson(snapshot.pair_peer);
    doc["pair"] = std::move(pair);
  }
  if (snapshot.second_chance) {
    const SecondChanceView& sc = *snapshot.second_chance;
    nlohmann::json peers = nlohmann::json::array();
    for (const auto& peer : sc.peers) {
      nlohmann::json verdicts = nlohmann::json::object();
      for (const auto& s : peer.services) verdicts[s.service] = s.up ? "UP" : "DOWN";
      peers.push_back({{"name", peer.name},
                       {"agent", peer.agent},
                       {"services", verdicts},
                       {"error", peer.error},
                       {"packets_handed_over", peer.packets},
                       {"connections_handed_over", peer.flows}});
    }
    doc["second_chance"] = {{"interface", sc.interface}, {"peers", peers}, {"error", sc.error}};
  }
  return doc;
}

}  // namespace rsagent::agent
