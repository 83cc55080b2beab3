// Builds the probe a [probe.NAME] section describes.
#pragma once

#include <memory>

#include "common/result.h"
#include "conf/config.h"
#include "probes/probe.h"

namespace rsagent::probes {

// Fails on a spec the probe cannot run (say, a URL it cannot parse); the
// error names the probe: "probe nginx: ...". What the probe reports is made
// safe (probes/safe_probe.h).
Result<std::unique_ptr<Probe>> MakeProbe(const conf::ProbeConfig& config);

}  // namespace rsagent::probes
