#include "health/second_chance.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/stop_sleep.h"

namespace rsagent::agent {

using std::chrono::milliseconds;

uint32_t PeersUpMask(const std::vector<PeerRead>& peers, size_t service, SteadyTime now,
                     milliseconds fresh) {
  uint32_t mask = 0;
  for (size_t p = 0; p < peers.size(); ++p) {
    if (service >= peers[p].services.size()) continue;
    const PeerStanding& standing = peers[p].services[service];
    if (standing.serving && now - standing.read_done <= fresh) mask |= 1u << p;
  }
  return mask;
}

Result<std::unique_ptr<SecondChance>> SecondChance::Start(const conf::Config& config,
                                                          HealthModel& model,
                                                          const PeerReader& peers) {
  const conf::SecondChanceConfig& sc = *config.second_chance;
  ASSIGN_OR_RETURN(
      auto program,
      netsetup::SecondChanceProgram::Attach(
          {.interface = sc.interface, .max_flows = sc.max_flows, .max_age = sc.heartbeat_timeout}));
  for (size_t i = 0; i < config.peers.size(); ++i) {
    if (Status s = program->SetPeer(static_cast<int>(i), *config.peers[i].mac); !s) {
      return Error{"second chance: peer " + config.peers[i].name + ": " + s.error()};
    }
  }
  std::unique_ptr<SecondChance> self(new SecondChance(config, model, peers, std::move(program)));
  self->thread_ = std::jthread([s = self.get()](std::stop_token stop) { s->Maintain(stop); });
  return self;
}

SecondChance::SecondChance(conf::Config config, HealthModel& model, const PeerReader& peers,
                           std::unique_ptr<netsetup::SecondChanceProgram> program)
    : config_(std::move(config)), model_(model), peers_(peers), program_(std::move(program)) {}

SecondChance::~SecondChance() {
  thread_.request_stop();
  thread_ = {};  // joins
}

void SecondChance::Maintain(std::stop_token stop) {
  const conf::SecondChanceConfig& sc = *config_.second_chance;
  // Well inside the program's patience, so a busy agent never trips it.
  const milliseconds step = std::min(sc.poll, sc.heartbeat_timeout / 4);
  // A read older than this is no evidence that the peer is UP.
  const milliseconds fresh = peers_.polling().Fresh();
  std::vector<uint32_t> last_masks(sc.services.size(), ~0u);
  std::string last_error;
  do {
    const auto now = Clock::now();
    Status status = program_->Heartbeat();
    const std::vector<PeerRead> peers = peers_.Reads();
    for (size_t s = 0; s < sc.services.size() && status.ok(); ++s) {
      const uint32_t mask = PeersUpMask(peers, s, now, fresh);
      if (mask == last_masks[s]) continue;
      const conf::ServiceConfig* service = config_.FindService(sc.services[s]);
      status = program_->SetService(*service->vip, service->port, mask);
      if (status.ok()) last_masks[s] = mask;
    }
    SecondChanceView view{.interface = sc.interface};
    auto counters = program_->Counters();
    if (status.ok()) status = counters.status();
    for (size_t p = 0; p < peers.size(); ++p) {
      SecondChancePeerView pv{.name = config_.peers[p].name,
                              .agent = config_.peers[p].agent.ToString(),
                              .error = peers[p].error};
      bool is_fresh = true;
      for (size_t s = 0; s < sc.services.size(); ++s) {
        const PeerStanding& standing = peers[p].services[s];
        const bool read_fresh = now - standing.read_done <= fresh;
        is_fresh = is_fresh && read_fresh;
        pv.services.push_back({.service = sc.services[s], .up = standing.serving && read_fresh});
      }
      if (!is_fresh && pv.error.empty())
        pv.error = "no read for " + std::to_string(fresh.count()) + " ms";
      if (counters) {
        pv.packets = (*counters)[p].packets;
        pv.flows = (*counters)[p].flows;
      }
      view.peers.push_back(std::move(pv));
    }
    view.error = status.ok() ? "" : status.error();
    if (view.error != last_error) {
      if (!view.error.empty()) spdlog::warn("second chance: {}", view.error);
      last_error = view.error;
    }
    model_.SetSecondChance(std::move(view), now);
  } while (SleepUnlessStopped(stop, step));
}

}  // namespace rsagent::agent
