// The CLI's side of the control socket: one request, one response.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"
#include "control/control_protocol.h"

namespace rsagent::agent {

// Errors say what to do: agent not running, not root, timed out.
Result<ControlResponse> CallControl(const std::string& socket_path, const ControlRequest& request,
                                    std::chrono::milliseconds timeout);

}  // namespace rsagent::agent
