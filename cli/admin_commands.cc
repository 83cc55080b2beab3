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

}  // namespace

bool IsAdminCommand(const std::string& command) {
  return command == "status" || command == "drain" || command == "undrain" || command == "maint" ||
         command == "reload" || command == "promote" || command == "switchover";
}

int RunAdminCommand(const std::string& command, const std::vector<std::string>& args, bool json,
                    const std::string& socket_path, std::ostream& out, std::ostream& err) {
  auto request = RequestFromArgs(command, args);
  if (!request) {
    err << "rsagent " << command << ": " << request.error() << "\n";
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
  return done;
}

}  // namespace rsagent::agent
