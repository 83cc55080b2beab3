// The set of running probes. Sync() makes it match a config: unchanged probes
// keep running untouched, changed ones restart, removed ones stop. Building a
// probe cannot fail: conf/ validated its spec.
// Sync() and the destructor never wait for an attempt in flight: stopped
// runners go to a ProbeReaper (a reload answers at once, SIGTERM keeps to
// shutdown_grace), and report nothing after they are stopped.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "health/probe_reaper.h"
#include "health/probe_runner.h"

namespace rsagent::agent {

class ProbeFleet {
 public:
  explicit ProbeFleet(ResultSink sink) : sink_(std::move(sink)) {}
  ~ProbeFleet();  // stops every runner; waits at most ProbeReaper::kAbandonAfter

  void Sync(const std::vector<conf::ProbeConfig>& probes);
  size_t size() const { return runners_.size(); }
  // Stopped runners whose attempt in flight has not ended yet.
  size_t stopping() const { return reaper_.pending(); }

 private:
  void Retire(std::unique_ptr<ProbeRunner> runner);

  ResultSink sink_;
  ProbeReaper reaper_;  // before runners_: destroyed after them
  std::map<std::string, std::unique_ptr<ProbeRunner>> runners_;
};

}  // namespace rsagent::agent
