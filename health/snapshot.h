// A consistent, immutable picture of every verdict at one instant. The HTTP
// handlers, `rsagent status` and the metrics all render one of these; nothing
// that answers a request ever runs a probe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "health/panic_threshold.h"
#include "health/service_weight.h"
#include "netsetup/dr_status.h"
#include "pair/writer_report.h"
#include "probes/probe.h"

namespace rsagent::agent {

using WallTime = std::chrono::system_clock::time_point;

enum class AdminState { kNone, kDrain, kMaint };
const char* AdminStateName(AdminState state);  // "none", "drain", "maint"

struct AdminOverride {
  AdminState state = AdminState::kNone;
  WallTime since;
};

// Hysteresis state of one verdict a probe feeds: its own outcome (role "")
// or a role-specific one ("writer", "reader").
struct VerdictView {
  std::string role;
  bool up = false;
  bool stale = false;       // no result for too long: counts as DOWN
  bool gone = false;        // DOWN because what it checks is not running (Outcome::gone)
  WallTime since;           // current state since
  uint64_t transitions = 0;
  std::string reason;       // of the last result (or why it is stale)
};

// Upper bounds (seconds) of the probe duration histogram's buckets: fine
// below 100 ms where local probes live, then up to the 10 s a timeout may be.
inline constexpr std::array<double, 16> kProbeDurationBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10};

struct ProbeDurations {
  std::array<uint64_t, kProbeDurationBuckets.size()> counts{};  // per bucket, not cumulative
  uint64_t count = 0;                                           // every attempt (+Inf)
  double sum_seconds = 0;
  void Observe(double seconds);
};

struct ProbeView {
  std::string name;
  std::string type;
  std::chrono::milliseconds interval{0};
  std::chrono::milliseconds timeout{0};
  ProbeDurations durations;
  std::vector<VerdictView> verdicts;  // [0] is the probe's own outcome
  bool has_result = false;
  probes::ProbeResult last;       // valid when has_result
  WallTime last_at;
  // How late the last attempt started after it was due (the agent's own
  // lateness: a busy pool or a starved CPU). Not part of its timeout.
  std::chrono::microseconds schedule_delay{0};
  uint64_t attempts = 0;
  uint64_t failures = 0;

  const VerdictView* Find(const std::string& role) const;
};

// The kinds of cause that hold a service DOWN (several may at once); the
// metric rsagent_service_down_cause{cause} and the log's levels use them.
struct DownCauses {
  bool shutdown = false, drain = false, maint = false;  // intended
  bool probe = false, vip = false, arp = false;         // faults
  bool gone = false;  // among the probe causes, a service that is not running
  bool pair = false;  // not the [pair]'s writer
  bool Fault() const { return probe || vip || arp; }
  // Failing probes and nothing else, none of them a dead service: what the
  // pool's panic threshold may hold UP.
  bool OnlyFailingProbes() const {
    return probe && !gone && !pair && !shutdown && !drain && !maint && !vip && !arp;
  }
};

struct ServiceView {
  std::string name;
  bool up = false;
  std::string reason;  // one line; empty when up
  // Why it is DOWN in the agent's own fixed words, without any probe,
  // database or server text ("probe nginx down; vip missing"): what /health
  // may tell anyone who can reach the port. The full reason is in /status.
  std::string cause;
  DownCauses causes;
  std::optional<IpAddress> vip;
  uint16_t port = 0;
  conf::Role role = conf::Role::kNone;
  std::vector<std::string> probes;
  AdminOverride admin;
  WallTime since;
  uint64_t transitions = 0;
  // UP but for an admin override: what a director that takes drain/maint from
  // elsewhere (HAProxy's agent-check) checks over HTTP.
  bool healthy = false;
  std::optional<uint64_t> connections;  // served connections on VIP:port; unset: not sampled
  // Its weight follows the node's load (weight_by): sampled every second,
  // else every 10 s (the count in /status and /metrics).
  bool weighs_by_load = false;
  Weight weight;                        // what the directors are asked for
  // With max_down: how it stands for its peers (X-Rsagent-Pool), and whether
  // the panic threshold holds it UP although its probes fail (`reason` says
  // so and why they fail).
  PoolState pool = PoolState::kDown;
  bool held = false;
};

// The node's load as the daemon last sampled it (health/load_sampler.h).
struct LoadSample {
  std::map<std::string, uint64_t> connections;  // per service; absent: query failed
  std::optional<double> cpu_pressure;           // PSI cpu some avg10, percent
};

// With [second_chance]: the peers as last read and what was handed to them.
struct SecondChancePeerView {
  struct Service {
    std::string service;
    bool up = false;  // its agent said 200 on the last fresh read
  };
  std::string name;
  std::string agent;  // "IP:PORT"
  std::vector<Service> services;
  std::string error;  // of the last read, or why it is stale
  uint64_t packets = 0;  // handed over to it
  uint64_t flows = 0;    // connections handed over to it
};
struct SecondChanceView {
  std::string interface;
  std::vector<SecondChancePeerView> peers;
  std::string error;  // the program's maps could not be written or read
};

struct Snapshot {
  WallTime taken;
  WallTime started;
  bool shutting_down = false;
  bool all_up = false;  // every service UP (and at least one service)
  std::vector<ServiceView> services;
  std::vector<ProbeView> probes;
  netsetup::DrStatus dr;
  // With [pair]: this node's report (GET /writer), after its first round.
  std::optional<pair::WriterReport> pair;
  bool pair_writer = false;  // the gate: this node takes writes for the pair
  pair::PeerView pair_peer;
  std::optional<double> cpu_pressure;
  std::optional<SecondChanceView> second_chance;

  const ServiceView* FindService(const std::string& name) const;
};

}  // namespace rsagent::agent
