// Reads what every [peer.NAME] says about the services this node shares
// with it: one thread per peer GETs the peer agent's read-only
// /health/SERVICE for each service every `poll` (bounded by `timeout`).
// 200 is serving, anything else (or no answer) is not; X-Rsagent-Pool is the
// peer's standing for the panic threshold. Nothing else about a peer is
// believed. Used by second chance (which peers may take flows) and by
// max_down (health/panic_threshold.h).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "conf/config.h"
#include "health/panic_threshold.h"

namespace rsagent::agent {

// One peer's answers as last read.
struct PeerRead {
  std::vector<PeerStanding> services;  // per service of the reader, in its order
  std::string error;                   // of the last read ("" when every GET answered)
};

// How often peers are read: [second_chance] poll and timeout, or their
// defaults when only max_down needs the peers.
struct PeerPolling {
  std::chrono::milliseconds poll{200};
  std::chrono::milliseconds timeout{200};
  // A read older than this is no evidence: two missed polls and one timeout.
  std::chrono::milliseconds Fresh() const { return 2 * poll + timeout; }
};
PeerPolling PeerPollingOf(const conf::Config& config);

// The services peers are read for: [second_chance] services first (second
// chance indexes them so), then every other service with max_down. Empty:
// no reader is needed.
std::vector<std::string> PeerServices(const conf::Config& config);

// The standing a GET's answer shows (status and X-Rsagent-Pool): an agent
// without the header is ok when it answers 200, down otherwise.
PeerStanding StandingOf(long status, const std::string& pool_header);

class PeerReader {
 public:
  // Called from a peer's thread after each read of it, without any lock
  // held, with every peer's latest read (Reads()).
  using OnRead = std::function<void(const std::vector<PeerRead>& reads)>;
  PeerReader(const conf::Config& config, OnRead on_read);
  ~PeerReader();  // stops and joins the threads

  const std::vector<std::string>& services() const { return services_; }
  std::vector<PeerRead> Reads() const;  // in config.peers order
  PeerPolling polling() const { return polling_; }

 private:
  void Poll(size_t peer, std::stop_token stop);

  const std::vector<conf::PeerConfig> peers_;
  const std::vector<std::string> services_;
  const PeerPolling polling_;
  const OnRead on_read_;
  mutable std::mutex mu_;
  std::vector<PeerRead> reads_;        // guarded by mu_
  std::vector<std::jthread> threads_;  // last: stopped and joined first
};

}  // namespace rsagent::agent
