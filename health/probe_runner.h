// Runs one probe on its own thread, on its own schedule, so a slow or hung
// probe never delays another probe or an HTTP answer. The health model's
// staleness rule covers a probe that overruns its deadline anyway.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "conf/config.h"
#include "probes/probe.h"

namespace rsagent::agent {

using ResultSink = std::function<void(const std::string& probe, const probes::ProbeResult&,
                                      std::chrono::steady_clock::time_point finished)>;

class ProbeRunner {
 public:
  // Starts the thread. The first attempt is spread over the first interval
  // (a stable offset from the name) so probes do not all fire together.
  ProbeRunner(conf::ProbeConfig config, std::unique_ptr<probes::Probe> probe, ResultSink sink);
  // Stops and joins; waits for an attempt in flight (bounded by its timeout).
  ~ProbeRunner();

  // Returns at once; after it, the sink is never called again, even by an
  // attempt in flight. The destructor still waits for that attempt (see
  // ProbeReaper, which destroys stopped runners off the caller's thread).
  void Stop();

  ProbeRunner(const ProbeRunner&) = delete;
  ProbeRunner& operator=(const ProbeRunner&) = delete;

  const conf::ProbeConfig& config() const { return config_; }

 private:
  void Loop(std::stop_token stop);

  conf::ProbeConfig config_;
  std::unique_ptr<probes::Probe> probe_;
  ResultSink sink_;
  std::mutex mu_;  // serializes Stop() with the sink call
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: started after everything it uses
};

}  // namespace rsagent::agent
