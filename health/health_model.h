// Turns probe results into service verdicts (docs/design.md §6). Thread-safe:
// probe workers Record(), the ticker Refresh()es for staleness, handlers read
// the cached Current() snapshot. A result that flips a verdict is published
// at once; others are coalesced into the next Refresh(), so the cost stays
// linear in the number of probes.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "health/event.h"
#include "health/hysteresis.h"
#include "health/peer_reader.h"
#include "health/snapshot.h"
#include "health/state_changes.h"

namespace rsagent::agent {

class HealthModel {
 public:
  // All probes start DOWN. `now` is the steady clock at construction. Every
  // state change goes to `events` (when given) as one event, after the
  // model's lock is released.
  HealthModel(const conf::Config& config, SteadyTime now, EventSink* events = nullptr);

  // `schedule_delay`: how late the attempt started (shown in /status).
  void Record(const std::string& probe, const probes::ProbeResult& result, SteadyTime finished,
              std::chrono::microseconds schedule_delay = {});
  // What a probe checks is known to be gone (its listener destroyed): the
  // probe and its verdicts turn DOWN now, not after `fall` attempts; `rise`
  // passes still bring it back. A passing attempt that started before this
  // raced with the death and is ignored.
  void FailNow(const std::string& probe, const std::string& reason, SteadyTime now);
  void SetDrStatus(netsetup::DrStatus status, SteadyTime now);
  void SetOverride(const std::string& service, AdminOverride admin, SteadyTime now);
  void SetShuttingDown(SteadyTime now);
  // The MySQL pair's round (pair/writer_arbiter.h): `writer` gates the
  // [pair] service, the report goes into the snapshot. Until the first
  // round the gate is closed.
  void SetPairRound(bool writer, pair::WriterReport report, pair::PeerView peer, SteadyTime now);
  // The latest load sample; weights follow it from the next publication.
  void SetLoad(LoadSample load, SteadyTime now);
  // With [second_chance]: the peers and counters for /status and /metrics.
  void SetSecondChance(SecondChanceView view, SteadyTime now);
  // The peers' standings for the services with max_down (health/peer_reader.h):
  // `reads[p].services[i]` is peer p's for `services[i]`; a read older than
  // `fresh` is no evidence.
  void SetPeerReads(const std::vector<std::string>& services, const std::vector<PeerRead>& reads,
                    std::chrono::milliseconds fresh, SteadyTime now);
  // Re-evaluates time-dependent state (staleness) and republishes, with
  // every result recorded since the last publish.
  void Refresh(SteadyTime now);
  // Swaps in a new config: probes whose config is unchanged keep their state
  // (no flap on reload); others start DOWN again. Overrides of services that
  // still exist are kept.
  void Reconfigure(const conf::Config& config, SteadyTime now);

  std::shared_ptr<const Snapshot> Current() const;
  // The probes of the config in force (a copy: a reload may swap it).
  std::vector<conf::ProbeConfig> ProbeConfigs() const;

 private:
  struct VerdictState {
    std::string role;
    Hysteresis hysteresis;
    WallTime since;            // of the last hysteresis flip
    bool shown_up = false;     // the verdict last published (stale counts as DOWN)
    WallTime shown_since;
    uint64_t transitions = 0;
  };
  struct ProbeState {
    conf::ProbeConfig config;
    std::vector<VerdictState> verdicts;  // [0] = own outcome, then roles in use
    bool has_result = false;
    probes::ProbeResult last;
    SteadyTime last_at;
    std::chrono::microseconds schedule_delay{0};
    uint64_t attempts = 0;
    uint64_t failures = 0;
    ProbeDurations durations;
    SteadyTime failed_now_at{};  // the last FailNow
  };
  struct ServiceState {
    bool up = false;
    WallTime since;
    uint64_t transitions = 0;
    PoolState pool = PoolState::kDown;  // as last published
    SteadyTime failing_since{};         // of the current kFailing episode
    bool pool_down = false;             // that episode went DOWN (max_down allowed it)
  };

  WallTime ToWall(SteadyTime t) const;
  ProbeState MakeProbeState(const conf::ProbeConfig& probe, SteadyTime now) const;
  // Hands the state changes found by publishes to events_, in order.
  void EmitPending();
  // Rebuilds the snapshot and queues the changes it shows; caller holds mu_.
  void PublishLocked(SteadyTime now);
  // The pool's standing of a service just evaluated, and the panic
  // threshold's hold (health/panic_threshold.h); caller holds mu_.
  void ApplyPool(const conf::ServiceConfig& service, ServiceView& view, ServiceState& state,
                 SteadyTime now);

  EventSink* events_;
  std::mutex emit_mu_;
  StateChanges changes_;        // guarded by mu_
  std::vector<Event> pending_;  // guarded by mu_
  mutable std::mutex mu_;
  conf::Config config_;
  std::chrono::system_clock::duration wall_offset_;
  WallTime started_;
  std::map<std::string, ProbeState> probes_;
  std::map<std::string, ServiceState> services_;
  std::map<std::string, AdminOverride> overrides_;
  netsetup::DrStatus dr_;
  bool dr_known_ = false;
  bool shutting_down_ = false;
  bool pair_writer_ = false;
  std::optional<pair::WriterReport> pair_;
  pair::PeerView pair_peer_;
  LoadSample load_;
  std::optional<SecondChanceView> second_chance_;
  std::map<std::string, std::vector<PeerStanding>> pool_peers_;  // by service, per peer
  std::chrono::milliseconds pool_fresh_{0};
  std::shared_ptr<const Snapshot> current_;
};

// How long without a result before a probe counts as failed: two missed
// intervals plus the timeout of the attempt in flight.
std::chrono::milliseconds StaleAfter(const conf::ProbeConfig& probe);

}  // namespace rsagent::agent
