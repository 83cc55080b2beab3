// Where probe text enters the agent. Everything a probe reports comes from
// outside — a script's output, a probed server's answer, a database's error —
// so SafeProbe wraps every probe MakeProbe builds and passes each reason,
// detail and sample through SafeText (common/safe_text.h): what leaves Attempt()
// is valid UTF-8, one line and bounded, whatever the probe read.
#pragma once

#include <memory>

#include "probes/probe.h"

namespace rsagent::probes {

// Every string in `result` made safe (map keys included).
ProbeResult MakeSafe(ProbeResult result);

class SafeProbe : public Probe {
 public:
  explicit SafeProbe(std::unique_ptr<Probe> inner) : inner_(std::move(inner)) {}
  ProbeResult Attempt(Clock::time_point deadline) override {
    return MakeSafe(inner_->Attempt(deadline));
  }
  const Probe& inner() const { return *inner_; }  // the kind it wraps

 private:
  std::unique_ptr<Probe> inner_;
};

}  // namespace rsagent::probes
