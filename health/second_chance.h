// Second chance (docs/second-chance.md): attaches the tc program to the
// interface facing the directors and keeps its maps true. The peers'
// verdicts come from the PeerReader (200 = UP; anything else, or no answer
// in `timeout`, = DOWN); a maintenance thread refreshes the heartbeat,
// writes per service which peers may take new flows, and publishes the
// peers and the per-peer counters to the model for /status and /metrics.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "health/health_model.h"
#include "health/peer_reader.h"
#include "netsetup/second_chance_program.h"

namespace rsagent::agent {

// Bit p set: peer p may take new flows of `service` (an index into the
// reader's services, which start with the second-chance ones) — it said UP
// on a read no older than `fresh` (an old read is no evidence).
uint32_t PeersUpMask(const std::vector<PeerRead>& peers, size_t service, SteadyTime now,
                     std::chrono::milliseconds fresh);

class SecondChance {
 public:
  // Only with [second_chance]; an interface or kernel that refuses the
  // program is an error (the agent does not start half-configured).
  // `peers` reads the peers and outlives this.
  static Result<std::unique_ptr<SecondChance>> Start(const conf::Config& config, HealthModel& model,
                                                     const PeerReader& peers);
  ~SecondChance();  // stops the threads, then detaches the program

 private:
  SecondChance(conf::Config config, HealthModel& model, const PeerReader& peers,
               std::unique_ptr<netsetup::SecondChanceProgram> program);
  void Maintain(std::stop_token stop);

  const conf::Config config_;
  HealthModel& model_;
  const PeerReader& peers_;
  std::unique_ptr<netsetup::SecondChanceProgram> program_;
  std::jthread thread_;  // last: stopped and joined first
};

}  // namespace rsagent::agent
