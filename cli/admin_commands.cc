#include "cli/admin_commands.h"

#include <ostream>

#include "cli/status_table.h"
#include "common/json_dump.h"
#include "control/control_client.h"

namespace rsagent::agent {

namespace {

// A reload re-reads the config and may re-bind VIPs; more than a status needs.
constexpr std::chrono::seconds kControlTimeout{10};
// A switchover is bounded by the agent (switchover_drain + 2 x
// switchover_timeout, each at most minutes); the client just must not give up first.
constexpr std::chrono::minutes kSwitchoverTimeout{65};

// The services a drain or maint took out, as the running agent sees them:
// their VIP:port, and confirmation that their verdict is DOWN.
Result<std::vector<DrainTarget>> DrainedTargets(const ControlRequest& request,
                                                const std::string& socket_path) {
  auto status =
      CallControl(socket_path, ControlRequest{.command = ControlCommand::kStatus}, kControlTimeout);
  RETURN_IF_ERROR(status);
  if (!status->ok || !status->status.contains("services")) {
    return Error{"the agent's status has no services: " + status->message};
  }
  std::vector<DrainTarget> targets;
  for (const auto& s : status->status["services"]) {
    const std::string name = s.value("name", "");
    if (!request.all && name != request.service) continue;
    if (s.value("up", true)) {
      return Error{name + " is still UP after the " + ControlCommandName(request.command)};
    }
    DrainTarget t{.service = name, .port = s.value("port", uint16_t{0})};
    if (auto vip = IpAddress::Parse(s.value("vip", "")); vip) t.vip = *vip;
    if (t.port != 0) targets.push_back(std::move(t));
  }
  if (!request.all && targets.empty()) {
    return Error{"no service " + request.service + " with a port"};
  }
  return targets;
}

}  // namespace

bool IsAdminCommand(const std::string& command) {
  return command == "status" || command == "drain" || command == "undrain" || command == "maint" ||
         command == "reload" || command == "promote" || command == "switchover";
}

int RunAdminCommand(const std::string& command, const std::vector<std::string>& args, bool json,
                    const std::string& socket_path, std::ostream& out, std::ostream& err,
                    const std::optional<DrainWaitOptions>& wait) {
  auto request = RequestFromArgs(command, args);
  if (!request) {
    err << "rsagent " << command << ": " << request.error() << "\n";
    return 2;
  }
  const bool waits_for =
      request->command == ControlCommand::kDrain || request->command == ControlCommand::kMaint;
  if (wait && (!waits_for || json)) {
    err << "rsagent " << command << ": --wait goes with drain or maint, without --json\n";
    return 2;
  }
  auto response = CallControl(
      socket_path, *request,
      request->command == ControlCommand::kSwitchover ? kSwitchoverTimeout : kControlTimeout);
  if (!response) {
    err << "rsagent " << command << ": " << response.error() << "\n";
    return 1;
  }
  // Applied, but not as asked (a drain that could not be persisted): loud,
  // and its own exit status so scripts can tell it from done and refused.
  const int done = response->warnings.empty() ? 0 : kExitNotPersisted;
  if (json) {
    nlohmann::json j = request->command == ControlCommand::kStatus && response->ok
                           ? response->status
                           : nlohmann::json{{"ok", response->ok},
                                            {"message", response->message},
                                            {"errors", response->errors},
                                            {"warnings", response->warnings},
                                            {"steps", response->steps}};
    out << DumpJson(j, 2) << "\n";
    return response->ok ? done : 1;
  }
  for (const auto& step : response->steps) (response->ok ? out : err) << "  " << step << "\n";
  if (!response->ok) {
    for (const auto& e : response->errors) err << e << "\n";
    err << "rsagent " << command << ": " << response->message << "\n";
    return 1;
  }
  if (request->command == ControlCommand::kStatus) {
    out << StatusTable(response->status);
  } else {
    out << response->message << "\n";
  }
  for (const auto& w : response->warnings)
    err << "rsagent " << command << ": WARNING: " << w << "\n";
  if (!wait) return done;
  auto targets = DrainedTargets(*request, socket_path);
  if (!targets) {
    err << "rsagent " << command << " --wait: " << targets.error() << "\n";
    return 1;
  }
  const int drained = WaitForDrain(*targets, *wait, SockDiagLister(), out, err);
  return drained != 0 ? drained : done;
}

}  // namespace rsagent::agent
