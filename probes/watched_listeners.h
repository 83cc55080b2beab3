// The local listening endpoints whose loss means a probe's service is dead,
// for the kinds whose row in probes/probe_kinds.cc says so (tcp: its targets;
// http: the URL's address and port; probes only ever talk to this node).
// Empty for other kinds and with watch_listener = false.
#pragma once

#include <vector>

#include "common/ip_address.h"
#include "conf/config.h"

namespace rsagent::probes {

std::vector<Endpoint> WatchedListeners(const conf::ProbeConfig& probe);

}  // namespace rsagent::probes
