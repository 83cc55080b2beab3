#include "probes/safe_probe.h"

#include "common/safe_text.h"

namespace rsagent::probes {

namespace {

std::map<std::string, std::string> SafeMap(const std::map<std::string, std::string>& raw) {
  std::map<std::string, std::string> safe;
  for (const auto& [key, value] : raw) safe[SafeText(key)] = SafeText(value);
  return safe;
}

}  // namespace

ProbeResult MakeSafe(ProbeResult result) {
  result.outcome.reason = SafeText(result.outcome.reason);
  std::map<std::string, Outcome> roles;
  for (auto& [role, outcome] : result.roles) {
    roles[SafeText(role)] = Outcome{outcome.ok, SafeText(outcome.reason)};
  }
  result.roles = std::move(roles);
  for (Sample& sample : result.samples) {
    sample.name = SafeText(sample.name);
    sample.labels = SafeMap(sample.labels);
  }
  result.details = SafeMap(result.details);
  return result;
}

}  // namespace rsagent::probes
