// When to try connecting again after a failure: exponential backoff, so a
// dead or overloaded server sees at most one attempt per probe run and ever
// fewer of them (1 s, 2 s, 4 s ... capped), never a reconnect storm.
#pragma once

#include <chrono>

#include "common/clock.h"

namespace rsagent::probes {

class MysqlBackoff {
 public:
  MysqlBackoff(Clock::duration initial, Clock::duration max) : initial_(initial), max_(max) {}

  bool MayAttempt(Clock::time_point now) const { return now >= next_attempt_; }
  Clock::time_point next_attempt() const { return next_attempt_; }
  void Failed(Clock::time_point now);
  void Succeeded();

 private:
  Clock::duration initial_;
  Clock::duration max_;
  Clock::duration delay_{0};  // 0 while the last attempt succeeded
  Clock::time_point next_attempt_{};
};

}  // namespace rsagent::probes
