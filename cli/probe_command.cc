#include "cli/probe_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "common/clock.h"
#include "common/json_dump.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent {

int RunProbeCommand(const conf::Config& config, const std::string& name, bool json,
                    std::ostream& out, std::ostream& err) {
  const conf::ProbeConfig* probe_config = config.FindProbe(name);
  if (!probe_config) {
    err << "rsagent: no probe named \"" << name << "\" in " << config.source << "\n";
    return 2;
  }
  std::unique_ptr<probes::Probe> probe = probes::MakeProbe(*probe_config);
  const auto start = Clock::now();
  const probes::ProbeResult r = probe->Attempt(start + probe_config->timeout);
  const double ms = r.latency.count() / 1000.0;
  if (json) {
    nlohmann::json roles = nlohmann::json::object();
    for (const auto& [role, o] : r.roles) roles[role] = {{"ok", o.ok}, {"reason", o.reason}};
    out << DumpJson(nlohmann::json{{"probe", name},
                                   {"type", probes::ProbeTypeName(probe_config->spec)},
                                   {"ok", r.outcome.ok},
                                   {"reason", r.outcome.reason},
                                   {"latency_ms", ms},
                                   {"roles", roles},
                                   {"details", r.details}},
                    2)
        << "\n";
  } else {
    out << name << " (" << probes::ProbeTypeName(probe_config->spec) << "): "
        << (r.outcome.ok ? "PASS" : "FAIL") << " in " << ms << " ms";
    if (!r.outcome.reason.empty()) out << " — " << r.outcome.reason;
    out << "\n";
    for (const auto& [role, o] : r.roles) {
      out << "  " << role << ": " << (o.ok ? "PASS" : "FAIL");
      if (!o.reason.empty()) out << " — " << o.reason;
      out << "\n";
    }
    for (const auto& [key, value] : r.details) out << "  " << key << " = " << value << "\n";
  }
  return r.outcome.ok ? 0 : 1;
}

}  // namespace rsagent::agent
