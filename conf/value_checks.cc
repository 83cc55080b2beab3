// Value checks shared by several tables and probe kinds.
#include "conf/value_checks.h"

#include <net/if.h>

#include <algorithm>

namespace rsagent::conf {

Result<std::string> ParseAbsolutePath(std::string_view text) {
  if (!text.starts_with('/')) {
    return Error{"\"" + std::string(text) + "\" must be an absolute path"};
  }
  return std::string(text);
}

Status CheckInterfaceName(std::string_view name) {
  const std::string quoted = "\"" + std::string(name) + "\"";
  if (name.empty()) return Error{"an interface name must not be empty"};
  if (name.size() >= IFNAMSIZ) {
    return Error{quoted + " is longer than " + std::to_string(IFNAMSIZ - 1) +
                 " characters, the kernel's limit for interface names"};
  }
  // The kernel's dev_valid_name() rules.
  const bool bad_char = std::any_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == ':' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
  });
  if (bad_char || name == "." || name == "..") {
    return Error{quoted + " is not a valid interface name (no '/', ':' or whitespace)"};
  }
  return Status::Ok();
}

}  // namespace rsagent::conf
