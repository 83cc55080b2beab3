#include "health/probe_fleet.h"

#include "probes/probe_kinds.h"

namespace rsagent::agent {

void ProbeFleet::Sync(const std::vector<conf::ProbeConfig> &probes) {
  std::map<std::string, std::unique_ptr<probes::Probe>> built;
  for (const auto &config : probes) {
    auto it = running_.find(config.name);
    if (it != running_.end() && it->second.config == config) continue;
    built.emplace(config.name, probes::MakeProbe(config));
  }
  std::map<std::string, Running> next;
  for (const auto &config : probes) {
    auto old = running_.find(config.name);
    auto fresh = built.find(config.name);
    if (fresh == built.end()) {
      next.emplace(config.name, std::move(old->second));
      running_.erase(old);
      continue;
    }
    // Stop the old one before its successor starts: its late result would
    // land on the successor's name.
    if (old != running_.end()) {
      scheduler_.Remove(old->second.id);
      running_.erase(old);
    }
    next.emplace(config.name, Running{config, scheduler_.Add(config, std::move(fresh->second))});
  }
  for (const auto &[name, removed] : running_) scheduler_.Remove(removed.id);
  running_ = std::move(next);
}

}  // namespace rsagent::agent
