// The set of running probes. Sync() makes it match a config: unchanged probes
// keep running untouched, changed ones restart, removed ones stop. All probes
// are built before anything changes, so a bad one leaves the fleet as it was.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/result.h"
#include "health/probe_runner.h"

namespace rsagent::agent {

class ProbeFleet {
 public:
  explicit ProbeFleet(ResultSink sink) : sink_(std::move(sink)) {}

  Status Sync(const std::vector<conf::ProbeConfig>& probes);
  size_t size() const { return runners_.size(); }

 private:
  ResultSink sink_;
  std::map<std::string, std::unique_ptr<ProbeRunner>> runners_;
};

}  // namespace rsagent::agent
