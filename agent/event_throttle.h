// The flood bound for state-change lines: one token bucket per subject (a
// probe, a service, a VIP). A subject may log `burst` changes at once, then
// one per `refill`; changes beyond that are counted, not logged. When the
// bucket has a token again, the last held-back change is logged with the
// count, so the log always ends on the subject's real state.
//
// With the defaults, a probe flapping every second logs 8 lines, then 1 per
// 30 s (each saying how many changes it stands for), instead of 3600 an hour.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"

namespace rsagent::agent {

struct ThrottleLimits {
  int burst = 8;
  std::chrono::milliseconds refill{30'000};
};

class EventThrottle {
 public:
  using Limits = ThrottleLimits;

  explicit EventThrottle(Limits limits = {}) : limits_(limits) {}

  struct Decision {
    bool log = false;
    uint64_t suppressed_before = 0;  // held-back changes this line now accounts for
  };
  // One change of `key`: logged (taking a token) or counted.
  Decision Admit(const std::string& key, SteadyTime now);

  struct Release {
    std::string key;
    uint64_t suppressed = 0;  // changes held back, the last of which is to be logged now
  };
  // Subjects with held-back changes whose bucket has a token again (taken).
  std::vector<Release> Due(SteadyTime now);

  const Limits& limits() const { return limits_; }

 private:
  struct Bucket {
    double tokens = 0;
    SteadyTime refilled;
    uint64_t suppressed = 0;
  };
  void Refill(Bucket& bucket, SteadyTime now) const;

  Limits limits_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace rsagent::agent
