// CPU pressure from PSI (/proc/pressure/cpu, kernel 4.20+): the share of the
// last 10 s in which some runnable task waited for a CPU. Unlike the load
// average it says whether work is actually delayed.
#pragma once

#include <optional>
#include <string>

namespace rsagent::agent {

// The "some avg10" value, in percent, of the file's text; nullopt when the
// text is not in that format.
std::optional<double> ParseCpuPressure(const std::string& text);

// Reads /proc/pressure/cpu; nullopt when it is absent or unreadable
// (CONFIG_PSI off, or psi=0 on the kernel command line).
std::optional<double> ReadCpuPressure();

}  // namespace rsagent::agent
