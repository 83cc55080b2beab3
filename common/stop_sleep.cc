#include "common/stop_sleep.h"

#include <condition_variable>
#include <mutex>

namespace rsagent {

bool SleepUnlessStopped(std::stop_token& stop, std::chrono::milliseconds duration) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, duration, [] { return false; }) && !stop.stop_requested();
}

}  // namespace rsagent
