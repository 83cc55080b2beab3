#include "cli/vip_command.h"

#include "common/json_dump.h"
#include "netsetup/dr_keeper.h"
#include "netsetup/dr_status_format.h"

namespace rsagent::netsetup {
namespace {

void Print(const DrStatus& status, bool json, std::ostream& out) {
  if (json) {
    out << DumpJson(DrStatusToJson(status), 2) << '\n';
  } else {
    out << FormatDrStatus(status);
  }
}

int Fail(const std::string& action, const std::string& message, std::ostream& err) {
  err << "rsagent vip " << action << ": " << message << '\n';
  return 1;
}

}  // namespace

int RunVipCommand(const std::string& action, const conf::Config& config, bool json,
                  std::ostream& out, std::ostream& err) {
  if (action == "status") {
    auto status = DrKeeper::InspectOnce(config.vip);
    if (!status) return Fail(action, status.error(), err);
    Print(*status, json, out);
    return status->Ready() ? 0 : 1;
  }
  if (action != "up" && action != "down") {
    err << "usage: rsagent vip up|down|status [-c FILE] [--json]\n";
    return 2;
  }
  auto keeper = DrKeeper::Create(config.vip);
  if (!keeper) return Fail(action, keeper.error(), err);
  const Status done = action == "up" ? (*keeper)->Apply() : (*keeper)->RemoveVips();
  if (!done) return Fail(action, done.error(), err);
  const DrStatus status = (*keeper)->Inspect();
  Print(status, json, out);
  return action == "down" || status.Ready() ? 0 : 1;
}

}  // namespace rsagent::netsetup
