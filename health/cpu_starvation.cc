#include "health/cpu_starvation.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace rsagent::agent {

namespace {

// Long enough to cover any probe timeout (≤ interval ≤ 1 h is allowed, but
// a timeout beyond this just gets no verdict on starvation).
constexpr auto kKeep = std::chrono::seconds(120);

}  // namespace

std::optional<uint64_t> CpuStarvation::Read() const {
  // A small procfs file: one open/read/close; no blocking beyond that.
  const int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[256];
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return std::nullopt;
  buf[n] = '\0';
  // "some avg10=0.00 avg60=0.00 avg300=0.00 total=12345\nfull ..."
  if (std::strncmp(buf, "some ", 5) != 0) return std::nullopt;
  const char* total = std::strstr(buf, "total=");
  const char* eol = std::strchr(buf, '\n');
  if (total == nullptr || (eol != nullptr && total > eol)) return std::nullopt;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(total + 6, &end, 10);
  if (end == total + 6) return std::nullopt;
  return value;
}

void CpuStarvation::SampleLocked(Clock::time_point now, bool force) {
  if (unavailable_) return;
  if (!force && !samples_.empty() && now - samples_.back().at < kMinSampleGap) return;
  const std::optional<uint64_t> stalled = Read();
  if (!stalled) {
    unavailable_ = samples_.empty();  // never readable: stop trying
    return;
  }
  samples_.push_back({now, *stalled});
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
