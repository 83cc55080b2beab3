// `rsagent probe NAME`: runs one probe once, prints the result.
#pragma once

#include <iosfwd>
#include <string>

#include "conf/config.h"

namespace rsagent::agent {

// Exit code 0 when the attempt passed, 1 when it failed, 2 for a bad NAME.
int RunProbeCommand(const conf::Config& config, const std::string& name, bool json,
                    std::ostream& out, std::ostream& err);

}  // namespace rsagent::agent
