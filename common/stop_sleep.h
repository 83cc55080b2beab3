// A sleep that a std::jthread's stop request ends early, for the loops of
// the agent's background threads (peer reads, second chance's maintenance).
#pragma once

#include <chrono>
#include <stop_token>

namespace rsagent {

// Sleeps `duration` or until `stop` is requested; false when stopping.
bool SleepUnlessStopped(std::stop_token& stop, std::chrono::milliseconds duration);

}  // namespace rsagent
