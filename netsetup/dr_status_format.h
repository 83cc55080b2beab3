// DrStatus for people (a short table) and for programs (JSON: the one shape
// of DR readiness, printed by `rsagent vip status --json` and served as the
// "dr" member of /status; docs/design.md §7).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "netsetup/dr_status.h"

namespace rsagent::netsetup {

std::string FormatDrStatus(const DrStatus& status);

// {"ready", "managed",
//  "vips": [{"address", "present", "heals", "error"}],
//  "arp": {"ok", "error", "interfaces": [{"interface", "arp_ignore", "arp_announce",
//                                         "effective"}]}}
// Every member is always there ("" for no error), so programs need no
// presence checks.
nlohmann::json DrStatusToJson(const DrStatus& status);

}  // namespace rsagent::netsetup
