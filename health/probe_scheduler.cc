#include "health/probe_scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "health/cpu_starvation.h"

namespace rsagent::agent {

namespace {

// Probes due this close together start in one timer wake-up: fewer wake-ups
// at 1,000 probes, and 5 ms early never matters to a health check.
constexpr auto kCoalesce = std::chrono::milliseconds(5);

enum class Where { kWaiting, kReady, kRunning };

struct Entry {
  ProbeScheduler::Id id = 0;
  std::string name;  // immutable after Add, as the two below
  Clock::duration interval;
  Clock::duration timeout;
  std::unique_ptr<probes::Probe> probe;  // touched only by the worker holding the entry
  Clock::time_point due;
  Clock::time_point ready_since;  // when it joined the ready queue
  Where where = Where::kWaiting;
  bool removed = false;
};

using Timer = std::pair<Clock::time_point, ProbeScheduler::Id>;

}  // namespace

std::chrono::microseconds AttemptTiming::ScheduleDelay() const {
  return std::max(std::chrono::microseconds(0),
                  std::chrono::duration_cast<std::chrono::microseconds>(started - due));
}

struct SchedulerState {
  SchedulerState(ResultSink s, std::string cpu_pressure)
      : sink(std::move(s)), pressure(std::move(cpu_pressure)) {}

  ResultSink sink;
  CpuStarvation pressure;
  // Held while the sink runs; Remove() and closing take it first, so once
  // they return no removed probe reports.
  std::mutex sink_mu;
  mutable std::mutex mu;
  std::condition_variable timer_cv, work_cv, exit_cv;
  std::map<ProbeScheduler::Id, std::shared_ptr<Entry>> entries;           // added, not removed
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;  // lazily pruned
  std::deque<std::shared_ptr<Entry>> ready;  // due, or removed and waiting to be destroyed
  Clock::time_point timer_wakes_at = Clock::time_point::max();
  Clock::time_point last_request;  // of a worker for a queue that did not move
  size_t workers = 0;
  size_t idle = 0;    // waiting for work
  size_t wanted = 0;  // idle workers woken to drain the queue, not yet up
  size_t stopping = 0;
  bool timer_alive = false;
  bool closing = false;
  ProbeScheduler::Id next_id = 1;

