#include "health/listener_guard.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"
#include "common/stop_sleep.h"
#include "netsetup/sock_diag.h"
#include "probes/watched_listeners.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

// Stopping interrupts the wait (ListenerWatch::Interrupt), so it can be long:
// a quiet host costs no wake-ups (issue 16: 5 a second were 0.03 % of a core).
constexpr milliseconds kWaitStep{60'000};
constexpr milliseconds kRetryAfter{200};    // after an error of the socket
constexpr milliseconds kQueryTimeout{200};  // one sock_diag listener query

bool IsWildcard(const IpAddress& address) {
  return std::all_of(address.bytes(), address.bytes() + address.size(),
                     [](uint8_t b) { return b == 0; });
}

}  // namespace

Result<bool> StillListening(const Endpoint& endpoint) {
  auto sockets = netsetup::ListTcpSockets(
      {.states = netsetup::Bit(netsetup::TcpState::kListen), .local_port = endpoint.port},
      kQueryTimeout);
  RETURN_IF_ERROR(sockets);
  return std::any_of(sockets->begin(), sockets->end(), [&](const netsetup::TcpSocket& s) {
    return s.local.address == endpoint.address || IsWildcard(s.local.address);
  });
}

void ListenerGuard::Apply(const netsetup::ListenerWatch::Event& event, HealthModel& model,
                          const Listening& listening, SteadyTime now) {
  if (event.ports.empty() && !event.overrun) return;
  for (const conf::ProbeConfig& probe : model.ProbeConfigs()) {
    for (const Endpoint& target : probes::WatchedListeners(probe)) {
      const bool reported = event.overrun || std::find(event.ports.begin(), event.ports.end(),
                                                       target.port) != event.ports.end();
      if (!reported) continue;
      Result<bool> served = listening(target);
      if (!served) {
        spdlog::warn("probe {}: cannot tell whether {} still has a listener: {}", probe.name,
                     target.ToString(), served.error());
        continue;
      }
      if (*served) continue;
      model.FailNow(probe.name,
                    "no listener on " + target.ToString() + " (its socket was destroyed)", now);
      break;  // one dead target is enough for this probe
    }
  }
}

Result<std::unique_ptr<ListenerGuard>> ListenerGuard::Start(HealthModel& model) {
  ASSIGN_OR_RETURN(auto watch, netsetup::ListenerWatch::Open());
  std::unique_ptr<ListenerGuard> guard(new ListenerGuard(std::move(watch)));
  guard->thread_ = std::jthread([&model, watch = guard->watch_.get()](std::stop_token stop) {
    const std::stop_callback interrupt(stop, [watch] { watch->Interrupt(); });
    while (!stop.stop_requested()) {
      auto event = watch->Wait(kWaitStep);
      if (!event) {
        spdlog::warn("listener watch: {}", event.error());
        SleepUnlessStopped(stop, kRetryAfter);  // no busy loop on a broken socket
        continue;
      }
      Apply(*event, model, StillListening, Clock::now());
    }
  });
  return guard;
}

ListenerGuard::ListenerGuard(std::unique_ptr<netsetup::ListenerWatch> watch)
    : watch_(std::move(watch)) {}

ListenerGuard::~ListenerGuard() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rsagent::agent
