// Second chance (docs/second-chance.md): attaches the tc program to the
// interface facing the directors and keeps its maps true. One thread per
// peer reads that peer's verdicts from its agent's read-only
// /health/SERVICE (200 = UP; anything else, or no answer in `timeout`, =
// DOWN; nothing else about a peer is believed); a maintenance thread
// refreshes the heartbeat, writes per service which peers may take new
// flows, and publishes the peers and the per-peer counters to the model
// for /status and /metrics.
#pragma once

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "health/health_model.h"
#include "netsetup/second_chance_program.h"

namespace rsagent::agent {

// One peer's verdicts as last read.
struct PeerRead {
  std::vector<bool> up;  // per second-chance service, in the config's order
  std::string error;
  SteadyTime read_at{};
};

// Bit p set: peer p may take new flows of `service` — it said UP on a read
// no older than `fresh` (an old read is no evidence).
uint32_t PeersUpMask(const std::vector<PeerRead>& peers, size_t service, SteadyTime now,
                     std::chrono::milliseconds fresh);

class SecondChance {
 public:
  // Only with [second_chance]; an interface or kernel that refuses the
  // program is an error (the agent does not start half-configured).
  static Result<std::unique_ptr<SecondChance>> Start(const conf::Config& config,
                                                     HealthModel& model);
  ~SecondChance();  // stops the threads, then detaches the program

 private:
  SecondChance(conf::Config config, HealthModel& model,
               std::unique_ptr<netsetup::SecondChanceProgram> program);
  void Poll(size_t peer, std::stop_token stop);
  void Maintain(std::stop_token stop);

  const conf::Config config_;
  HealthModel& model_;
  std::unique_ptr<netsetup::SecondChanceProgram> program_;
  std::mutex mu_;
  std::vector<PeerRead> peers_;        // guarded by mu_; in config_.peers order
  std::vector<std::jthread> threads_;  // last: stopped and joined first
};

}  // namespace rsagent::agent
