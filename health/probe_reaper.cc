#include "health/probe_reaper.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "common/portable_wait.h"

namespace rsagent::agent {

struct ProbeReaper::Shared {
  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::unique_ptr<ProbeRunner>> queue;
  size_t pending = 0;  // queued + being destroyed
  bool closing = false;
};

ProbeReaper::ProbeReaper() : shared_(std::make_shared<Shared>()) {
  std::thread([shared = shared_] {
    std::unique_lock lock(shared->mu);
    for (;;) {
      WaitPortably(shared->changed, lock,
                   [&] { return shared->closing || !shared->queue.empty(); });
      if (shared->queue.empty()) return;  // closing, nothing left
      std::unique_ptr<ProbeRunner> runner = std::move(shared->queue.front());
      shared->queue.pop_front();
      lock.unlock();
      runner.reset();  // joins: waits for the attempt in flight
      lock.lock();
      --shared->pending;
      shared->changed.notify_all();
    }
  }).detach();
}

ProbeReaper::~ProbeReaper() {
  std::unique_lock lock(shared_->mu);
  shared_->closing = true;
  shared_->changed.notify_all();
  if (!shared_->changed.wait_for(lock, kAbandonAfter, [&] { return shared_->pending == 0; })) {
    spdlog::warn("exiting with {} probe attempt(s) still in flight; they are abandoned",
                 shared_->pending);
  }
}

void ProbeReaper::Bury(std::unique_ptr<ProbeRunner> runner) {
  std::lock_guard lock(shared_->mu);
  shared_->queue.push_back(std::move(runner));
  ++shared_->pending;
  shared_->changed.notify_all();
}

size_t ProbeReaper::pending() const {
  std::lock_guard lock(shared_->mu);
  return shared_->pending;
}

}  // namespace rsagent::agent
