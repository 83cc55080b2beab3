#include "probes/mysql_backoff.h"

#include <algorithm>

namespace rsagent::probes {

void MysqlBackoff::Failed(Clock::time_point now) {
  delay_ = delay_ == Clock::duration::zero() ? initial_ : std::min(delay_ * 2, max_);
  next_attempt_ = now + delay_;
}

void MysqlBackoff::Succeeded() {
  delay_ = Clock::duration::zero();
  next_attempt_ = {};
}

}  // namespace rsagent::probes
