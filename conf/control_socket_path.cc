#include "conf/control_socket_path.h"

#include <unistd.h>

#include <cerrno>

#include "conf/config.h"
#include "conf/config_loader.h"
#include "conf/toml.h"

namespace rsagent::conf {

Result<std::string> ControlSocketPath(const std::string& config_path) {
  std::string path = AgentConfig{}.control_socket;
  if (access(config_path.c_str(), F_OK) != 0 && errno == ENOENT) return path;
  try {
    const toml::table root = toml::parse_file(config_path);
    if (auto value = root["agent"]["control_socket"].value<std::string>()) path = *value;
  } catch (const toml::parse_error&) {
    // The loader says what is wrong, in the same words `check-config` uses.
    // No probe kinds needed: a file that is not TOML fails before any table is read.
    std::string errors;
    for (const std::string& line : LoadConfigFile(config_path, ProbeKindReaders{}).ErrorLines()) {
      errors += (errors.empty() ? "" : "\n") + line;
    }
    return Error{errors.empty() ? config_path + ": not valid TOML" : errors};
  }
  return path;
}

}  // namespace rsagent::conf
