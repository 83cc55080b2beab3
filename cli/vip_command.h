// `rsagent vip up|down|status [--json]`: one-shot netsetup for scripts and
// ExecStartPre. Exit codes: 0 done / DR-ready, 1 failed / not ready, 2 usage.
#pragma once

#include <ostream>
#include <string>

#include "conf/config.h"

namespace rsagent::netsetup {

int RunVipCommand(const std::string& action, const conf::Config& config, bool json,
                  std::ostream& out, std::ostream& err);

}  // namespace rsagent::netsetup
