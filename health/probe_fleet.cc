#include "health/probe_fleet.h"

#include "probes/probe_factory.h"

namespace rsagent::agent {

Status ProbeFleet::Sync(const std::vector<conf::ProbeConfig>& probes) {
  std::map<std::string, std::unique_ptr<probes::Probe>> built;
  for (const auto& config : probes) {
    auto it = runners_.find(config.name);
    if (it != runners_.end() && it->second->config() == config) continue;
    auto probe = probes::MakeProbe(config);
    if (!probe) return Error{"probe " + config.name + ": " + probe.error()};
    built.emplace(config.name, std::move(probe).value());
  }
  std::map<std::string, std::unique_ptr<ProbeRunner>> next;
  for (const auto& config : probes) {
    auto fresh = built.find(config.name);
    if (fresh == built.end()) {
      next.emplace(config.name, std::move(runners_.at(config.name)));
    } else {
      runners_.erase(config.name);  // stop the old one before its successor starts
      next.emplace(config.name,
                   std::make_unique<ProbeRunner>(config, std::move(fresh->second), sink_));
    }
  }
  runners_ = std::move(next);  // destroys (stops) runners of removed probes
  return Status::Ok();
}

}  // namespace rsagent::agent
