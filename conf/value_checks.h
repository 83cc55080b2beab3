// Value checks shared by several tables, and by probe kinds' readers.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace rsagent::conf {

// Paths are used by a daemon whose working directory is "/".
Result<std::string> ParseAbsolutePath(std::string_view text);
// A Linux interface name: 1..15 bytes (IFNAMSIZ), no '/', ':' or whitespace.
Status CheckInterfaceName(std::string_view name);

}  // namespace rsagent::conf
