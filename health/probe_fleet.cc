#include "health/probe_fleet.h"

#include "probes/probe_kinds.h"

namespace rsagent::agent {

void ProbeFleet::Sync(const std::vector<conf::ProbeConfig>& probes) {
  std::map<std::string, std::unique_ptr<probes::Probe>> built;
  for (const auto& config : probes) {
    auto it = runners_.find(config.name);
    if (it != runners_.end() && it->second->config() == config) continue;
    built.emplace(config.name, probes::MakeProbe(config));
  }
  std::map<std::string, std::unique_ptr<ProbeRunner>> next;
  for (const auto& config : probes) {
    auto fresh = built.find(config.name);
    if (fresh == built.end()) {
      next.emplace(config.name, std::move(runners_.at(config.name)));
    } else {
      // Stop the old one before its successor starts.
      if (auto old = runners_.find(config.name); old != runners_.end()) {
        Retire(std::move(old->second));
        runners_.erase(old);
      }
      next.emplace(config.name,
                   std::make_unique<ProbeRunner>(config, std::move(fresh->second), sink_));
    }
  }
  for (auto& [name, removed] : runners_) {
    if (removed) Retire(std::move(removed));
  }
  runners_ = std::move(next);
}

ProbeFleet::~ProbeFleet() {
  for (auto& [name, runner] : runners_) Retire(std::move(runner));
}

void ProbeFleet::Retire(std::unique_ptr<ProbeRunner> runner) {
  runner->Stop();
  reaper_.Bury(std::move(runner));
}

}  // namespace rsagent::agent
