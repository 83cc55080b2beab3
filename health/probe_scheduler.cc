#include "health/probe_scheduler.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/socket.h"
#include "health/cpu_starvation.h"

namespace rsagent::agent {

namespace {

using std::chrono::milliseconds;

// Probes due this close together start in one wake-up of the leader: fewer
// wake-ups at 1,000 probes, and 5 ms early never matters to a health check.
constexpr auto kCoalesce = std::chrono::milliseconds(5);

enum class Where { kWaiting, kReady, kRunning };

struct Entry {
  ProbeScheduler::Id id = 0;
  std::string name;  // immutable after Add, as the two below
  Clock::duration interval;
  Clock::duration timeout;
  std::unique_ptr<probes::Probe> probe;  // touched only by the worker holding the entry
  Clock::time_point due;
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
  std::condition_variable lead_cv, exit_cv;
  // timerfd: armed while nobody leads (the last leader is running an
  // attempt); when it fires a follower takes over. Disarmed by whoever leads.
  UniqueFd watchdog;
  UniqueFd closed;  // eventfd, readable once closing: ends followers' waits
  std::map<ProbeScheduler::Id, std::shared_ptr<Entry>> entries;           // added, not removed
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;  // lazily pruned
  std::deque<std::shared_ptr<Entry>> ready;  // due, or removed and waiting to be destroyed
  Clock::time_point leader_wakes_at = Clock::time_point::max();  // while the leader waits
  bool has_leader = false;
  size_t workers = 0;
  size_t followers = 0;  // waiting on the watchdog
  size_t stopping = 0;
  bool closing = false;
  ProbeScheduler::Id next_id = 1;

