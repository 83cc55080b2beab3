#include "tests/bench/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace rsagent::bench {

void LatencyStats::Merge(const LatencyStats& other) {
  samples_us_.insert(samples_us_.end(), other.samples_us_.begin(), other.samples_us_.end());
  sorted_ = false;
}

double LatencyStats::PercentileUs(double q) const {
  if (samples_us_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_us_.begin(), samples_us_.end());
    sorted_ = true;
  }
  const size_t rank = static_cast<size_t>(std::ceil(q * samples_us_.size()));
  return samples_us_[std::clamp<size_t>(rank, 1, samples_us_.size()) - 1];
}

}  // namespace rsagent::bench
