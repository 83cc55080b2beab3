// The control socket path from a config file that may not validate: an
// operator whose edit broke the config must still reach the agent with
// `rsagent reload` to be told what is wrong.
#pragma once

#include <string>

namespace rsagent::conf {

// agent.control_socket when the file parses as TOML and sets it to a
// string; otherwise the default (AgentConfig::control_socket).
std::string ControlSocketPath(const std::string& config_path);

}  // namespace rsagent::conf
