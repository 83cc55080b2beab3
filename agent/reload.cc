#include "agent/reload.h"

#include "common/clock.h"
#include "conf/config_loader.h"
#include "health/peer_reader.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent {

namespace {

ReloadOutcome Reject(std::vector<std::string> errors, EventSink& events) {
  std::string all;
  for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
  events.Emit(Event{.level = spdlog::level::err,
                    .action = "config-reload",
                    .subject = "reload",
                    .reason = "rejected, keeping the running config: " + all});
  return ReloadOutcome{.errors = std::move(errors),
                       .summary = "reload rejected: the running config is unchanged"};
}

}  // namespace

std::vector<std::string> RestartOnlyChanges(const conf::AgentConfig& running,
                                            const conf::AgentConfig& next) {
  std::vector<std::string> errors;
  auto check = [&](const char* key, bool same, const std::string& was, const std::string& is) {
    if (same) return;
    errors.push_back("agent." + std::string(key) + " changed (" + was + " -> " + is +
                     "): it takes effect only at a restart; restore it, or change it and "
                     "restart the agent (systemctl restart rsagent)");
  };
  check("listen", running.listen == next.listen, running.listen.ToString(), next.listen.ToString());
  check("state_dir", running.state_dir == next.state_dir, running.state_dir, next.state_dir);
  check("control_socket", running.control_socket == next.control_socket, running.control_socket,
        next.control_socket);
  check("http_threads", running.http_threads == next.http_threads,
        std::to_string(running.http_threads), std::to_string(next.http_threads));
  check("log_format", running.log_format == next.log_format, running.log_format, next.log_format);
  const auto text = [](const std::optional<Endpoint>& e) { return e ? e->ToString() : "none"; };
  check("agent_check_listen", running.agent_check_listen == next.agent_check_listen,
        text(running.agent_check_listen), text(next.agent_check_listen));
  return errors;
}

ReloadOutcome ReloadConfig(const std::string& config_path, HealthModel& model, ProbeFleet& fleet,
                           DrSupervisor& dr, const ApplyAgentKeys& apply_agent,
                           conf::Config& current, EventSink& events) {
  if (config_path.empty()) {
    return Reject({"running on the embedded default: there is no file to re-read "
                   "(start the agent with -c FILE)"},
                  events);
  }
  conf::LoadResult loaded = conf::LoadConfigFile(config_path, probes::ProbeKindReaders());
  if (!loaded.ok()) return Reject(loaded.ErrorLines(), events);
  conf::Config next = std::move(loaded).config();
  if (auto restart_only = RestartOnlyChanges(current.agent, next.agent); !restart_only.empty()) {
    return Reject(std::move(restart_only), events);
  }
  if (next.pair != current.pair) {
    // The arbiter holds connections and a persisted role for the running
    // [pair]; like agent.listen, it changes only with a restart.
    return Reject({"[pair] changed: restart the agent to apply it (its role persists in " +
                   current.agent.state_dir + "/writer.json)"},
                  events);
  }
  if (next.second_chance != current.second_chance || next.peers != current.peers) {
    // The tc program and its peer readers are set up once, at start.
    return Reject({"[second_chance] or [peer.*] changed: restart the agent to apply it"}, events);
  }
  if (PeerServices(next) != PeerServices(current)) {
    // The peer readers' services are set at start; a new max_down value applies live.
    return Reject({"max_down set on a service that had none, or removed: restart the agent to "
                   "apply it"},
                  events);
  }
  // VIPs first: a [vip] that cannot be applied rejects the whole reload
  // before any probe changes.
  if (Status s = dr.Reconfigure(next.vip); !s) return Reject({s.error()}, events);
  fleet.Sync(next.probes);
  model.Reconfigure(next, Clock::now());
  apply_agent(next.agent);
  current = std::move(next);
  ReloadOutcome outcome{.summary = "reloaded " + current.source + ": " +
                                   std::to_string(current.probes.size()) + " probes, " +
                                   std::to_string(current.services.size()) + " services"};
  events.Emit(Event{.action = "config-reload", .subject = "reload", .reason = outcome.summary});
  return outcome;
}

}  // namespace rsagent::agent
