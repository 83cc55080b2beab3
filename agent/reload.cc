#include "agent/reload.h"

#include <spdlog/spdlog.h>

#include "conf/config_loader.h"

namespace rsagent::agent {

namespace {

ReloadOutcome Reject(std::vector<std::string> errors) {
  for (const auto& e : errors) spdlog::error("reload rejected: {}", e);
  spdlog::error("reload rejected: keeping the running config");
  return ReloadOutcome{.errors = std::move(errors),
                       .summary = "reload rejected: the running config is unchanged"};
}

}  // namespace

ReloadOutcome ReloadConfig(const std::string& config_path, HealthModel& model, ProbeFleet& fleet,
                           DrSupervisor& dr, conf::Config& current) {
  if (config_path.empty()) {
    return Reject(
        {"running on the embedded default: there is no file to re-read "
         "(start the agent with -c FILE)"});
  }
  auto loaded = conf::LoadConfigFile(config_path);
  if (auto* config_errors = std::get_if<std::vector<conf::ConfigError>>(&loaded)) {
    std::vector<std::string> errors;
    for (const auto& e : *config_errors) errors.push_back(e.ToString());
    return Reject(std::move(errors));
  }
  conf::Config next = std::get<conf::Config>(std::move(loaded));
  std::string note;
  if (!(next.agent.listen == current.agent.listen)) {
    note = "; agent.listen changed: it takes effect at the next restart";
    spdlog::warn("reload: agent.listen changed; it takes effect at the next restart");
  }
  // VIPs first: a [vip] that cannot be applied rejects the whole reload
  // before any probe changes.
  if (Status s = dr.Reconfigure(next.vip); !s) return Reject({s.error()});
  if (Status s = fleet.Sync(next.probes); !s) return Reject({s.error()});
  model.Reconfigure(next, std::chrono::steady_clock::now());
  current = std::move(next);
  ReloadOutcome outcome{.summary = "reloaded " + current.source + ": " +
                                   std::to_string(current.probes.size()) + " probes, " +
                                   std::to_string(current.services.size()) + " services" + note};
  spdlog::info("{}", outcome.summary);
  return outcome;
}

}  // namespace rsagent::agent
