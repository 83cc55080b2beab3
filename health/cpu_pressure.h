// CPU pressure from PSI (/proc/pressure/cpu, kernel 4.20+): the time in which
// some runnable task waited for a CPU. Unlike the load average it says
// whether work is actually delayed. The one reader of the file; its users are
// the weights (avg10, health/load_sampler.h) and the probe timeouts' verdict
// on starvation (total, health/cpu_starvation.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rsagent::agent {

inline constexpr char kCpuPressurePath[] = "/proc/pressure/cpu";

// The "some" line: "some avg10=1.23 avg60=0.50 avg300=0.10 total=12345".
struct CpuPressure {
  double avg10_percent = 0;  // share of the last 10 s, 0..100
  uint64_t total_us = 0;     // stalled time since boot
};

// Parses the file's text; nullopt when its first line is not a "some" line
// with a valid avg10 and total.
std::optional<CpuPressure> ParseCpuPressure(std::string_view text);

// Reads the file at `path`; nullopt when it is absent, unreadable (CONFIG_PSI
// off, or psi=0 on the kernel command line) or not in that format.
std::optional<CpuPressure> ReadCpuPressure(const std::string& path = kCpuPressurePath);

}  // namespace rsagent::agent
