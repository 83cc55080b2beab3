// Destroys stopped ProbeRunners on its own thread. Destroying a runner waits
// for its attempt in flight (an exec probe running `sleep 20` for up to its
// timeout); doing that here, not under the reload's or the shutdown's locks,
// lets a reload answer at once and SIGTERM keep to shutdown_grace.
#pragma once

#include <chrono>
#include <memory>

#include "health/probe_runner.h"

namespace rsagent::agent {

class ProbeReaper {
 public:
  ProbeReaper();
  // Waits at most kAbandonAfter for the runners still in flight, then
  // abandons them (logged): the process is exiting, and a stopped runner
  // touches nothing but itself.
  ~ProbeReaper();

  ProbeReaper(const ProbeReaper&) = delete;
  ProbeReaper& operator=(const ProbeReaper&) = delete;

  // `runner` must be Stop()-ped already, so it reports nothing more.
  void Bury(std::unique_ptr<ProbeRunner> runner);
  // Runners handed over and not yet destroyed.
  size_t pending() const;

  static constexpr std::chrono::milliseconds kAbandonAfter{500};

 private:
  struct Shared;  // outlives this object when runners are abandoned
  std::shared_ptr<Shared> shared_;
};

}  // namespace rsagent::agent
