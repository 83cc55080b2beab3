// `rsagent status|drain|undrain|maint|reload`: asks the running agent over
// its control socket and prints the answer. Returns the exit code: 0 done,
// 1 refused or failed (a rejected reload prints each config error), 2 usage,
// 3 applied but with a warning (a drain not persisted: lost on restart).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/drain_wait.h"

namespace rsagent::agent {

inline constexpr int kExitNotPersisted = 3;

bool IsAdminCommand(const std::string& command);

// With `wait` (drain and maint only), returns once the services' connections
// are gone, or 1 when the wait times out (see drain_wait.h).
int RunAdminCommand(const std::string& command, const std::vector<std::string>& args, bool json,
                    const std::string& socket_path, std::ostream& out, std::ostream& err,
                    const std::optional<DrainWaitOptions>& wait = std::nullopt);

}  // namespace rsagent::agent
