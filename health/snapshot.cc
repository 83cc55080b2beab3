#include "health/snapshot.h"

namespace rsagent::agent {

const char* AdminStateName(AdminState state) {
  switch (state) {
    case AdminState::kNone: return "none";
    case AdminState::kDrain: return "drain";
    case AdminState::kMaint: return "maint";
  }
  return "none";
}

void ProbeDurations::Observe(double seconds) {
  for (size_t i = 0; i < kProbeDurationBuckets.size(); ++i) {
    if (seconds <= kProbeDurationBuckets[i]) {
      ++counts[i];
      break;
    }
  }
  ++count;
  sum_seconds += seconds;
}

const VerdictView* ProbeView::Find(const std::string& role) const {
  for (const auto& verdict : verdicts) {
    if (verdict.role == role) return &verdict;
  }
  return nullptr;
}

const ServiceView* Snapshot::FindService(const std::string& name) const {
  for (const auto& service : services) {
    if (service.name == name) return &service;
  }
  return nullptr;
}

}  // namespace rsagent::agent
