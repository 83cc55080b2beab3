#include "probes/probe_outcome.h"

#include <chrono>

namespace rsagent::probes {

namespace {

ProbeResult Finish(Clock::time_point start, bool ok, std::string reason) {
  ProbeResult result;
  result.outcome = {ok, std::move(reason)};
  result.latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  return result;
}

}  // namespace

ProbeResult Passed(Clock::time_point start, std::string note) {
  return Finish(start, true, std::move(note));
}

ProbeResult Failed(Clock::time_point start, std::string reason) {
  return Finish(start, false, std::move(reason));
}

std::string FormatMillis(Clock::duration duration) {
  return std::to_string(std::chrono::round<std::chrono::milliseconds>(duration).count()) + "ms";
}

}  // namespace rsagent::probes
