#include "health/peer_reader.h"

#include <algorithm>

#include "common/clock.h"
#include "common/stop_sleep.h"
#include "probes/agent_get.h"

namespace rsagent::agent {
using std::chrono::milliseconds;

PeerPolling PeerPollingOf(const conf::Config& config) {
  if (!config.second_chance) return {};
  return {.poll = config.second_chance->poll, .timeout = config.second_chance->timeout};
}

std::vector<std::string> PeerServices(const conf::Config& config) {
  std::vector<std::string> services;
  if (config.second_chance) services = config.second_chance->services;
  for (const conf::ServiceConfig& service : config.services) {
    if (service.max_down &&
        std::find(services.begin(), services.end(), service.name) == services.end()) {
      services.push_back(service.name);
    }
  }
  return services;
}

PeerStanding StandingOf(long status, const std::string& pool_header) {
  PeerStanding standing{.serving = status == 200};
  if (auto state = ParsePoolState(pool_header)) {
    standing.state = *state;
  } else {
    standing.state = standing.serving ? PoolState::kOk : PoolState::kDown;
  }
  return standing;
}

PeerReader::PeerReader(const conf::Config& config, OnRead on_read)
    : peers_(config.peers),
      services_(PeerServices(config)),
      polling_(PeerPollingOf(config)),
      on_read_(std::move(on_read)),
      reads_(peers_.size(), PeerRead{.services = std::vector<PeerStanding>(services_.size()),
                                     .error = "not read yet"}) {
  for (size_t i = 0; i < peers_.size(); ++i) {
    threads_.emplace_back([this, i](std::stop_token stop) { Poll(i, stop); });
  }
}

PeerReader::~PeerReader() {
  for (auto& t : threads_) t.request_stop();
  threads_.clear();  // joins
}

std::vector<PeerRead> PeerReader::Reads() const {
  std::lock_guard lock(mu_);
  return reads_;
}

void PeerReader::Poll(size_t index, std::stop_token stop) {
  const conf::PeerConfig& peer = peers_[index];
  while (!stop.stop_requested()) {
    const auto started = Clock::now();
    PeerRead read{.services = std::vector<PeerStanding>(services_.size())};
    for (size_t s = 0; s < services_.size(); ++s) {
      const std::string url = "http://" + peer.agent.ToString() + "/health/" + services_[s];
      const auto begun = Clock::now();
      auto answer = probes::GetFromAgent(url, begun + polling_.timeout, "rsagent-peer");
      PeerStanding& standing = read.services[s];
      if (!answer) {
        read.error = answer.error();
      } else {
        auto pool = answer->headers.find("x-rsagent-pool");
        standing = StandingOf(answer->status,
                              pool == answer->headers.end() ? std::string() : pool->second);
        if (answer->status != 200 && answer->status != 503) {
          read.error = "GET " + url + ": HTTP " + std::to_string(answer->status);
        }
      }
      standing.read_started = begun;
      standing.read_done = Clock::now();
    }
    {
      std::lock_guard lock(mu_);
      reads_[index] = std::move(read);
    }
    if (on_read_) on_read_(Reads());
    const auto spent = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    if (!SleepUnlessStopped(stop, std::max(polling_.poll - spent, milliseconds(10)))) return;
  }
}

}  // namespace rsagent::agent
