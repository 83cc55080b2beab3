#include "health/cpu_starvation.h"

#include <algorithm>

#include "health/cpu_pressure.h"

namespace rsagent::agent {

namespace {

// Long enough to cover any probe timeout (≤ interval ≤ 1 h is allowed, but
// a timeout beyond this just gets no verdict on starvation).
constexpr auto kKeep = std::chrono::seconds(120);

}  // namespace

void CpuStarvation::SampleLocked(Clock::time_point now, bool force) {
  if (unavailable_) return;
  if (!force && !samples_.empty() && now - samples_.back().at < kMinSampleGap) return;
  const std::optional<CpuPressure> pressure = ReadCpuPressure(path_);
  if (!pressure) {
    unavailable_ = samples_.empty();  // never readable: stop trying
    return;
  }
  samples_.push_back({now, pressure->total_us});
  while (samples_.size() > 2 && now - samples_[1].at > kKeep) samples_.pop_front();
}

void CpuStarvation::Sample(Clock::time_point now) {
  std::lock_guard lock(mu_);
  SampleLocked(now, /*force=*/false);
}

std::optional<double> CpuStarvation::StarvedShare(Clock::time_point from, Clock::time_point to) {
  std::lock_guard lock(mu_);
  SampleLocked(to, /*force=*/true);
  if (samples_.size() < 2) return std::nullopt;
  const Point* start = nullptr;
  for (const Point& p : samples_) {
    if (p.at <= from) start = &p;
  }
  const Point& end = samples_.back();
  if (start == nullptr || end.at <= start->at) return std::nullopt;
  const double wall_us = std::chrono::duration<double, std::micro>(end.at - start->at).count();
  const double stalled_us = static_cast<double>(end.stalled_us - start->stalled_us);
  return std::min(1.0, std::max(0.0, stalled_us / wall_us));
}

void NoteStarvation(double share, probes::ProbeResult* result) {
  const std::string percent = std::to_string(static_cast<int>(share * 100 + 0.5)) + "%";
  const std::string note = "; host CPU starved during the attempt (tasks waited for a CPU " +
                           percent + " of the time, /proc/pressure/cpu)";
  if (!result->outcome.ok) result->outcome.reason += note;
  for (auto& [role, outcome] : result->roles) {
    if (!outcome.ok) outcome.reason += note;
  }
  result->details["cpu_starved"] = percent;
}

}  // namespace rsagent::agent
