#include "health/health_model.h"

#include <set>
#include <string_view>
#include <unordered_map>

#include "conf/duration.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent {

namespace {

// The verdict key a service reads from a probe: its role for probes that
// report roles (probes/probe_kinds.cc), the probe's own outcome otherwise.
std::string VerdictKeyFor(const conf::ServiceConfig& service, const conf::ProbeConfig& probe) {
  if (service.role == conf::Role::kNone) return "";
  if (!probes::KindOf(probe.spec).config.yields_roles) return "";
  return conf::RoleName(service.role);
}

void AppendReason(std::string& reasons, const std::string& reason) {
  if (!reasons.empty()) reasons += "; ";
  reasons += reason;
}

}  // namespace

std::chrono::milliseconds StaleAfter(const conf::ProbeConfig& probe) {
  return 2 * probe.interval + probe.timeout;
}

HealthModel::HealthModel(const conf::Config& config, SteadyTime now, EventSink* events)
    : events_(events),
      wall_offset_(std::chrono::system_clock::now().time_since_epoch() -
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(
                       now.time_since_epoch())),
      started_(ToWall(now)) {
  std::lock_guard lock(mu_);
  config_ = config;
  for (const auto& probe : config_.probes) probes_.emplace(probe.name, MakeProbeState(probe, now));
  PublishLocked(now);
}

WallTime HealthModel::ToWall(SteadyTime t) const {
  return WallTime(std::chrono::duration_cast<std::chrono::system_clock::duration>(
                      t.time_since_epoch()) +
                  wall_offset_);
}

HealthModel::ProbeState HealthModel::MakeProbeState(const conf::ProbeConfig& probe,
                                                    SteadyTime now) const {
  ProbeState state{.config = probe};
  std::set<std::string> keys{""};
  for (const auto& service : config_.services) {
    for (const auto& name : service.probes) {
      if (name == probe.name) keys.insert(VerdictKeyFor(service, probe));
    }
  }
  for (const auto& key : keys) {  // std::set orders "" first
    state.verdicts.push_back(
        VerdictState{.role = key, .hysteresis = Hysteresis(probe.rise, probe.fall), .since = ToWall(now),
                   .shown_since = ToWall(now)});
  }
  return state;
}

void HealthModel::Record(const std::string& probe, const probes::ProbeResult& result,
                         SteadyTime finished, std::chrono::microseconds schedule_delay) {
  std::unique_lock lock(mu_);
  auto it = probes_.find(probe);
  if (it == probes_.end()) return;  // removed by a reload while it ran
  ProbeState& state = it->second;
  if (result.outcome.ok && finished - result.latency < state.failed_now_at) return;
  // A verdict that changes is published at once; any other result waits
  // for the next Refresh (a publish costs O(probes), so one per result made
  // the agent's cost grow with the square of the probe count: issue 16).
  bool publish = !state.has_result;
  state.has_result = true;
  state.last = result;
  state.last_at = finished;
  state.schedule_delay = schedule_delay;
  ++state.attempts;
  if (!result.outcome.ok) ++state.failures;
  state.durations.Observe(std::chrono::duration<double>(result.latency).count());
  for (auto& verdict : state.verdicts) {
    bool ok = result.outcome.ok;
    if (!verdict.role.empty()) {
      auto role = result.roles.find(verdict.role);
      ok = role != result.roles.end() && role->second.ok;
    }
    if (verdict.hysteresis.Observe(ok)) {
      verdict.since = ToWall(finished);
      ++verdict.transitions;
      publish = true;
    }
    // A stale verdict that a fresh result brings back.
    if (verdict.shown_up != verdict.hysteresis.up()) publish = true;
  }
  if (!publish) return;
  PublishLocked(finished);
  lock.unlock();
  EmitPending();
}

