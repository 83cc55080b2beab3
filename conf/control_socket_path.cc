#include "conf/control_socket_path.h"

#include "conf/config.h"
#include "conf/toml.h"

namespace rsagent::conf {

std::string ControlSocketPath(const std::string& config_path) {
  std::string path = AgentConfig{}.control_socket;
  try {
    const toml::table root = toml::parse_file(config_path);
    if (auto value = root["agent"]["control_socket"].value<std::string>()) path = *value;
  } catch (const toml::parse_error&) {
    // Not TOML at all: the default is the best guess; reload will report the error.
  }
  return path;
}

}  // namespace rsagent::conf