  // After a change to the timers or the ready queue; caller holds mu.
  void WakeLeaderFor(Clock::time_point due) {
    if (has_leader && due < leader_wakes_at) lead_cv.notify_one();
  }
};

namespace {

void WorkerLoop(std::shared_ptr<SchedulerState> s);

void SetWatchdog(const SchedulerState &s, Clock::duration after) {
  itimerspec spec{};
  if (after > Clock::duration::zero()) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(after).count();
    spec.it_value = {.tv_sec = static_cast<time_t>(ns / 1'000'000'000),
                     .tv_nsec = static_cast<long>(ns % 1'000'000'000)};
  }
  (void)timerfd_settime(s.watchdog.get(), 0, &spec, nullptr);  // only EINVAL/EBADF: not here
}

// Leads until a probe is ready, then returns it: moves the probes that are
// due to the ready queue, else sleeps until the next one is. When closing,
// returns only removed probes left to destroy, then nothing. Caller holds
// s.mu through `lock` and has set has_leader.
std::shared_ptr<Entry> Lead(SchedulerState &s, std::unique_lock<std::mutex> &lock) {
  bool watchdog_armed = true;  // perhaps: the previous leader armed it
  for (;;) {
    const Clock::time_point now = Clock::now();
    while (!s.timers.empty() && s.timers.top().first <= now + kCoalesce) {
      const auto [due, id] = s.timers.top();
      s.timers.pop();
      auto it = s.entries.find(id);
      if (it == s.entries.end() || it->second->where != Where::kWaiting ||
          it->second->due != due) {
        continue;  // removed, or a stale timer
      }
      it->second->where = Where::kReady;
      s.ready.push_back(it->second);
    }
    if (!s.ready.empty()) {
      std::shared_ptr<Entry> e = std::move(s.ready.front());
      s.ready.pop_front();
      return e;
    }
    if (s.closing) return nullptr;
    // Followers sleep while someone leads; the next attempt arms it again.
    if (watchdog_armed) SetWatchdog(s, Clock::duration::zero());
    watchdog_armed = false;
    s.leader_wakes_at = s.timers.empty() ? Clock::time_point::max() : s.timers.top().first;
    if (s.leader_wakes_at == Clock::time_point::max()) {
      s.lead_cv.wait_for(lock, std::chrono::hours(1));
    } else {
      s.lead_cv.wait_until(lock, s.leader_wakes_at);
    }
    s.leader_wakes_at = Clock::time_point::min();  // awake: nobody need notify
  }
}

// Waits on the watchdog as a follower; false when this thread should retire
// (beyond the core, nothing for kIdleRetire, and somebody leads). Caller
// holds s->mu through `lock`; it is released while waiting.
bool Follow(SchedulerState &s, std::unique_lock<std::mutex> &lock) {
  ++s.followers;
  lock.unlock();
  pollfd fds[2] = {{s.watchdog.get(), POLLIN, 0}, {s.closed.get(), POLLIN, 0}};
  const int woke =
      poll(fds, 2, static_cast<int>(milliseconds(ProbeScheduler::kIdleRetire).count()));
  if (woke > 0 && (fds[0].revents & POLLIN) != 0) {
    uint64_t expirations;
    (void)!read(s.watchdog.get(), &expirations, sizeof expirations);  // EAGAIN: another took it
  }
  lock.lock();
  --s.followers;
  return woke != 0 || s.workers <= ProbeScheduler::kCoreWorkers || !s.has_leader;
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

// Runs `e`'s attempt, or destroys its probe if it was removed, off the lock,
// then puts it back on the timers. Caller holds s->mu through `lock`.
void Run(const std::shared_ptr<SchedulerState> &s, std::unique_lock<std::mutex> &lock,
         const std::shared_ptr<Entry> &e) {
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
    return;
  }
  // Fixed rate; after an overrun start again now rather than in a burst.
  const Clock::time_point now = Clock::now();
  e->due += e->interval;
  if (e->due < now) e->due = now;
  e->where = Where::kWaiting;
  s->timers.emplace(e->due, e->id);
  s->WakeLeaderFor(e->due);
}

// Leads when nobody does, else follows. A leader that has a probe to run
// hands the lead over for the attempt: it arms the watchdog, and starts
// a thread when no follower is left to answer it.
void WorkerLoop(std::shared_ptr<SchedulerState> s) {
  std::unique_lock lock(s->mu);
  for (;;) {
    if (s->has_leader) {
      if (s->closing || !Follow(*s, lock)) break;
      continue;
    }
    s->has_leader = true;
    std::shared_ptr<Entry> e = Lead(*s, lock);
    s->has_leader = false;
    if (!e) break;  // closing, nothing left to destroy
    SetWatchdog(*s, ProbeScheduler::kHandoff);
    if (!s->closing && s->followers == 0 && s->workers < ProbeScheduler::kMaxWorkers) {
      ++s->workers;
      std::thread([s] { WorkerLoop(s); }).detach();
    }
    Run(s, lock, e);
  }
  --s->workers;
  s->exit_cv.notify_all();
}

}  // namespace

ProbeScheduler::ProbeScheduler(ResultSink sink, std::string cpu_pressure)
    : shared_(std::make_shared<SchedulerState>(std::move(sink), std::move(cpu_pressure))) {
  shared_->watchdog.Reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  shared_->closed.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!shared_->watchdog.valid() || !shared_->closed.valid()) {
    // Only at start-up, in a process with no descriptors to spare: no probe
    // could connect anyway.
    spdlog::critical("probe scheduler: timerfd/eventfd: {}", ErrnoText(errno));
    std::abort();
  }
  std::lock_guard lock(shared_->mu);
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
  shared_->lead_cv.notify_all();
  const uint64_t one = 1;
  (void)!write(shared_->closed.get(), &one, sizeof one);
  sinking.unlock();  // nothing reports from here on; attempts ending need it to
                     // see that
  const bool done = shared_->exit_cv.wait_for(
      lock, kAbandonAfter, [&] { return shared_->workers == 0; });
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
  shared_->WakeLeaderFor(e->due);
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
      shared_->ready.push_back(e);  // a worker destroys the probe, off this thread
      shared_->WakeLeaderFor(Clock::time_point::min());
      break;
  }
}

size_t ProbeScheduler::threads() const {
  std::lock_guard lock(shared_->mu);
  return shared_->workers;
}

size_t ProbeScheduler::stopping() const {
  std::lock_guard lock(shared_->mu);
  return shared_->stopping;
}

}  // namespace rsagent::agent
