// Reload (SIGHUP or `rsagent reload`): re-reads the config file and applies
// it — VIPs first, then probes, then the health model — or rejects it whole,
// keeping the running config, and says why.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "control/reload_outcome.h"
#include "health/dr_supervisor.h"
#include "health/event.h"
#include "health/health_model.h"
#include "health/probe_fleet.h"

namespace rsagent::agent {

// What a reload applies besides VIPs, probes and services: the [agent] keys
// that take effect live (allow, log_level; shutdown_grace is read at
// SIGTERM). Called last, once nothing can reject the reload any more.
using ApplyAgentKeys = std::function<void(const conf::AgentConfig&)>;

// On success `current` is the new config. The outcome is one event on
// `events` as well: "reload: reloaded FILE: ..." or "reload: rejected, ...".
ReloadOutcome ReloadConfig(const std::string& config_path, HealthModel& model, ProbeFleet& fleet,
                           DrSupervisor& dr, const ApplyAgentKeys& apply_agent,
                           conf::Config& current, EventSink& events);

// One error per [agent] key that changed but takes effect only at a restart
// (listen, state_dir, control_socket, http_threads, log_format): any of them
// rejects the whole reload, so what runs is always exactly one config file.
std::vector<std::string> RestartOnlyChanges(const conf::AgentConfig& running,
                                            const conf::AgentConfig& next);

}  // namespace rsagent::agent
