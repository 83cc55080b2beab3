#include "http/metrics.h"

#include <charconv>
#include <cmath>
#include <map>
#include <vector>

namespace rsagent::agent {

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
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
    AddTo(name, type, help, name, labels, value);
  }
  // A sample named other than its family (a histogram's _bucket, _sum, _count).
  void AddTo(const std::string& family, const std::string& type, const std::string& help,
             const std::string& name, const Labels& labels, double value) {
    auto [it, inserted] = families_.try_emplace(family);
    if (inserted) {
      order_.push_back(family);
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
    it->second.lines += line + " " + FormatValue(value) + "\n";
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

double Seconds(WallTime t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

double Seconds(std::chrono::milliseconds d) { return std::chrono::duration<double>(d).count(); }

Labels With(Labels labels, const std::string& key, const std::string& value) {
  labels.emplace_back(key, value);
  return labels;
}

const char* RoleName(const ServiceView& s) {
  return s.role == conf::Role::kNone ? "none" : conf::RoleName(s.role);
}

void AddProcess(Exposition& e, const ProcessStats& p) {
  e.Add("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.", {},
        p.cpu_seconds);
  e.Add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", {},
        p.resident_bytes);
  e.Add("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", {},
        p.virtual_bytes);
  e.Add("process_open_fds", "gauge", "Number of open file descriptors.", {}, p.open_fds);
  e.Add("process_max_fds", "gauge", "Maximum number of open file descriptors.", {}, p.max_fds);
  e.Add("process_start_time_seconds", "gauge",
        "Start time of the process, seconds since the epoch.", {}, p.start_time_seconds);
}

void AddServices(Exposition& e, const Snapshot& snap) {
  for (const auto& s : snap.services) {
    const Labels l{{"service", s.name}};
    e.Add("rsagent_service_up", "gauge", "1 when the service's verdict is UP.", l, s.up ? 1 : 0);
    e.Add("rsagent_service_info", "gauge",
          "The service's role and VIP (1); join on service for per-VIP views such as writers.",
          {{"service", s.name},
           {"role", RoleName(s)},
           {"vip", s.vip ? s.vip->ToString() : ""},
           {"port", std::to_string(s.port)}},
          1);
    e.Add("rsagent_service_transitions_total", "counter",
          "Verdict changes of the service since start.", l, static_cast<double>(s.transitions));
    e.Add("rsagent_service_state_change_timestamp_seconds", "gauge",
          "When the service's verdict last changed, seconds since the epoch.", l, Seconds(s.since));
    const std::pair<const char*, bool> causes[] = {
        {"shutdown", s.causes.shutdown}, {"drain", s.causes.drain}, {"maint", s.causes.maint},
        {"probe", s.causes.probe},       {"vip", s.causes.vip},     {"arp", s.causes.arp}};
    for (const auto& [cause, on] : causes) {
      e.Add("rsagent_service_down_cause", "gauge",
            "1 for each kind of cause holding the service DOWN (full reason: /status, the log).",
            With(l, "cause", cause), on ? 1 : 0);
    }
    e.Add("rsagent_service_held", "gauge",
          "1 while the pool's panic threshold (max_down) holds the service UP although its "
          "probes fail.",
          l, s.held ? 1 : 0);
    e.Add("rsagent_service_weight", "gauge",
          "Weight the service asks its directors for (0 when not UP).", l, s.weight.absolute);
    e.Add("rsagent_service_weight_percent", "gauge",
          "The same as a percentage of the configured full weight.", l, s.weight.percent);
    if (s.connections) {
      e.Add("rsagent_service_connections", "gauge",
            "Served TCP connections (established, SYN-RECV, CLOSE-WAIT) on the service's "
            "VIP:port.",
            l, static_cast<double>(*s.connections));
    }
    for (AdminState st : {AdminState::kDrain, AdminState::kMaint}) {
      e.Add("rsagent_service_admin_state", "gauge",
            "1 for the admin override in force (drain, maint).",
            With(l, "state", AdminStateName(st)), s.admin.state == st ? 1 : 0);
    }
    if (s.admin.state != AdminState::kNone) {
      e.Add("rsagent_service_admin_state_timestamp_seconds", "gauge",
            "When the admin override in force was set, seconds since the epoch.",
            With(l, "state", AdminStateName(s.admin.state)), Seconds(s.admin.since));
    }
  }
}

void AddDurations(Exposition& e, const Labels& l, const ProbeDurations& d) {
  const std::string name = "rsagent_probe_duration_seconds";
  const std::string help = "Duration of every probe attempt.";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kProbeDurationBuckets.size(); ++i) {
    cumulative += d.counts[i];
    e.AddTo(name, "histogram", help, name + "_bucket",
            With(l, "le", FormatValue(kProbeDurationBuckets[i])), static_cast<double>(cumulative));
  }
  e.AddTo(name, "histogram", help, name + "_bucket", With(l, "le", "+Inf"),
          static_cast<double>(d.count));
  e.AddTo(name, "histogram", help, name + "_sum", l, d.sum_seconds);
  e.AddTo(name, "histogram", help, name + "_count", l, static_cast<double>(d.count));
}

void AddProbes(Exposition& e, const Snapshot& snap) {
  for (const auto& p : snap.probes) {
    const Labels l{{"probe", p.name}, {"type", p.type}};
    const VerdictView& own = p.verdicts.front();
    e.Add("rsagent_probe_up", "gauge", "1 when the probe's verdict (after rise/fall) is UP.", l,
          own.up ? 1 : 0);
    e.Add("rsagent_probe_transitions_total", "counter", "UP/DOWN changes of the probe's verdict.",
          l, static_cast<double>(own.transitions));
    e.Add("rsagent_probe_state_change_timestamp_seconds", "gauge",
          "When the probe's verdict last changed, seconds since the epoch.", l, Seconds(own.since));
    for (size_t i = 1; i < p.verdicts.size(); ++i) {
      const VerdictView& c = p.verdicts[i];
      const Labels rl = With(l, "role", c.role);
      e.Add("rsagent_probe_role_up", "gauge",
            "1 when the probe's verdict for a role (writer, reader) is UP.", rl, c.up ? 1 : 0);
      e.Add("rsagent_probe_role_transitions_total", "counter",
            "UP/DOWN changes of the probe's verdict for a role.", rl,
            static_cast<double>(c.transitions));
    }
    e.Add("rsagent_probe_stale", "gauge", "1 when the probe has not reported for too long.", l,
          own.stale ? 1 : 0);
    e.Add("rsagent_probe_attempts_total", "counter", "Probe attempts since start.", l,
          static_cast<double>(p.attempts));
    e.Add("rsagent_probe_failures_total", "counter", "Failed probe attempts since start.", l,
          static_cast<double>(p.failures));
    e.Add("rsagent_probe_interval_seconds", "gauge", "The probe's configured interval.", l,
          Seconds(p.interval));
    e.Add("rsagent_probe_timeout_seconds", "gauge", "The probe's configured timeout.", l,
          Seconds(p.timeout));
    AddDurations(e, l, p.durations);
    if (p.has_result) {
      e.Add("rsagent_probe_last_success", "gauge", "1 when the last attempt passed.", l,
            p.last.outcome.ok ? 1 : 0);
      e.Add("rsagent_probe_last_attempt_timestamp_seconds", "gauge",
            "When the last attempt finished, seconds since the epoch.", l, Seconds(p.last_at));
    }
  }
  // What a probe measured (rsagent_mysql_*), labelled like every probe family.
  for (const auto& p : snap.probes) {
    if (!p.has_result) continue;
    for (const auto& sample : p.last.samples) {
      Labels l{{"probe", p.name}, {"type", p.type}};
      for (const auto& [k, v] : sample.labels) l.emplace_back(k, v);
      e.Add(sample.name, sample.counter ? "counter" : "gauge",
            sample.help.empty() ? "Reported by the " + p.type + " probe." : sample.help, l,
            sample.value);
    }
  }
}

void AddDr(Exposition& e, const Snapshot& snap) {
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
}

void AddPair(Exposition& e, const Snapshot& snap) {
  if (!snap.pair) return;
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

void AddSecondChance(Exposition& e, const Snapshot& snap) {
  if (!snap.second_chance) return;
  for (const auto& peer : snap.second_chance->peers) {
    const Labels l{{"peer", peer.name}};
    e.Add("rsagent_second_chance_packets_total", "counter",
          "Packets this node could not serve and handed to the peer at L2.", l,
          static_cast<double>(peer.packets));
    e.Add("rsagent_second_chance_connections_total", "counter",
          "Connections (SYNs) this node could not serve and handed to the peer.", l,
          static_cast<double>(peer.flows));
    for (const auto& s : peer.services) {
      e.Add("rsagent_peer_up", "gauge", "1 while the peer's agent answers 200 on /health/SERVICE.",
            {{"peer", peer.name}, {"service", s.service}}, s.up ? 1 : 0);
    }
  }
}

}  // namespace

std::string RenderMetrics(const Snapshot& snap, const std::string& version,
                          const std::optional<ProcessStats>& process) {
  Exposition e;
  e.Add("rsagent_build_info", "gauge", "rsagent build information.", {{"version", version}}, 1);
  e.Add("rsagent_start_timestamp_seconds", "gauge",
        "When the agent started, seconds since the epoch.", {}, Seconds(snap.started));
  e.Add("rsagent_shutting_down", "gauge", "1 while the agent drains before exiting.", {},
        snap.shutting_down ? 1 : 0);
  if (process) AddProcess(e, *process);
  AddServices(e, snap);
  AddProbes(e, snap);
  AddDr(e, snap);
  AddPair(e, snap);
  AddSecondChance(e, snap);
  return e.Render();
}

}  // namespace rsagent::agent
