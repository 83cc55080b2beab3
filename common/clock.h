// The one clock: every deadline, timeout, interval and age in rsagent is on
// the monotonic clock, so a step of the wall clock (NTP, `date -s`) neither
// expires nor extends any of them. Wall time (health/snapshot.h WallTime) is
// only shown to people.
#pragma once

#include <chrono>

namespace rsagent {

using Clock = std::chrono::steady_clock;
using SteadyTime = Clock::time_point;

}  // namespace rsagent
