#include "control/admin.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "http/status_json.h"

namespace rsagent::agent {

namespace {

AdminState StateFor(ControlCommand command) {
  switch (command) {
    case ControlCommand::kDrain:
      return AdminState::kDrain;
    case ControlCommand::kMaint:
      return AdminState::kMaint;
    default:
      return AdminState::kNone;
  }
}

}  // namespace

Admin::Admin(HealthModel& model, OverrideStore store, ReloadFn reload, std::string version,
             EventSink* events, PairFn pair)
    : model_(model),
      store_(std::move(store)),
      reload_(std::move(reload)),
      pair_(std::move(pair)),
      version_(std::move(version)),
      events_(events) {}

Status Admin::Restore() {
  std::lock_guard lock(mu_);
  auto loaded = store_.Load();
  if (!loaded) {
    return Error{"overrides: " + loaded.error() +
                 " — refusing to start without knowing which services are drained; fix or "
                 "remove the file (removing it puts every service back into rotation)"};
  }
  const auto snapshot = model_.Current();
  overrides_.clear();
  for (const auto& [service, admin] : *loaded) {
    if (!snapshot->FindService(service)) {
      spdlog::warn("overrides: dropping the {} of service \"{}\": not in the config",
                   AdminStateName(admin.state), service);
      continue;
    }
    overrides_[service] = admin;
    model_.SetOverride(service, admin, Clock::now());
    spdlog::warn("overrides: service \"{}\" stays in {} (since {}); `rsagent undrain {}` ends it",
                 service, AdminStateName(admin.state), FormatWallTime(admin.since), service);
  }
  if (overrides_.size() != loaded->size()) return store_.Save(overrides_);
  return Status::Ok();
}

ControlResponse Admin::Handle(const ControlRequest& request) {
  switch (request.command) {
    case ControlCommand::kStatus:
      return ControlResponse{.ok = true, .status = StatusJson(*model_.Current(), version_)};
    case ControlCommand::kReload: {
      std::lock_guard lock(mu_);
      // Checked again here: the command may have waited for another one.
      if (DeadlinePassed(request, std::chrono::system_clock::now())) {
        return DeadlinePassedResponse(request);
      }
      ReloadOutcome outcome = ReloadLocked();
      return ControlResponse{
          .ok = outcome.ok(), .message = outcome.summary, .errors = std::move(outcome.errors)};
    }
    case ControlCommand::kPromote:
    case ControlCommand::kSwitchover:
      return PairCommand(request);
    default:
      return SetOverride(request);
  }
}

// Not under mu_: a switchover takes seconds, and drain/status must not wait.
ControlResponse Admin::PairCommand(const ControlRequest& request) {
  const auto snapshot = model_.Current();
  if (!snapshot->pair || snapshot->pair->service != request.service) {
    return ControlResponse{
        .message = snapshot->pair ? "the pair's service is \"" + snapshot->pair->service + "\""
                                  : "no [pair] in the config (or its first round is not done)"};
  }
  if (!pair_) return ControlResponse{.message = "no [pair] arbiter is running"};
  spdlog::warn("admin: {} {}", ControlCommandName(request.command), request.service);
  auto outcome = pair_(request.command);
  if (!outcome) return ControlResponse{.message = outcome.error()};
  spdlog::warn("admin: {} {}: {}", ControlCommandName(request.command), request.service,
               outcome->message);
  return ControlResponse{
      .ok = outcome->ok, .message = outcome->message, .steps = std::move(outcome->steps)};
}

ReloadOutcome Admin::Reload() {
  std::lock_guard lock(mu_);
  return ReloadLocked();
}

ReloadOutcome Admin::ReloadLocked() {
  ReloadOutcome outcome = reload_();
  if (outcome.ok()) PruneLocked(*model_.Current());
  return outcome;
}

ControlResponse Admin::SetOverride(const ControlRequest& request) {
  std::lock_guard lock(mu_);
  if (DeadlinePassed(request, std::chrono::system_clock::now())) {
    return DeadlinePassedResponse(request);
  }
  const auto snapshot = model_.Current();
  std::vector<std::string> targets;
  if (request.all) {
    for (const auto& s : snapshot->services) targets.push_back(s.name);
  } else if (snapshot->FindService(request.service)) {
    targets.push_back(request.service);
  } else {
    std::string known;
    for (const auto& s : snapshot->services) known += (known.empty() ? "" : ", ") + s.name;
    return ControlResponse{.message = "unknown service \"" + request.service +
                                      "\" (services: " + known + ")"};
  }

  const AdminState state = StateFor(request.command);
  const WallTime now =
      std::chrono::time_point_cast<WallTime::duration>(std::chrono::system_clock::now());
  const Overrides before = overrides_;
  Overrides next = overrides_;
  for (const auto& name : targets) {
    auto it = next.find(name);
    if (state == AdminState::kNone) {
      if (it != next.end()) next.erase(it);
    } else if (it == next.end() || it->second.state != state) {
      next[name] = AdminOverride{.state = state, .since = now};  // unchanged state keeps its since
    }
  }
  // Unwritable state_dir (disk full, read-only): taking services out of
  // rotation is still done — refusing would leave the node serving while
  // the operator believes otherwise — with a loud warning that a restart
  // loses it. Putting them back is refused: a restart would re-drain them.
  std::vector<std::string> warnings;
  if (Status s = store_.Save(next); !s) {
    if (state == AdminState::kNone) {
      spdlog::error("admin: {} refused: cannot persist it: {}", ControlCommandName(request.command),
                    s.error());
      return ControlResponse{.message =
                                 "nothing changed: cannot persist the override: " + s.error()};
    }
    warnings.push_back("NOT PERSISTED: " + s.error() +
                       " — applied in memory only; a restart of the agent puts the service back "
                       "into rotation. Fix agent.state_dir, then repeat the command");
    spdlog::error("admin: {}: {}", ControlCommandName(request.command), warnings.back());
  }
  overrides_ = std::move(next);
  std::string message;
  for (const auto& name : targets) {
    auto it = overrides_.find(name);
    const AdminOverride admin = it == overrides_.end() ? AdminOverride{} : it->second;
    model_.SetOverride(name, admin, Clock::now());
    auto was = before.find(name);
    const AdminOverride previous = was == before.end() ? AdminOverride{} : was->second;
    if (events_ && previous.state != admin.state) {
      Event e{.action = "admin-override",
              .subject = "admin: service " + name,
              .service = name,
              .from = AdminStateName(previous.state),
              .to = AdminStateName(admin.state),
              .reason = std::string("rsagent ") + ControlCommandName(request.command) +
                        (request.all ? " --all" : " " + name) +
                        (warnings.empty() ? "" : " (" + warnings.back() + ")")};
      // "none" has no start time of its own.
      if (previous.state != AdminState::kNone) {
        e.previous_for =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - previous.since);
      }
      events_->Emit(e);
    }
    message += (message.empty() ? "" : ", ") + name + ": " + AdminStateName(admin.state);
  }
  return ControlResponse{.ok = true,
                         .message = message.empty() ? "no services" : message,
                         .warnings = std::move(warnings)};
}

void Admin::PruneLocked(const Snapshot& snapshot) {
  const size_t before = overrides_.size();
  std::erase_if(overrides_, [&](const auto& entry) { return !snapshot.FindService(entry.first); });
  if (overrides_.size() == before) return;
  if (Status s = store_.Save(overrides_); !s) spdlog::error("overrides: {}", s.error());
}

}  // namespace rsagent::agent
