// Shared by the probe kinds: a finished attempt as a ProbeResult, with its
// latency measured from `start` on the monotonic clock.
#pragma once

#include <string>

#include "probes/probe.h"

namespace rsagent::probes {

ProbeResult Passed(Clock::time_point start, std::string note);
ProbeResult Failed(Clock::time_point start, std::string reason);

// "500ms": how reasons name a timeout.
std::string FormatMillis(Clock::duration duration);

}  // namespace rsagent::probes
