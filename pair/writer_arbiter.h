// This node's half of the MySQL pair, running: one round every `interval`
// reads the peer (MySQL, then its agent) and the local server, decides
// (writer_decision.h), persists the state before anything shows it, applies
// the read_only fence, and publishes the gate and the report. The admin
// commands promote and switchover act on the same state between rounds.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/ip_address.h"
#include "conf/config.h"
#include "conf/probe_kind_reader.h"
#include "pair/local_server.h"
#include "pair/peer_reader.h"
#include "pair/writer_decision.h"
#include "pair/writer_state.h"

namespace rsagent::pair {

struct AdminOutcome {
  bool ok = false;
  std::vector<std::string> steps;  // what was done, in order, with timings
  std::string message;             // the result, or why it was refused
};

class WriterArbiter {
 public:
  struct Hooks {
    // Why the writer service may not take writes whatever the pair says
    // ("drain"); "" when nothing stops it.
    std::function<std::string()> service_override;
    // After every round: the gate on the writer service and the report.
    std::function<void(bool writer, const WriterReport& report, const PeerView& peer)> publish;
  };

  // Loads the persisted state (an unreadable file is an error: the agent
  // must not start forgetting it was the writer) and starts the rounds.
  // `clients` is the writer service's VIP:port, where its clients connect.
  static Result<std::unique_ptr<WriterArbiter>> Start(const conf::PairConfig& pair,
                                                      const conf::MysqlServer& local,
                                                      const Endpoint& clients,
                                                      const std::string& state_dir, Hooks hooks);
  ~WriterArbiter();

  // Makes this node the writer now, in a new term. Refused when the peer's
  // agent reports itself the writer (use switchover there) or mysqld here
  // does not answer. Does not wait for catch-up: the writer service stays
  // DOWN until the mysql probe sees the server caught up and writable.
  AdminOutcome Promote();
  // Planned handover to the peer, refused unless this node is the writer
  // and the peer is an eligible standby: DOWN until no client connection to
  // the VIP:port was seen for switchover_drain (else refused, still the
  // writer), then read_only=ON, wait until the peer applied our last GTID,
  // wait until it took the role. On a timeout the role comes back here.
  AdminOutcome Switchover();

 private:
  WriterArbiter(const conf::PairConfig& pair, const conf::MysqlServer& local,
                const Endpoint& clients, WriterStateStore store, WriterState state, Hooks hooks);
  void Run(std::stop_token stop);
  void Round();
  // Persists `next` if it differs from state_ and adopts it; caller holds mu_.
  Status AdoptLocked(const WriterState& next);
  // Waits until `done()` (checked after each round, under mu_) or the timeout.
  bool WaitRounds(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout,
                  const std::function<bool()>& done);
  void AbortSwitchover(std::unique_lock<std::mutex>& lock, AdminOutcome* outcome);

  const conf::PairConfig config_;
  const std::string peer_name_;
  const Endpoint clients_;
  const WriterStateStore store_;
  const Hooks hooks_;
  std::mutex local_mu_;  // the local connection: rounds and the switchover
  LocalServer local_;
  PeerReader peer_;  // the round thread only

  std::mutex mu_;
  std::condition_variable round_done_;
  WriterState state_;
  // A switchover's first phase: the writer service answers DOWN while the
  // report still says writer, so the peer cannot claim the role before
  // this server is read_only. Not persisted: a restart ends it.
  bool draining_ = false;
  // For LocalFacts::continuous (round thread only): since when the current
  // local incarnation was read every round, and when the peer was last alive.
  std::optional<SteadyTime> local_since_;
  int64_t local_started_ = 0;
  std::optional<SteadyTime> peer_alive_at_;
  RoundInput last_;  // the facts of the last round
  uint64_t rounds_ = 0;
  std::jthread thread_;  // last: stops before the members it uses go away
};

}  // namespace rsagent::pair
