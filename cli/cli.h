// The command line (docs/design.md §4): parses arguments and dispatches to one
// command. Returns the process exit code; never exits itself.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace rsagent::agent {

// `args` excludes argv[0].
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace rsagent::agent
