// Event-driven DOWN: turns a tcp or http probe DOWN the moment the last
// listener of one of its targets is destroyed (kill -9, crash, OOM kill,
// stop), within milliseconds instead of `fall` probe intervals. A report
// only says a listener on some port died; the guard then asks sock_diag
// whether another one still serves the target (nginx listens on several
// sockets, a reload opens new ones before closing old ones), so only a
// target nobody listens on any more counts. Coming back UP is still the
// scheduled probe's business (`rise`).
#pragma once

#include <functional>
#include <memory>
#include <thread>

#include "health/health_model.h"
#include "netsetup/listener_watch.h"

namespace rsagent::agent {

class ListenerGuard {
 public:
  // Whether a socket still listens for `endpoint` (on its address or a
  // wildcard address, on its port).
  using Listening = std::function<Result<bool>(const Endpoint& endpoint)>;

  // Subscribes and starts the thread. An error (the kernel refuses the
  // subscription without CAP_NET_ADMIN) leaves scheduled probes in charge.
  static Result<std::unique_ptr<ListenerGuard>> Start(HealthModel& model);
  ~ListenerGuard();  // interrupts the wait and joins the thread

  // One report applied to the model's current probes: every watching probe
  // with a target on a reported port (any port, after an overrun) that
  // `listening` says is served no more is failed now. Errors of `listening`
  // fail nothing. Public for tests.
  static void Apply(const netsetup::ListenerWatch::Event& event, HealthModel& model,
                    const Listening& listening, SteadyTime now);

 private:
  explicit ListenerGuard(std::unique_ptr<netsetup::ListenerWatch> watch);

  std::unique_ptr<netsetup::ListenerWatch> watch_;
  std::jthread thread_;
};

// The sock_diag answer to ListenerGuard::Listening.
Result<bool> StillListening(const Endpoint& endpoint);

}  // namespace rsagent::agent
