#include "pair/writer_arbiter.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "common/clock.h"
#include "pair/client_drain.h"

namespace rsagent::pair {

namespace {

using std::chrono::milliseconds;

std::string Term(uint64_t term) { return "term " + std::to_string(term); }

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

AdminOutcome Refuse(AdminOutcome outcome, std::string why) {
  outcome.ok = false;
  outcome.message = std::move(why);
  return outcome;
}

}  // namespace

Result<std::unique_ptr<WriterArbiter>> WriterArbiter::Start(const conf::PairConfig& pair,
                                                            const conf::MysqlServer& local,
                                                            const Endpoint& clients,
                                                            const std::string& state_dir,
                                                            Hooks hooks) {
  WriterStateStore store(state_dir);
  auto state = store.Load();
  if (!state.ok()) {
    return Error{"pair: " + state.error() +
                 " (remove it only if you know which node should be the writer)"};
  }
  auto arbiter = std::unique_ptr<WriterArbiter>(
      new WriterArbiter(pair, local, clients, std::move(store), *state, std::move(hooks)));
  spdlog::info("pair: {} with peer {} (agent {}), persisted role {} ({}, writer {})", pair.service,
               pair.peer_mysql.ToString(), pair.peer_agent.ToString(), WriterRoleName(state->role),
               Term(state->term), Term(state->writer_term));
  arbiter->thread_ = std::jthread([raw = arbiter.get()](std::stop_token stop) { raw->Run(stop); });
  return arbiter;
}

WriterArbiter::WriterArbiter(const conf::PairConfig& pair, const conf::MysqlServer& local,
                             const Endpoint& clients, WriterStateStore store, WriterState state,
                             Hooks hooks)
    : config_(pair),
      peer_name_(pair.peer_mysql.address.ToString()),
      clients_(clients),
      store_(std::move(store)),
      hooks_(std::move(hooks)),
      local_(probes::MysqlTarget{local.socket, local.address}, local.credentials),
      peer_(pair.peer_mysql, pair.peer_agent, local.credentials),
      state_(std::move(state)) {}

WriterArbiter::~WriterArbiter() {
  thread_.request_stop();
  round_done_.notify_all();
}

void WriterArbiter::Run(std::stop_token stop) {
  std::mutex sleep_mu;
  std::condition_variable_any sleeper;
  while (!stop.stop_requested()) {
    const Clock::time_point next = Clock::now() + config_.interval;
    Round();
    std::unique_lock lock(sleep_mu);
    sleeper.wait_until(lock, stop, next, [] { return false; });
  }
}

Status WriterArbiter::AdoptLocked(const WriterState& next) {
  if (SerializeWriterState(next) != SerializeWriterState(state_)) {
    if (Status s = store_.Save(next); !s.ok()) return s;
  }
  state_ = next;
  return Status::Ok();
}

void WriterArbiter::Round() {
  RoundInput in{.peer = peer_name_, .fence = config_.fence};
  // The peer first, then the local server: containment is checked against
  // a peer position at least as old as the local one.
  in.peer_sql = peer_.ReadSql(Clock::now() + config_.timeout);
  {
    std::lock_guard io(local_mu_);
    in.local = local_.Read(Clock::now() + config_.timeout);
  }
  in.peer_agent = peer_.ReadAgent(Clock::now() + config_.timeout);
  const Clock::time_point now = Clock::now();
  if (in.local.mysqld != Mysqld::kUp || in.local.started != local_started_) local_since_.reset();
  if (in.local.mysqld == Mysqld::kUp && !local_since_) {
    local_since_ = now;
    local_started_ = in.local.started;
  }
  if (in.peer_sql.reachable ||
      (in.peer_agent.reachable && in.peer_agent.report.mysqld == Mysqld::kUp)) {
    peer_alive_at_ = now;
  }
  in.local.continuous = local_since_ && peer_alive_at_ && *local_since_ < *peer_alive_at_;
  if (in.local.ready) {
    if (std::string why = hooks_.service_override(); !why.empty()) {
      in.local.ready = false;
      in.local.not_ready = "service " + config_.service + " is under " + why;
    }
  }

  std::unique_lock lock(mu_);
  const WriterState before = state_;
  RoundOutcome out = DecideRound(state_, in);
  out.report.service = config_.service;
  if (draining_ && out.state.role == WriterRole::kWriter) {
    out.writer = false;
    out.read_only = ReadOnlyAction::kNone;
    out.report.reason = "switchover: not taking new writes (waiting for the directors)";
  }
  if (Status s = AdoptLocked(out.state); !s.ok()) {
    spdlog::error("pair: cannot save {}: {}", store_.path(), s.error());
    out.writer = false;
    out.read_only = ReadOnlyAction::kNone;
    out.report.role = state_.role == WriterRole::kCandidate ? WriterRole::kStandby : state_.role;
    out.report.reason = "cannot save the writer state: " + s.error();
  }
  if (out.read_only != ReadOnlyAction::kNone) {
    const bool on = out.read_only == ReadOnlyAction::kSetOn;
    Status s;
    {
      std::lock_guard io(local_mu_);
      s = local_.SetReadOnly(on, Clock::now() + config_.timeout);
    }
    WriterState next = state_;
    next.fenced = FencedAfter(out.read_only, s.ok(), state_.fenced);
    (void)AdoptLocked(next);  // a failure here is retried by the next round
    if (s.ok()) {
      spdlog::info("pair: read_only={} ({})", on ? "ON" : "OFF",
                   on ? "not the writer: fenced" : "the writer");
    } else {
      spdlog::warn(
          "pair: cannot set read_only={}: {} (GRANT READ_ONLY ADMIN, "
          "see docs/mysql.md)",
          on ? "ON" : "OFF", s.error());
    }
  }
  if (state_.role != before.role || state_.writer_term != before.writer_term) {
    spdlog::warn("pair: {} -> {} ({}): {}", WriterRoleName(before.role),
                 WriterRoleName(state_.role), Term(state_.writer_term), out.report.reason);
  }
  const PeerView peer{.agent_reachable = in.peer_agent.reachable,
                      .agent_error = in.peer_agent.error,
                      .mysql_reachable = in.peer_sql.reachable,
                      .mysql_error = in.peer_sql.error,
                      .role = in.peer_agent.report.role,
                      .writer_term = in.peer_agent.report.writer_term};
  last_ = std::move(in);
  ++rounds_;
  hooks_.publish(out.writer, out.report, peer);
  lock.unlock();
  round_done_.notify_all();
}

bool WriterArbiter::WaitRounds(std::unique_lock<std::mutex>& lock, milliseconds timeout,
                               const std::function<bool()>& done) {
  return round_done_.wait_for(lock, timeout, [&] {
    return done() || thread_.get_stop_token().stop_requested();
  }) && done();
}

AdminOutcome WriterArbiter::Promote() {
  AdminOutcome outcome;
  std::unique_lock lock(mu_);
  const PeerAgentFacts& peer = last_.peer_agent;
  if (state_.role == WriterRole::kWriter) {
    outcome.ok = true;
    outcome.message = config_.service + ": already the writer (" + Term(state_.writer_term) + ")";
    return outcome;
  }
  if (rounds_ == 0) return Refuse(outcome, "no round done yet: try again in a second");
  if (last_.local.mysqld != Mysqld::kUp) {
    return Refuse(outcome, "mysqld here is not answering (" + last_.local.error + ")");
  }
  if (peer.reachable && peer.report.role == WriterRole::kWriter) {
    return Refuse(outcome, "peer " + peer_name_ + " is the writer (" +
                               Term(peer.report.writer_term) + "): run `rsagent switchover " +
                               config_.service + "` there to move the role");
  }
  if (peer.reachable && peer.report.role == WriterRole::kCandidate) {
    return Refuse(outcome, "peer " + peer_name_ +
                               " is taking the role right now (candidate): "
                               "check again in a second");
  }
  outcome.steps.push_back(peer.reachable
                              ? "peer agent: " + std::string(WriterRoleName(peer.report.role)) +
                                    " (" + peer.report.reason + ")"
                              : "peer agent: does not answer (" + peer.error + ")");
  outcome.steps.push_back("proof: " + ProveHoldsPeer(last_).why);
  WriterState next = state_;
  next.role = WriterRole::kWriter;
  next.term = std::max(state_.term, peer.reachable ? peer.report.term : 0) + 1;
  next.writer_term = next.term;
  next.mysqld_started = last_.local.started;
  next.note = "promoted by admin at " + UtcNow();
  if (Status s = AdoptLocked(next); !s.ok()) {
    return Refuse(outcome, "cannot save " + store_.path() + ": " + s.error());
  }
  spdlog::warn("pair: promoted by admin: writer of {} in {} ({})", config_.service, Term(next.term),
               outcome.steps.back());
  outcome.ok = true;
  outcome.message = config_.service + ": this node is the writer (" + Term(next.term) +
                    "); it answers UP once the mysql probe sees the server "
                    "writable and caught up";
  return outcome;
}

AdminOutcome WriterArbiter::Switchover() {
  AdminOutcome outcome;
  const Clock::time_point t0 = Clock::now();
  auto step = [&](const std::string& what) {
    const auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count();
    outcome.steps.push_back(std::to_string(ms) + " ms: " + what);
    spdlog::info("switchover: {}", what);
  };
  std::unique_lock lock(mu_);
  const PeerAgentFacts& peer = last_.peer_agent;
  if (state_.role != WriterRole::kWriter) {
    return Refuse(outcome, "this node is not the writer (" +
                               std::string(WriterRoleName(state_.role)) +
                               "): run it on the writer");
  }
  if (!peer.reachable)
    return Refuse(outcome, "the peer's agent does not answer (" + peer.error + ")");
  if (peer.report.role != WriterRole::kStandby || peer.report.mysqld != Mysqld::kUp) {
    return Refuse(outcome, "peer " + peer_name_ + " is " + WriterRoleName(peer.report.role) +
                               " with mysqld " + MysqldName(peer.report.mysqld) +
                               ", not a standby that is up");
  }
  if (!last_.peer_sql.reachable) {
    return Refuse(outcome, "cannot read the peer's MySQL (" + last_.peer_sql.error + ")");
  }
  if (!peer.report.ready) {
    return Refuse(outcome,
                  "peer " + peer_name_ + " could not take the role: " + peer.report.reason);
  }
  step("peer " + peer_name_ + " is a standby ready to take the role");

  draining_ = true;
  const uint64_t first = rounds_ + 1;
  WaitRounds(lock, 4 * config_.interval, [&] { return rounds_ >= first; });
  step("not taking new writes: " + config_.service +
       " answers DOWN; waiting until no client connection to " + clients_.ToString() + " for " +
       std::to_string(config_.switchover_drain.count()) + " ms");
  lock.unlock();
  // A client connected before the directors saw the DOWN keeps writing
  // here whatever they do now: read_only=ON would fail its writes.
  const ClientDrain drain =
      WaitForClientsGone({.list = [this] { return ListClientConnections(clients_); },
                          .sleep = [](milliseconds d) { std::this_thread::sleep_for(d); }},
                         clients_, config_.switchover_drain, t0 + config_.switchover_timeout);
  if (!drain.drained) {
    lock.lock();
    draining_ = false;  // the next round opens the gate again
    step("the clients did not leave");
    return Refuse(outcome, "switchover refused: " + drain.detail +
                               "; still the writer (read_only untouched, no write failed)");
  }
  step(drain.detail);
  Status fenced;
  Result<std::string> last_gtid = Error{""};
  {
    std::lock_guard io(local_mu_);
    fenced = local_.SetReadOnly(true, Clock::now() + config_.timeout);
    if (fenced.ok()) last_gtid = local_.BinlogPosition(Clock::now() + config_.timeout);
  }
  lock.lock();
  draining_ = false;
  if (!fenced.ok()) {
    outcome.message = "cannot set read_only=ON here (" + fenced.error() +
                      "): the probe user needs READ_ONLY ADMIN (docs/mysql.md)";
    return outcome;  // still the writer: the next round opens the gate again
  }
  if (state_.role != WriterRole::kWriter) {
    outcome.message = "lost the writer role while draining (" + last_.local.error + ")";
    return outcome;
  }
  // Only now may the peer claim the role: nothing commits here any more.
  WriterState next = state_;
  next.role = WriterRole::kHandover;
  next.fenced = true;
  if (Status s = AdoptLocked(next); !s.ok()) {
    outcome.message = "cannot save " + store_.path() + ": " + s.error();
    return outcome;  // still the writer (fenced): the next round lifts read_only
  }
  auto target =
      last_gtid.ok() ? GtidPosition::Parse(*last_gtid) : Result<GtidPosition>(last_gtid.status());
  if (!target.ok()) {
    outcome.message = "cannot read this server's last GTID: " + target.error();
    AbortSwitchover(lock, &outcome);
    return outcome;
  }
  step("read_only=ON here; last transaction " + target->ToString());
  if (!WaitRounds(lock, config_.switchover_timeout, [&] {
        return last_.peer_sql.reachable && last_.peer_sql.current.Contains(*target);
      })) {
    outcome.message = "peer did not apply " + target->ToString() + " within " +
                      std::to_string(config_.switchover_timeout.count()) + " ms (" +
                      (last_.peer_sql.reachable ? "it has " + last_.peer_sql.current.ToString()
                                                : last_.peer_sql.error) +
                      ")";
    AbortSwitchover(lock, &outcome);
    return outcome;
  }
  step("peer applied everything up to " + target->ToString());
  if (!WaitRounds(lock, config_.switchover_timeout,
                  [&] { return state_.role == WriterRole::kStandby; })) {
    outcome.message = "peer did not take the role within " +
                      std::to_string(config_.switchover_timeout.count()) +
                      " ms (it says: " + last_.peer_agent.report.reason + ")";
    AbortSwitchover(lock, &outcome);
    return outcome;
  }
  step("peer " + peer_name_ + " is the writer (" + Term(last_.peer_agent.report.writer_term) + ")");
  outcome.ok = true;
  outcome.message = config_.service + ": switchover done; peer " + peer_name_ +
                    " is the writer, this node a standby with read_only=ON";
  return outcome;
}

// Gives the role back only once a round shows the peer neither taking nor
// holding it: it may be a candidate this very moment.
void WriterArbiter::AbortSwitchover(std::unique_lock<std::mutex>& lock, AdminOutcome* outcome) {
  outcome->ok = false;
  spdlog::warn("switchover failed: {}", outcome->message);
  const uint64_t after = rounds_ + 2;
  WaitRounds(lock, 8 * config_.interval,
             [&] { return rounds_ >= after || state_.role != WriterRole::kHandover; });
  if (state_.role == WriterRole::kStandby) {
    outcome->ok = true;
    outcome->message += "; but the peer took the role after all: switchover done";
    return;
  }
  const PeerAgentFacts& peer = last_.peer_agent;
  if (state_.role != WriterRole::kHandover || !peer.reachable ||
      peer.report.role != WriterRole::kStandby) {
    outcome->message +=
        "; the role could not safely come back here: no writer until `rsagent "
        "promote " +
        config_.service + "` on one node";
    return;
  }
  WriterState next = state_;
  next.role = WriterRole::kWriter;  // the next round lifts our read_only (fenced)
  if (Status s = AdoptLocked(next); !s.ok()) {
    outcome->message += "; cannot save the writer state (" + s.error() + "): no writer";
    return;
  }
  outcome->message += "; this node is the writer again (" + Term(state_.writer_term) + ")";
}

}  // namespace rsagent::pair
