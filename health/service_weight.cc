#include "health/service_weight.h"

#include <algorithm>
#include <cmath>

namespace rsagent::agent {
namespace {

// Linear from 100 % at no load to `min` % at `busy_at` and above.
double LoadPercent(double load, int busy_at, int min) {
  const double share = std::clamp(load / busy_at, 0.0, 1.0);
  return 100.0 - (100.0 - min) * share;
}

}  // namespace

Weight ComputeWeight(const conf::WeightConfig& rules, const WeightInputs& in) {
  if (!in.up) return {};
  double percent = 100.0;
  std::string limited_by;
  auto lower_to = [&](double candidate, const char* why) {
    if (candidate < percent) {
      percent = candidate;
      limited_by = why;
    }
  };

  if (rules.slow_start.count() > 0 && in.up_for < rules.slow_start) {
    const double done = std::max(0.0, static_cast<double>(in.up_for.count())) /
                        static_cast<double>(rules.slow_start.count());
    lower_to(rules.min_percent + (100.0 - rules.min_percent) * done, "slow start");
  }
  if (rules.by == conf::WeightBy::kConnections) {
    lower_to(LoadPercent(static_cast<double>(in.connections), rules.busy_at, rules.min_percent),
             "connections");
  } else if (rules.by == conf::WeightBy::kCpu) {
    if (in.cpu_pressure) {
      lower_to(LoadPercent(*in.cpu_pressure, rules.busy_at, rules.min_percent), "cpu");
    } else if (limited_by.empty()) {
      limited_by = "cpu pressure unreadable";
    }
  }

  Weight w;
  w.percent = static_cast<int>(std::lround(percent));
  // Rounded down to 0 it would read as "drain" to both directors.
  w.absolute = std::max(1, static_cast<int>(std::lround(rules.full * percent / 100.0)));
  w.limited_by = std::move(limited_by);
  return w;
}

}  // namespace rsagent::agent
