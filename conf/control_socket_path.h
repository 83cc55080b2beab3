// The control socket path from a config file that may not validate: an
// operator whose edit broke the config must still reach the agent with
// `rsagent reload` to be told what is wrong.
#pragma once

#include <string>

#include "common/result.h"

namespace rsagent::conf {

// agent.control_socket when the file parses as TOML and sets it to a
// string; the default (AgentConfig::control_socket) when it does not set it
// or the file does not exist (the agent then runs the embedded default).
// A file that is not TOML, or cannot be read, is an error "FILE:LINE:COL:
// message": guessing the default socket would then answer "is the agent
// running?" about an agent that may well run, on another socket.
Result<std::string> ControlSocketPath(const std::string& config_path);

}  // namespace rsagent::conf
