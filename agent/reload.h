// Reload (SIGHUP or `rsagent reload`): re-reads the config file and applies
// it — VIPs first, then probes, then the health model — or rejects it whole,
// keeping the running config, and says why.
#pragma once

#include <string>

#include "control/reload_outcome.h"
#include "health/dr_supervisor.h"
#include "health/health_model.h"
#include "health/probe_fleet.h"

namespace rsagent::agent {

// On success `current` is the new config. Everything is logged as well.
ReloadOutcome ReloadConfig(const std::string& config_path, HealthModel& model, ProbeFleet& fleet,
                           DrSupervisor& dr, conf::Config& current);

}  // namespace rsagent::agent
