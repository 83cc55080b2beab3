// DrStatus for people (a short table) and for programs (JSON, the shape of
// `rsagent vip status --json` and of the "vips"/"arp" parts of /status).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "netsetup/dr_status.h"

namespace rsagent::netsetup {

std::string FormatDrStatus(const DrStatus& status);

// {"ready", "managed", "vips": [{"address", "present", "heals", "error"}],
//  "arp": [{"interface", "arp_ignore", "arp_announce", "effective"}],
//  "arp_ok", "arp_error"}; empty errors are omitted.
nlohmann::json DrStatusToJson(const DrStatus& status);

}  // namespace rsagent::netsetup