  // Workers that are, or are about to be, taking entries off the queue.
  size_t Draining() const { return workers - idle + wanted; }
};

namespace {

void WorkerLoop(std::shared_ptr<SchedulerState> s);

// One more worker for the ready queue: an idle one, else a new one while the
// pool may grow; at the bound, the first worker to finish takes the queue.
// Caller holds s->mu.
void RequestWorker(const std::shared_ptr<SchedulerState> &s) {
  s->last_request = Clock::now();
  if (s->idle > s->wanted) {
    ++s->wanted;
    s->work_cv.notify_one();
  } else if (s->workers < ProbeScheduler::kMaxWorkers) {
    ++s->workers;
    std::thread([s] { WorkerLoop(s); }).detach();
  }
}

// Caller holds s->mu. One worker drains the queue while attempts are quick
// (a woken thread per attempt cost more than a local tcp probe); another is
// asked for when the queue has not moved for kHandoff, so a hung attempt
// holds up the others by at most that much each.
void KeepQueueMoving(const std::shared_ptr<SchedulerState> &s, Clock::time_point now) {
  if (s->ready.empty()) return;
  if (s->Draining() == 0 ||
      now - std::max(s->ready.front()->ready_since, s->last_request) >= ProbeScheduler::kHandoff) {
    RequestWorker(s);
  }
}

void TimerLoop(std::shared_ptr<SchedulerState> s) {
  std::unique_lock lock(s->mu);
  while (!s->closing) {
    const Clock::time_point now = Clock::now();
    while (!s->timers.empty() && s->timers.top().first <= now + kCoalesce) {
      const auto [due, id] = s->timers.top();
      s->timers.pop();
      auto it = s->entries.find(id);
      if (it == s->entries.end() || it->second->where != Where::kWaiting ||
          it->second->due != due) {
        continue;  // removed, or a stale timer
      }
      it->second->where = Where::kReady;
      it->second->ready_since = now;
      s->ready.push_back(it->second);
    }
    KeepQueueMoving(s, now);
    s->timer_wakes_at = s->timers.empty() ? Clock::time_point::max() : s->timers.top().first;
    if (!s->ready.empty()) {
      s->timer_wakes_at =
          std::min(s->timer_wakes_at, std::max(s->ready.front()->ready_since, s->last_request) +
                                          ProbeScheduler::kHandoff);
    }
    const auto wait = s->timer_wakes_at == Clock::time_point::max()
                          ? Clock::duration(std::chrono::hours(1))
                          : s->timer_wakes_at - Clock::now();
    if (wait > Clock::duration::zero()) s->timer_cv.wait_for(lock, wait);
  }
  s->timer_alive = false;
  s->exit_cv.notify_all();
}

// Runs one attempt of `e` (marked kRunning by the caller, who held the lock
// and released it) and reports it unless the probe was removed meanwhile.
void RunAttempt(SchedulerState &s, Entry &e) {
  AttemptTiming timing{.due = e.due, .started = Clock::now()};
  s.pressure.Sample(timing.started);
  // The timeout counts from the actual start: waiting for a worker or the
  // CPU before it is not the server's fault.
  probes::ProbeResult result = e.probe->Attempt(timing.started + e.timeout);
  timing.finished = Clock::now();
  // A failure that used its whole budget: a timeout, perhaps only because
  // nothing got a CPU. Say so, so nobody blames the server for it alone.
  if (!result.outcome.ok && timing.finished - timing.started >= e.timeout * 9 / 10) {
    const auto share = s.pressure.StarvedShare(timing.started, timing.finished);
    if (share && *share >= CpuStarvation::kStarved) NoteStarvation(*share, &result);
  }
  std::lock_guard sinking(s.sink_mu);
  bool removed;
  {
    std::lock_guard lock(s.mu);
    removed = e.removed;
  }
  if (!removed) s.sink(e.name, result, timing);
}

// Takes entries off the ready queue until it is empty, then waits to be
// asked again (RequestWorker); retires after kIdleRetire beyond the core.
void WorkerLoop(std::shared_ptr<SchedulerState> s) {
  std::unique_lock lock(s->mu);
  for (;;) {
    if (s->ready.empty()) {
      if (s->closing) break;
      ++s->idle;
      const bool woke = s->work_cv.wait_for(lock, ProbeScheduler::kIdleRetire,
                                            [&] { return s->closing || s->wanted > 0; });
      --s->idle;
      if (s->wanted > 0) {
        --s->wanted;
      } else if (!woke && s->workers > ProbeScheduler::kCoreWorkers) {
        break;
      }
      continue;
    }
    std::shared_ptr<Entry> e = std::move(s->ready.front());
    s->ready.pop_front();
    if (!e->removed) {
      e->where = Where::kRunning;
      lock.unlock();
      RunAttempt(*s, *e);
      lock.lock();
    }
    if (e->removed) {
      if (e->where == Where::kRunning) --s->stopping;
      std::unique_ptr<probes::Probe> gone = std::move(e->probe);
      lock.unlock();
      gone.reset();  // may say goodbye to a server (bounded), off every lock
      lock.lock();
      s->exit_cv.notify_all();
      continue;
    }
    // Fixed rate; after an overrun start again now rather than in a burst.
    const Clock::time_point now = Clock::now();
    e->due += e->interval;
    if (e->due < now) e->due = now;
    e->where = Where::kWaiting;
    s->timers.emplace(e->due, e->id);
    if (e->due < s->timer_wakes_at) s->timer_cv.notify_one();
  }
  --s->workers;
  s->exit_cv.notify_all();
}

}  // namespace

ProbeScheduler::ProbeScheduler(ResultSink sink, std::string cpu_pressure)
    : shared_(std::make_shared<SchedulerState>(std::move(sink), std::move(cpu_pressure))) {
  std::lock_guard lock(shared_->mu);
  shared_->timer_alive = true;
  std::thread([s = shared_] { TimerLoop(s); }).detach();
  shared_->workers = kCoreWorkers;
  for (size_t i = 0; i < kCoreWorkers; ++i) std::thread([s = shared_] { WorkerLoop(s); }).detach();
}

ProbeScheduler::~ProbeScheduler() {
  std::unique_lock sinking(shared_->sink_mu);
  std::unique_lock lock(shared_->mu);
  shared_->closing = true;
  for (auto &[id, e] : shared_->entries) {
    e->removed = true;
    if (e->where == Where::kRunning) ++shared_->stopping;
    if (e->where == Where::kWaiting) {
      e->where = Where::kReady;
      shared_->ready.push_back(e);  // to be destroyed
    }
  }
  shared_->entries.clear();
  shared_->timer_cv.notify_all();
  shared_->work_cv.notify_all();
  sinking.unlock();  // nothing reports from here on; attempts ending need it to
                     // see that
  const bool done = shared_->exit_cv.wait_for(
      lock, kAbandonAfter, [&] { return !shared_->timer_alive && shared_->workers == 0; });
  if (!done) {
    spdlog::warn("exiting with {} probe attempt(s) still in flight; they are abandoned",
                 shared_->stopping);
  }
}

ProbeScheduler::Id ProbeScheduler::Add(const conf::ProbeConfig &config,
                                       std::unique_ptr<probes::Probe> probe) {
  // Spread first attempts over at most a quarter of the interval: enough to
  // avoid bursts, small enough that start-up verdicts come quickly.
  const auto spread = std::max<Clock::rep>(1, Clock::duration(config.interval).count() / 4);
  const Clock::duration offset(std::hash<std::string>{}(config.name) % spread);
  auto e = std::make_shared<Entry>();
  e->name = config.name;
  e->interval = config.interval;
  e->timeout = config.timeout;
  e->probe = std::move(probe);
  e->due = Clock::now() + offset;
  std::lock_guard lock(shared_->mu);
  e->id = shared_->next_id++;
  shared_->entries.emplace(e->id, e);
  shared_->timers.emplace(e->due, e->id);
  if (e->due < shared_->timer_wakes_at) shared_->timer_cv.notify_one();
  return e->id;
}

void ProbeScheduler::Remove(Id id) {
  std::lock_guard sinking(shared_->sink_mu);
  std::lock_guard lock(shared_->mu);
  auto it = shared_->entries.find(id);
  if (it == shared_->entries.end()) return;
  std::shared_ptr<Entry> e = std::move(it->second);
  shared_->entries.erase(it);
  e->removed = true;
  switch (e->where) {
    case Where::kRunning:
      ++shared_->stopping;
      break;
    case Where::kReady:
      break;  // a worker will find it removed
    case Where::kWaiting:
      e->where = Where::kReady;
      e->ready_since = Clock::now();
      shared_->ready.push_back(e);  // a worker destroys the probe, off this thread
      KeepQueueMoving(shared_, e->ready_since);
      break;
  }
}

size_t ProbeScheduler::threads() const {
  std::lock_guard lock(shared_->mu);
  return shared_->workers + (shared_->timer_alive ? 1 : 0);
}

size_t ProbeScheduler::stopping() const {
  std::lock_guard lock(shared_->mu);
  return shared_->stopping;
}

}  // namespace rsagent::agent
