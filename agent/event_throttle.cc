#include "agent/event_throttle.h"

#include <algorithm>

namespace rsagent::agent {

void EventThrottle::Refill(Bucket& bucket, SteadyTime now) const {
  const double earned = std::chrono::duration<double>(now - bucket.refilled) /
                        std::chrono::duration<double>(limits_.refill);
  bucket.tokens = std::min<double>(limits_.burst, bucket.tokens + std::max(earned, 0.0));
  bucket.refilled = now;
}

EventThrottle::Decision EventThrottle::Admit(const std::string& key, SteadyTime now) {
  auto [it, fresh] = buckets_.try_emplace(key);
  Bucket& bucket = it->second;
  if (fresh) {
    bucket.tokens = limits_.burst;
    bucket.refilled = now;
  }
  Refill(bucket, now);
  if (bucket.tokens < 1) {
    ++bucket.suppressed;
    return {};
  }
  bucket.tokens -= 1;
  const Decision decision{.log = true, .suppressed_before = bucket.suppressed};
  bucket.suppressed = 0;
  return decision;
}

std::vector<EventThrottle::Release> EventThrottle::Due(SteadyTime now) {
  std::vector<Release> due;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Bucket& bucket = it->second;
    Refill(bucket, now);
    if (bucket.suppressed && bucket.tokens >= 1) {
      bucket.tokens -= 1;
      // The released line is the last held-back change; the others before it.
      due.push_back({.key = it->first, .suppressed = bucket.suppressed});
      bucket.suppressed = 0;
    }
    // A full, quiet bucket is the same as none: forget it (keys of removed
    // probes and services do not pile up across reloads).
    if (!bucket.suppressed && bucket.tokens >= limits_.burst) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  return due;
}

}  // namespace rsagent::agent
