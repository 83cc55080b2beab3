#include "http/metrics.h"

#include <cstdio>
#include <map>
#include <vector>

namespace rsagent::agent {

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Collects samples per family so each family is written once, contiguous,
// with its HELP and TYPE, as the format requires.
class Exposition {
 public:
  void Add(const std::string& name, const std::string& type, const std::string& help,
           const Labels& labels, double value) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
      order_.push_back(name);
      it->second.type = type;
      it->second.help = help;
    }
    std::string line = name;
    if (!labels.empty()) {
      line += '{';
      for (size_t i = 0; i < labels.size(); ++i) {
        if (i) line += ',';
        line += labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + '"';
      }
      line += '}';
    }
    char num[64];
    std::snprintf(num, sizeof num, " %.17g\n", value);
    it->second.lines += line + num;
  }

  std::string Render() const {
    std::string out;
    for (const auto& name : order_) {
      const Family& f = families_.at(name);
      out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + f.type + "\n" + f.lines;
    }
    return out;
  }

 private:
  struct Family {
    std::string type;
    std::string help;
    std::string lines;
  };
  std::vector<std::string> order_;
  std::map<std::string, Family> families_;
};

double Seconds(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

std::string RenderMetrics(const Snapshot& snap, const std::string& version) {
  Exposition e;
  e.Add("rsagent_build_info", "gauge", "rsagent build information.", {{"version", version}}, 1);
  e.Add("rsagent_start_time_seconds", "gauge", "Agent start time, seconds since the epoch.", {},
        Seconds(snap.started));
  e.Add("rsagent_shutting_down", "gauge", "1 while the agent drains before exiting.", {},
        snap.shutting_down ? 1 : 0);

  for (const auto& s : snap.services) {
    const Labels l{{"service", s.name}};
    e.Add("rsagent_service_up", "gauge", "1 when the service's verdict is UP.", l, s.up ? 1 : 0);
    e.Add("rsagent_service_transitions_total", "counter",
          "Verdict changes of the service since start.", l, static_cast<double>(s.transitions));
    e.Add("rsagent_service_state_since_seconds", "gauge",
          "Time the service's verdict last changed, seconds since the epoch.", l, Seconds(s.since));
    for (AdminState st : {AdminState::kDrain, AdminState::kMaint}) {
      e.Add("rsagent_service_admin_state", "gauge",
            "1 for the admin override in force (drain, maint).",
            {{"service", s.name}, {"state", AdminStateName(st)}}, s.admin.state == st ? 1 : 0);
    }
  }

  for (const auto& p : snap.probes) {
    for (const auto& c : p.checks) {
      const Labels l{{"probe", p.name}, {"type", p.type}, {"role", c.role}};
      e.Add("rsagent_probe_up", "gauge", "1 when the probe's verdict (after rise/fall) is UP.", l,
            c.up ? 1 : 0);
      e.Add("rsagent_probe_transitions_total", "counter", "UP/DOWN changes of the probe's verdict.",
            l, static_cast<double>(c.transitions));
    }
    const Labels l{{"probe", p.name}, {"type", p.type}};
    e.Add("rsagent_probe_stale", "gauge", "1 when the probe has not reported for too long.", l,
          p.checks.front().stale ? 1 : 0);
    e.Add("rsagent_probe_attempts_total", "counter", "Probe attempts since start.", l,
          static_cast<double>(p.attempts));
    e.Add("rsagent_probe_failures_total", "counter", "Failed probe attempts since start.", l,
          static_cast<double>(p.failures));
    if (p.has_result) {
      e.Add("rsagent_probe_last_success", "gauge", "1 when the last attempt passed.", l,
            p.last.outcome.ok ? 1 : 0);
      e.Add("rsagent_probe_latency_seconds", "gauge", "Duration of the last attempt.", l,
            std::chrono::duration<double>(p.last.latency).count());
    }
  }
  // Probe-specific samples (e.g. mysql_*), labelled with the probe name.
  for (const auto& p : snap.probes) {
    if (!p.has_result) continue;
    for (const auto& sample : p.last.samples) {
      Labels l{{"probe", p.name}};
      for (const auto& [k, v] : sample.labels) l.emplace_back(k, v);
      e.Add(sample.name, "gauge", "Reported by the " + p.type + " probe.", l, sample.value);
    }
  }

  for (const auto& v : snap.dr.vips) {
    const Labels l{{"vip", v.address.ToString()}};
    e.Add("rsagent_vip_present", "gauge", "1 when the VIP is bound on its device.", l,
          v.present ? 1 : 0);
    e.Add("rsagent_vip_heals_total", "counter", "Times the VIP was re-bound after removal.", l,
          static_cast<double>(v.heals));
  }
  for (const auto& a : snap.dr.arp) {
    const Labels l{{"interface", a.interface}};
    e.Add("rsagent_arp_ignore", "gauge", "Effective arp_ignore: max(all, interface).", l,
          a.arp_ignore);
    e.Add("rsagent_arp_announce", "gauge", "Effective arp_announce: max(all, interface).", l,
          a.arp_announce);
  }
  if (!snap.dr.vips.empty()) {
    e.Add("rsagent_arp_suppression_effective", "gauge",
          "1 when ARP suppression is effective on every facing interface.", {},
          snap.dr.arp_ok ? 1 : 0);
  }
  if (snap.pair) {
    const pair::WriterReport& r = *snap.pair;
    for (pair::WriterRole role : {pair::WriterRole::kStandby, pair::WriterRole::kCandidate,
                                  pair::WriterRole::kWriter, pair::WriterRole::kHandover}) {
      e.Add("rsagent_mysql_writer_role", "gauge",
            "1 for this node's role in its MySQL pair (standby, candidate, writer, handover).",
            {{"service", r.service}, {"role", pair::WriterRoleName(role)}}, r.role == role ? 1 : 0);
    }
    const Labels l{{"service", r.service}};
    e.Add("rsagent_mysql_writer_term", "gauge", "The highest writer term this node knows.", l,
          static_cast<double>(r.term));
    e.Add("rsagent_mysql_writer_eligible", "gauge",
          "1 when this node proved in its last round that it holds every commit of its peer.", l,
          r.eligible ? 1 : 0);
    e.Add("rsagent_mysql_writer_vouch", "gauge",
          "1 when this node's mysqld is dead and its agent vouches semi-sync delivered every "
          "acknowledged commit to the peer.",
          l, r.vouch ? 1 : 0);
    for (const char* via : {"agent", "mysql"}) {
      const bool up = via == std::string("agent") ? snap.pair_peer.agent_reachable
                                                  : snap.pair_peer.mysql_reachable;
      e.Add("rsagent_mysql_pair_peer_reachable", "gauge",
            "1 when the last round reached the peer (via its agent's /writer, or its MySQL).",
            {{"service", r.service}, {"via", via}}, up ? 1 : 0);
    }
  }
  return e.Render();
}

}  // namespace rsagent::agent
