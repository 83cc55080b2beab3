// The daemon's side of the control commands: drain, undrain and maint set
// or clear a service's admin override — written to the OverrideStore first,
// then applied to the model, so what the directors see is never ahead of
// what survives a crash — plus status and reload. Thread-safe; commands that
// change something run one at a time, and one whose deadline passed while it
// waited for its turn is refused, not done (control_protocol.h).
//
// `undrain` clears any override (drain or maint): the one way back into
// rotation, as docs/design.md §4 lists no `unmaint`.
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "control/control_protocol.h"
#include "control/override_store.h"
#include "control/reload_outcome.h"
#include "health/event.h"
#include "health/health_model.h"
#include "pair/writer_arbiter.h"

namespace rsagent::agent {

class Admin {
 public:
  using ReloadFn = std::function<ReloadOutcome()>;
  // promote/switchover on the pair's arbiter; an error when there is no [pair].
  using PairFn = std::function<Result<pair::AdminOutcome>(ControlCommand command)>;

  // Each override that changes is one event on `events` (when given).
  Admin(HealthModel& model, OverrideStore store, ReloadFn reload, std::string version,
        EventSink* events = nullptr, PairFn pair = nullptr);

  // Start-up: applies the stored overrides of services that exist; others
  // are dropped with a warning and the file is rewritten without them. An
  // unreadable file is an error (see override_store.h).
  Status Restore();
  ControlResponse Handle(const ControlRequest& request);
  // SIGHUP takes the same path as `rsagent reload`.
  ReloadOutcome Reload();

 private:
  ControlResponse SetOverride(const ControlRequest& request);
  ReloadOutcome ReloadLocked();
  ControlResponse PairCommand(const ControlRequest& request);
  // Forgets overrides of services the config no longer has; caller holds mu_.
  void PruneLocked(const Snapshot& snapshot);

  HealthModel& model_;
  const OverrideStore store_;
  const ReloadFn reload_;
  const PairFn pair_;
  const std::string version_;
  EventSink* events_;
  std::mutex mu_;
  Overrides overrides_;  // what the store holds
};

}  // namespace rsagent::agent
