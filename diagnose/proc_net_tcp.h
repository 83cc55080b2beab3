// Listening sockets from /proc/net/tcp and /proc/net/tcp6 (the current
// network namespace's), parsed without privileges.
#pragma once

#include <string>
#include <vector>

#include "diagnose/host.h"

namespace rsagent::agent::diagnose {

// Rows in state 0A (LISTEN); `v6` selects the tcp6 address format.
// Malformed rows are skipped.
std::vector<Listener> ParseProcNetTcp(const std::string& text, bool v6);

}  // namespace rsagent::agent::diagnose
