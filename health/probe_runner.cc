#include "health/probe_runner.h"

#include <functional>

namespace rsagent::agent {

using Clock = std::chrono::steady_clock;

ProbeRunner::ProbeRunner(conf::ProbeConfig config, std::unique_ptr<probes::Probe> probe,
                         ResultSink sink)
    : config_(std::move(config)),
      probe_(std::move(probe)),
      sink_(std::move(sink)),
      thread_([this](std::stop_token stop) { Loop(stop); }) {}

ProbeRunner::~ProbeRunner() {
  Stop();
  if (thread_.joinable()) thread_.join();
}

void ProbeRunner::Stop() {
  std::lock_guard lock(mu_);
  thread_.request_stop();
}

void ProbeRunner::Loop(std::stop_token stop) {
  // Spread first attempts over at most a quarter of the interval: enough to
  // avoid bursts, small enough that start-up verdicts come quickly.
  const auto spread = std::max<Clock::rep>(1, Clock::duration(config_.interval).count() / 4);
  Clock::time_point next =
      Clock::now() + Clock::duration(std::hash<std::string>{}(config_.name) % spread);
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_until(lock, stop, next, [] { return false; })) break;
      if (stop.stop_requested()) break;
    }
    const Clock::time_point start = Clock::now();
    probes::ProbeResult result = probe_->Check(start + config_.timeout);
    const Clock::time_point finished = Clock::now();
    {
      // A stopped runner's late result would land on its successor's name.
      std::lock_guard lock(mu_);
      if (stop.stop_requested()) break;
      sink_(config_.name, result, finished);
    }
    // Fixed rate; when an attempt overran, start the next one now rather
    // than firing a burst to catch up.
    next += config_.interval;
    if (next < finished) next = finished;
  }
}

}  // namespace rsagent::agent
