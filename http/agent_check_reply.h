// HAProxy's agent-check protocol (server keyword `agent-check`): the agent
// answers one line of words and closes. What rsagent answers, as a pure
// function of the line HAProxy sent (`agent-send "web\n"` names the
// service) and the cached snapshot:
//
//   up ready 75%       UP; the weight as a share of HAProxy's configured one
//   drain              drained: no new connections, existing ones finish
//   maint              under maintenance
//   down #reason       DOWN (probes, VIP, ARP, shutting down, unknown service)
//
// "ready" is always sent with "up": it ends a drain or maint HAProxy holds
// from an earlier answer. Without a name (no agent-send) the node's only
// service is meant; with several, UP only when all are.
#pragma once

#include <string>
#include <string_view>

#include "health/snapshot.h"

namespace rsagent::agent {

// The whole answer, newline-terminated.
std::string AgentCheckReply(std::string_view request, const Snapshot& snapshot);

}  // namespace rsagent::agent
