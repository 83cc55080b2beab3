// Latency samples of one benchmark run and the summary the report prints.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace rsagent::bench {

class LatencyStats {
 public:
  void Add(std::chrono::nanoseconds latency) {
    samples_us_.push_back(latency.count() / 1000.0);
    sorted_ = false;
  }
  void Merge(const LatencyStats& other);
  size_t count() const { return samples_us_.size(); }

  // Nearest-rank percentile in microseconds, q in [0, 1]; 0 when empty.
  double PercentileUs(double q) const;

 private:
  mutable std::vector<double> samples_us_;
  mutable bool sorted_ = false;
};

}  // namespace rsagent::bench
