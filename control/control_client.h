// The CLI's side of the control socket: one request, one response.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"
#include "control/control_protocol.h"

namespace rsagent::agent {

// Errors say what to do: agent not running, not root, timed out. The
// request is sent with a deadline DeadlineMargin(timeout) before `timeout`
// ends: the agent does not act on it later, so a timed-out command was not
// done. The server must run as root (or as the caller): SO_PEERCRED.
std::chrono::milliseconds DeadlineMargin(std::chrono::milliseconds timeout);

Result<ControlResponse> CallControl(const std::string& socket_path, const ControlRequest& request,
                                    std::chrono::milliseconds timeout);

}  // namespace rsagent::agent