void HealthModel::FailNow(const std::string& probe, const std::string& reason, SteadyTime now) {
  std::unique_lock lock(mu_);
  auto it = probes_.find(probe);
  if (it == probes_.end()) return;
  ProbeState& state = it->second;
  state.failed_now_at = now;
  state.has_result = true;
  state.last = probes::ProbeResult{.outcome = {.ok = false, .reason = reason, .gone = true}};
  state.last_at = now;
  for (auto& verdict : state.verdicts) {
    if (verdict.hysteresis.ForceDown()) {
      verdict.since = ToWall(now);
      ++verdict.transitions;
    }
  }
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::SetDrStatus(netsetup::DrStatus status, SteadyTime now) {
  std::unique_lock lock(mu_);
  dr_ = std::move(status);
  dr_known_ = true;
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::SetOverride(const std::string& service, AdminOverride admin, SteadyTime now) {
  std::unique_lock lock(mu_);
  if (admin.state == AdminState::kNone) {
    overrides_.erase(service);
  } else {
    overrides_[service] = admin;
  }
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::SetShuttingDown(SteadyTime now) {
  std::unique_lock lock(mu_);
  shutting_down_ = true;
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::SetPairRound(bool writer, pair::WriterReport report, pair::PeerView peer,
                               SteadyTime now) {
  std::lock_guard lock(mu_);
  pair_writer_ = writer;
  pair_ = std::move(report);
  pair_peer_ = std::move(peer);
  PublishLocked(now);
}

void HealthModel::SetLoad(LoadSample load, SteadyTime now) {
  std::lock_guard lock(mu_);
  load_ = std::move(load);
  PublishLocked(now);
}

void HealthModel::SetSecondChance(SecondChanceView view, SteadyTime now) {
  std::unique_lock lock(mu_);
  second_chance_ = std::move(view);
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::SetPeerReads(const std::vector<std::string>& services,
                               const std::vector<PeerRead>& reads, std::chrono::milliseconds fresh,
                               SteadyTime now) {
  std::unique_lock lock(mu_);
  pool_fresh_ = fresh;
  for (size_t i = 0; i < services.size(); ++i) {
    std::vector<PeerStanding>& peers = pool_peers_[services[i]];
    peers.clear();
    for (const PeerRead& read : reads) {
      peers.push_back(i < read.services.size() ? read.services[i] : PeerStanding{});
    }
  }
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::Refresh(SteadyTime now) {
  std::unique_lock lock(mu_);
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::Reconfigure(const conf::Config& config, SteadyTime now) {
  std::unique_lock lock(mu_);
  config_ = config;
  std::map<std::string, ProbeState> probes;
  for (const auto& probe : config_.probes) {
    ProbeState fresh = MakeProbeState(probe, now);
    auto old = probes_.find(probe.name);
    // Same probe config and same verdict keys: keep everything, no flap.
    bool keep = old != probes_.end() && old->second.config == probe &&
                old->second.verdicts.size() == fresh.verdicts.size();
    for (size_t i = 0; keep && i < fresh.verdicts.size(); ++i) {
      keep = old->second.verdicts[i].role == fresh.verdicts[i].role;
    }
    probes.emplace(probe.name, keep ? std::move(old->second) : std::move(fresh));
  }
  probes_ = std::move(probes);
  std::erase_if(overrides_, [&](const auto& entry) { return !config_.FindService(entry.first); });
  std::erase_if(services_, [&](const auto& entry) { return !config_.FindService(entry.first); });
  PublishLocked(now);
  lock.unlock();
  EmitPending();
}

void HealthModel::EmitPending() {
  if (!events_) return;
  // Held while emitting, so batches from two threads keep their order.
  std::lock_guard emitting(emit_mu_);
  std::vector<Event> events;
  {
    std::lock_guard lock(mu_);
    events.swap(pending_);
  }
  for (const auto& event : events) events_->Emit(event);
}

std::shared_ptr<const Snapshot> HealthModel::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::vector<conf::ProbeConfig> HealthModel::ProbeConfigs() const {
  std::lock_guard lock(mu_);
  return config_.probes;
}

void HealthModel::PublishLocked(SteadyTime now) {
  auto snap = std::make_shared<Snapshot>();
  snap->taken = ToWall(now);
  snap->started = started_;
  snap->shutting_down = shutting_down_;
  if (config_.pair) {
    snap->pair = pair_;
    snap->pair_writer = pair_writer_;
    snap->pair_peer = pair_peer_;
  }
  snap->dr = dr_;
  snap->cpu_pressure = load_.cpu_pressure;
  snap->second_chance = second_chance_;

  // Sized once: grown by doubling, the copies of a 1,000-probe view were
  // the largest transient block of the heap (issue 16, RSS).
  snap->probes.reserve(config_.probes.size());
  snap->services.reserve(config_.services.size());
  for (const auto& probe_config : config_.probes) {
    ProbeState& state = probes_.at(probe_config.name);
    ProbeView view{.name = probe_config.name,
                   .type = std::string(probes::ProbeTypeName(probe_config.spec)),
                   .interval = probe_config.interval,
                   .timeout = probe_config.timeout,
                   .durations = state.durations};
    view.has_result = state.has_result;
    view.last = state.last;
    view.last_at = ToWall(state.last_at);
    view.attempts = state.attempts;
    view.failures = state.failures;
    view.schedule_delay = state.schedule_delay;
    const SteadyTime last = state.has_result ? state.last_at : SteadyTime{};
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - last);
    const bool stale = state.has_result && age > StaleAfter(probe_config);
    for (auto& verdict : state.verdicts) {
      VerdictView cv{.role = verdict.role, .up = verdict.hysteresis.up() && !stale, .stale = stale,
                   .transitions = verdict.transitions};
      if (!cv.up && !stale && state.has_result) {
        const auto role = state.last.roles.find(verdict.role);
        cv.gone = verdict.role.empty() ? state.last.outcome.gone
                                       : role != state.last.roles.end() && role->second.gone;
      }
      // Since when the verdict shown is what it is: a flip of the hysteresis,
      // or staleness turning it DOWN (and a fresh result back UP).
      if (cv.up != verdict.shown_up) {
        verdict.shown_up = cv.up;
        verdict.shown_since = snap->taken;
      }
      cv.since = verdict.shown_since;
      if (!state.has_result) {
        cv.reason = "no result yet";
      } else if (stale) {
        cv.reason = "stale: no result for " + conf::FormatDuration(age);
      } else if (verdict.role.empty()) {
        cv.reason = state.last.outcome.reason;
      } else {
        auto role = state.last.roles.find(verdict.role);
        cv.reason = role != state.last.roles.end() ? role->second.reason
                                                   : "probe reports no " + verdict.role + " verdict";
      }
      view.verdicts.push_back(std::move(cv));
    }
    snap->probes.push_back(std::move(view));
  }

  // snap->probes is in config order: one index serves both, so evaluating
  // the services stays linear in their probes.
  std::unordered_map<std::string_view, size_t> probe_index;
  probe_index.reserve(snap->probes.size());
  for (size_t i = 0; i < snap->probes.size(); ++i) probe_index.emplace(snap->probes[i].name, i);

  bool all_up = !config_.services.empty();
  for (const auto& service : config_.services) {
    ServiceView view{.name = service.name, .vip = service.vip, .port = service.port,
                     .role = service.role, .probes = service.probes};
    std::string reasons;
    std::string causes;
    const auto add = [&](const std::string& reason, const std::string& cause) {
      AppendReason(reasons, reason);
      AppendReason(causes, cause);
    };
    if (shutting_down_) {
      add("shutting down", "shutting down");
      view.causes.shutdown = true;
    }
    // Not the pair's writer: DOWN, and not healthy either (no override to lift).
    const bool pair_gated = config_.pair && config_.pair->service == service.name && !pair_writer_;
    if (pair_gated) add("pair: " + (pair_ ? pair_->reason : std::string("no round yet")), "pair");
    view.causes.pair = pair_gated;
    if (auto it = overrides_.find(service.name); it != overrides_.end()) {
      view.admin = it->second;
      add(AdminStateName(it->second.state), AdminStateName(it->second.state));
      (it->second.state == AdminState::kDrain ? view.causes.drain : view.causes.maint) = true;
    }
    // What is wrong besides an override or the shutdown.
    const size_t admin_part = reasons.size();
    for (const auto& name : service.probes) {
      auto at = probe_index.find(name);
      const VerdictView* verdict =
          at == probe_index.end()
              ? nullptr
              : snap->probes[at->second].Find(VerdictKeyFor(service, config_.probes[at->second]));
      if (!verdict || !verdict->up) {
        std::string what = "probe " + name;
        if (verdict && !verdict->role.empty()) what += " (" + verdict->role + ")";
        add(what + ": " + (verdict ? verdict->reason : "unknown"),
            what + (verdict && verdict->stale ? " stale" : " down"));
        view.causes.probe = true;
        if (!verdict || verdict->gone) view.causes.gone = true;
      }
    }
    if (service.vip) {
      const netsetup::VipStatus* vip = dr_.Find(*service.vip);
      if (!dr_known_) {
        add("VIP " + service.vip->ToString() + ": state not known yet", "vip unknown");
        view.causes.vip = true;
      } else if (!vip || !vip->present) {
        std::string why = vip && !vip->error.empty() ? ": " + vip->error : "";
        add("VIP " + service.vip->ToString() + " not bound on " + config_.vip.device + why,
            "vip missing");
        view.causes.vip = true;
      }
      if (dr_known_ && !dr_.arp_ok) {
        add("ARP suppression not effective: " + dr_.arp_error, "arp not suppressed");
        view.causes.arp = true;
      }
    }
    view.up = reasons.empty();
    view.healthy = !shutting_down_ && !pair_gated && reasons.size() == admin_part;
    view.reason = reasons;
    view.cause = causes;

    ServiceState& state = services_[service.name];
    ApplyPool(service, view, state, now);
    if (state.since == WallTime{}) state.since = started_;
    if (state.up != view.up) {
      state.up = view.up;
      state.since = snap->taken;
      ++state.transitions;
    }
    view.since = state.since;
    view.transitions = state.transitions;
    if (auto it = load_.connections.find(service.name); it != load_.connections.end()) {
      view.connections = it->second;
    }
    view.weighs_by_load = service.weight.by != conf::WeightBy::kNone;
    view.weight = ComputeWeight(
        service.weight,
        {.up = view.up,
         .up_for = std::chrono::duration_cast<std::chrono::milliseconds>(snap->taken - state.since),
         .connections = view.connections.value_or(0),
         .cpu_pressure = load_.cpu_pressure});
    all_up = all_up && view.up;
    snap->services.push_back(std::move(view));
  }
  snap->all_up = all_up;
  if (events_ && current_) {
    for (auto& event : changes_.Between(*current_, *snap)) pending_.push_back(std::move(event));
  }
  current_ = std::move(snap);
}

void HealthModel::ApplyPool(const conf::ServiceConfig& service, ServiceView& view,
                            ServiceState& state, SteadyTime now) {
  // Failing only when it comes from ok: a node that never passed (no result
  // yet, a broken config) or was down for another reason is not held UP.
  const bool failing =
      !view.up && view.causes.OnlyFailingProbes() && state.pool != PoolState::kDown;
  if (failing && state.pool != PoolState::kFailing) {
    // The clock now, not `now` (a probe's finish, maybe earlier): readers
    // get snapshots under mu_, so no GET begun after this can see the node
    // ok any more; the threshold's safety rests on that (panic_threshold.h).
    state.failing_since = Clock::now();
    state.pool_down = false;
  }
  state.pool = view.up ? PoolState::kOk : failing ? PoolState::kFailing : PoolState::kDown;
  view.pool = state.pool;
  if (!failing || !service.max_down) return;

  std::vector<PeerStanding> peers = pool_peers_[service.name];
  peers.resize(config_.peers.size());  // unread peers: down, no evidence
  const PanicDecision decision = DecidePanic({.max_down = *service.max_down,
                                              .failing_since = state.failing_since,
                                              .down = state.pool_down,
                                              .now = now,
                                              .fresh = pool_fresh_,
                                              .peers = std::move(peers)});
  const std::string group = std::to_string(config_.peers.size() + 1);
  if (decision.hold) {
    view.reason = "held UP by max_down " + std::to_string(*service.max_down) + " of " + group +
                  ": " + std::to_string(decision.counted) + " of the " +
                  std::to_string(decision.needed) + " peers needed " +
                  (state.pool_down ? "serving" : "healthy") + " (" + view.reason + ")";
    view.up = true;
    view.held = true;
    view.cause.clear();
    view.causes = DownCauses{};
    state.pool_down = false;
  } else {
    view.reason += "; max_down " + std::to_string(*service.max_down) + " of " + group +
                   " allows it: " + std::to_string(decision.counted) + " peers " +
                   (state.pool_down ? "serving" : "healthy");
    state.pool_down = true;
  }
}

}  // namespace rsagent::agent
