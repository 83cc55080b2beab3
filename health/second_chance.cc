#include "health/second_chance.h"

#include <spdlog/spdlog.h>

#include <condition_variable>

#include "common/clock.h"
#include "probes/agent_get.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

// Sleeps `d` or until stop is requested; false when stopping.
bool Sleep(std::stop_token& stop, milliseconds d) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, d, [] { return false; }) && !stop.stop_requested();
}

}  // namespace

uint32_t PeersUpMask(const std::vector<PeerRead>& peers, size_t service, SteadyTime now,
                     milliseconds fresh) {
  uint32_t mask = 0;
  for (size_t p = 0; p < peers.size(); ++p) {
    if (service < peers[p].up.size() && peers[p].up[service] && now - peers[p].read_at <= fresh) {
      mask |= 1u << p;
    }
  }
  return mask;
}

Result<std::unique_ptr<SecondChance>> SecondChance::Start(const conf::Config& config,
                                                          HealthModel& model) {
  const conf::SecondChanceConfig& sc = *config.second_chance;
  auto program = netsetup::SecondChanceProgram::Attach(
      {.interface = sc.interface, .max_flows = sc.max_flows, .max_age = sc.heartbeat_timeout});
  if (!program) return Error{program.error()};
  for (size_t i = 0; i < config.peers.size(); ++i) {
    if (Status s = (*program)->SetPeer(static_cast<int>(i), config.peers[i].mac); !s) {
      return Error{"second chance: peer " + config.peers[i].name + ": " + s.error()};
    }
  }
  std::unique_ptr<SecondChance> self(new SecondChance(config, model, std::move(program).value()));
  for (size_t i = 0; i < config.peers.size(); ++i) {
    self->threads_.emplace_back([s = self.get(), i](std::stop_token stop) { s->Poll(i, stop); });
  }
  self->threads_.emplace_back([s = self.get()](std::stop_token stop) { s->Maintain(stop); });
  return self;
}

SecondChance::SecondChance(conf::Config config, HealthModel& model,
                           std::unique_ptr<netsetup::SecondChanceProgram> program)
    : config_(std::move(config)),
      model_(model),
      program_(std::move(program)),
      peers_(config_.peers.size(),
             PeerRead{.up = std::vector<bool>(config_.second_chance->services.size(), false),
                      .error = "not read yet"}) {}

SecondChance::~SecondChance() {
  for (auto& t : threads_) t.request_stop();
  threads_.clear();  // joins
}

void SecondChance::Poll(size_t index, std::stop_token stop) {
  const conf::SecondChanceConfig& sc = *config_.second_chance;
  const conf::PeerConfig& peer = config_.peers[index];
  while (!stop.stop_requested()) {
    const auto started = Clock::now();
    PeerRead state{.up = std::vector<bool>(sc.services.size(), false)};
    for (size_t s = 0; s < sc.services.size(); ++s) {
      const std::string url = "http://" + peer.agent.ToString() + "/health/" + sc.services[s];
      auto answer = probes::GetFromAgent(url, Clock::now() + sc.timeout, "rsagent-peer");
      if (!answer) {
        state.error = answer.error();
      } else {
        state.up[s] = answer->status == 200;
        if (answer->status != 200 && answer->status != 503) {
          state.error = "GET " + url + ": HTTP " + std::to_string(answer->status);
        }
      }
    }
    state.read_at = Clock::now();
    {
      std::lock_guard lock(mu_);
      peers_[index] = std::move(state);
    }
    const auto spent = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    if (!Sleep(stop, std::max(sc.poll - spent, milliseconds(10)))) return;
  }
}

void SecondChance::Maintain(std::stop_token stop) {
  const conf::SecondChanceConfig& sc = *config_.second_chance;
  // Well inside the program's patience, so a busy agent never trips it.
  const milliseconds step = std::min(sc.poll, sc.heartbeat_timeout / 4);
  // A read older than this is no evidence that the peer is UP.
  const milliseconds fresh = 2 * sc.poll + sc.timeout;
  std::vector<uint32_t> last_masks(sc.services.size(), ~0u);
  std::string last_error;
  do {
    const auto now = Clock::now();
    Status status = program_->Heartbeat();
    std::vector<PeerRead> peers;
    {
      std::lock_guard lock(mu_);
      peers = peers_;
    }
    for (size_t s = 0; s < sc.services.size() && status.ok(); ++s) {
      const uint32_t mask = PeersUpMask(peers, s, now, fresh);
      if (mask == last_masks[s]) continue;
      const conf::ServiceConfig* service = config_.FindService(sc.services[s]);
      status = program_->SetService(*service->vip, service->port, mask);
      if (status.ok()) last_masks[s] = mask;
    }
    SecondChanceView view{.interface = sc.interface};
    auto counters = program_->Counters();
    if (status.ok() && !counters) status = Error{counters.error()};
    for (size_t p = 0; p < peers.size(); ++p) {
      SecondChancePeerView pv{.name = config_.peers[p].name,
                              .agent = config_.peers[p].agent.ToString(),
                              .error = peers[p].error};
      const bool is_fresh = now - peers[p].read_at <= fresh;
      for (size_t s = 0; s < sc.services.size(); ++s) {
        pv.services.push_back({.service = sc.services[s], .up = peers[p].up[s] && is_fresh});
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
  } while (Sleep(stop, step));
}

}  // namespace rsagent::agent
