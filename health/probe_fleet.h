// The set of running probes. Sync() makes it match a config: unchanged probes
// keep running untouched, changed ones restart, removed ones stop. Building a
// probe cannot fail: conf/ validated its spec.
// Sync() and the destructor never wait for an attempt in flight (a reload
// answers at once, SIGTERM keeps to shutdown_grace), and a stopped probe
// reports nothing more (health/probe_scheduler.h runs them).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "health/probe_scheduler.h"

namespace rsagent::agent {

class ProbeFleet {
 public:
  explicit ProbeFleet(ResultSink sink) : scheduler_(std::move(sink)) {}

  void Sync(const std::vector<conf::ProbeConfig> &probes);
  size_t size() const { return running_.size(); }
  // Stopped probes whose attempt in flight has not ended yet.
  size_t stopping() const { return scheduler_.stopping(); }

 private:
  struct Running {
    conf::ProbeConfig config;
    ProbeScheduler::Id id;
  };

  ProbeScheduler scheduler_;
  std::map<std::string, Running> running_;
};

}  // namespace rsagent::agent
