// What every database probe's fuzz target checks of an attempt's result,
// whatever the replies: each DOWN verdict says why, no sample exports an
// unknown as a number (NaN, infinity), and what the agent's probe wrapper
// (SafeProbe) passes on is safe text.
#pragma once

#include <cmath>

#include "common/safe_text.h"
#include "probes/probe.h"
#include "probes/safe_probe.h"
#include "tests/fuzz/fuzz_check.h"

inline void CheckProbeResult(const rsagent::probes::ProbeResult& result) {
  for (const auto& [role, outcome] : result.roles)
    FUZZ_CHECK(outcome.ok || !outcome.reason.empty());
  FUZZ_CHECK(result.outcome.ok || !result.outcome.reason.empty());
  for (const auto& sample : result.samples) FUZZ_CHECK(std::isfinite(sample.value));
  const rsagent::probes::ProbeResult safe = rsagent::probes::MakeSafe(result);
  FUZZ_CHECK(rsagent::IsSafeText(safe.outcome.reason));
  for (const auto& [key, value] : safe.details) {
    FUZZ_CHECK(rsagent::IsSafeText(key) && rsagent::IsSafeText(value));
  }
  for (const auto& [role, outcome] : safe.roles) FUZZ_CHECK(rsagent::IsSafeText(outcome.reason));
}
