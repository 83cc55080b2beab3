#include "pair/writer_decision.h"

#include <algorithm>
#include <cstdlib>

namespace rsagent::pair {

namespace {

// A mysqld start time is now - Uptime, so two readings of one incarnation
// may differ by a second or two.
constexpr int64_t kStartJitterSeconds = 2;

std::string Term(uint64_t term) { return "term " + std::to_string(term); }

// The peer wins a tie between two eligible nodes: it was the writer more
// recently, or equally recently with the lower server_id.
bool PeerIsBetter(const WriterState& s, const LocalFacts& local, const WriterReport& peer) {
  if (peer.writer_term != s.writer_term) return peer.writer_term > s.writer_term;
  return peer.server_id < local.server_id;
}

bool HoldsRole(WriterRole role) {
  return role == WriterRole::kWriter || role == WriterRole::kHandover;
}

}  // namespace

Proof ProveHoldsPeer(const RoundInput& in) {
  const std::string prefix = "cannot confirm I hold the peer's commits: ";
  const WriterReport& peer = in.peer_agent.report;
  if (in.peer_sql.reachable) {
    std::string missing = in.local.current.DescribeMissing(in.peer_sql.binlog);
    if (missing.empty()) return {true, "holds peer's " + in.peer_sql.binlog.ToString()};
    return {false, prefix + in.peer + " has transactions not applied here (" + missing + ")"};
  }
  if (in.peer_agent.reachable && peer.mysqld == Mysqld::kDead) {
    if (!in.local.continuous) {
      return {false, prefix + "this server restarted or went unseen after " + in.peer +
                         " was last seen alive, so what it had received from it may be gone"};
    }
    if (!in.local.caught_up) return {false, prefix + in.local.behind};
    if (!peer.vouch) {
      return {false, prefix + "the mysqld of " + in.peer +
                         " is down and its agent cannot vouch that semi-sync delivered every "
                         "commit it acknowledged (" +
                         peer.reason + ")"};
    }
    auto last = GtidPosition::Parse(peer.last_gtid);
    if (!last.ok()) return {false, prefix + in.peer + " reports a bad position: " + last.error()};
    std::string missing = in.local.current.DescribeMissing(*last);
    if (!missing.empty()) {
      return {false, prefix + "the mysqld of " + in.peer + " is down and its last position " +
                         peer.last_gtid + " is not all here (" + missing + ")"};
    }
    return {true, "the mysqld of " + in.peer + " is down; its agent vouches, and " +
                      peer.last_gtid + " is applied here"};
  }
  std::string agent = in.peer_agent.reachable
                          ? "its agent says mysqld is " + std::string(MysqldName(peer.mysqld))
                          : "its agent does not answer either";
  return {false, prefix + "cannot read the GTID position of " + in.peer + " (" + in.peer_sql.error +
                     "); " + agent};
}

bool FencedAfter(ReadOnlyAction action, bool succeeded, bool fenced_before) {
  switch (action) {
    case ReadOnlyAction::kSetOn:
      return true;
    case ReadOnlyAction::kSetOff:
      return succeeded ? false : fenced_before;
    case ReadOnlyAction::kNone:
      break;
  }
  return fenced_before;
}

RoundOutcome DecideRound(const WriterState& state, const RoundInput& in) {
  RoundOutcome out{.state = state};
  WriterState& s = out.state;
  WriterReport& r = out.report;
  const LocalFacts& local = in.local;
  const WriterReport& peer = in.peer_agent.report;
  const std::string peer_name = "peer " + in.peer;
  auto finish = [&](std::string reason) -> RoundOutcome& {
    r.role = s.role;
    r.term = s.term;
    r.writer_term = s.writer_term;
    r.server_id = local.server_id;
    r.mysqld = local.mysqld;
    r.vouch = local.vouch;
    r.last_gtid = local.binlog;
    r.reason = std::move(reason);
    return out;
  };

  // 1. Our own mysqld. Dead: nothing more can commit here, so the role is
  // given up and the peer may take it (if our agent vouches). Hung: it may
  // resume mid-commit, so the role is kept and the peer must wait.
  if (local.mysqld != Mysqld::kUp) {
    std::string why = "mysqld not answering (" + local.error + ")";
    if (!local.vouch_why.empty()) why += "; " + local.vouch_why;
    if (HoldsRole(s.role) && local.mysqld == Mysqld::kDead) {
      s.role = WriterRole::kStandby;
      return finish(why + "; gave up the writer role");
    }
    if (s.role == WriterRole::kCandidate) s.role = WriterRole::kStandby;
    if (s.role == WriterRole::kWriter) why += "; keeping the writer role: it may resume";
    return finish(why);
  }
  std::string note;
  if (HoldsRole(s.role) && s.mysqld_started != 0 &&
      std::llabs(local.started - s.mysqld_started) > kStartJitterSeconds) {
    s.role = WriterRole::kStandby;
    note = "mysqld restarted since it took the writer role; ";
  }
  if (in.peer_agent.reachable) s.term = std::max(s.term, peer.term);

  // 2. A holder of the role yields only to a peer writer of a later term.
  if (HoldsRole(s.role) && in.peer_agent.reachable && peer.role == WriterRole::kWriter &&
      (peer.writer_term > s.writer_term ||
       (peer.writer_term == s.writer_term && peer.server_id < local.server_id))) {
    s.role = WriterRole::kStandby;
    if (in.fence && !local.read_only) out.read_only = ReadOnlyAction::kSetOn;
    return finish(peer_name + " is the writer (" + Term(peer.writer_term) + ")");
  }
  if (s.role == WriterRole::kWriter) {
    out.writer = true;
    if (s.fenced && local.read_only) out.read_only = ReadOnlyAction::kSetOff;
    return finish("writer (" + Term(s.writer_term) + ")");
  }
  if (s.role == WriterRole::kHandover) {
    return finish("switchover: not taking writes until " + peer_name + " takes the role");
  }

  // 3. Standby or candidate: may this node take the role?
  const Proof proof = ProveHoldsPeer(in);
  // read_only set by hand: not ours to lift, so this node cannot serve writes.
  const bool read_only_stuck = local.read_only && !in.fence && !s.fenced;
  r.ready = local.ready && !read_only_stuck;
  r.eligible = r.ready && proof.ok;
  // With fence on, a node that is not the writer keeps read_only=ON, so
  // clients still connected to it (pooled connections) cannot write.
  if (in.fence && !local.read_only) out.read_only = ReadOnlyAction::kSetOn;
  auto stay = [&](const std::string& why) -> RoundOutcome& {
    s.role = WriterRole::kStandby;
    return finish(note + why);
  };
  // A standby of a live writer says so first: catching up with the
  // writer's stream is its normal state, not the reason it waits.
  if (in.peer_agent.reachable && peer.role == WriterRole::kWriter) {
    return stay(peer_name + " is the writer (" + Term(peer.writer_term) + ")");
  }
  if (!local.ready) return stay(local.not_ready);
  if (read_only_stuck)
    return stay("read_only is ON and [pair] fence is off, so the agent leaves it");
  if (!proof.ok) return stay(proof.why);
  if (!in.peer_agent.reachable) {
    return stay("cannot tell whether " + peer_name + " is the writer: its agent does not answer (" +
                in.peer_agent.error + ")");
  }
  const bool peer_hands_over = peer.role == WriterRole::kHandover;
  const bool peer_better = !peer_hands_over && peer.eligible && peer.mysqld == Mysqld::kUp &&
                           PeerIsBetter(s, local, peer);
  if (peer_better) {
    return stay(peer_name +
                (peer.role == WriterRole::kCandidate ? " is also a candidate and" : "") +
                " has priority (writer " + Term(peer.writer_term) + ", server_id " +
                std::to_string(peer.server_id) + "): it takes the role");
  }
  if (s.role == WriterRole::kStandby) {
    s.role = WriterRole::kCandidate;
    return finish(note + "candidate: taking the writer role next round unless " + peer_name +
                  " objects (" + proof.why + ")");
  }
  if (peer.role == WriterRole::kCandidate) {
    return finish("both candidates: waiting for " + peer_name + " to withdraw");
  }
  s.role = WriterRole::kWriter;
  s.term = s.term + 1;
  s.writer_term = s.term;
  s.mysqld_started = local.started;
  out.writer = true;
  out.read_only =
      (s.fenced || in.fence) && local.read_only ? ReadOnlyAction::kSetOff : ReadOnlyAction::kNone;
  return finish("writer (" + Term(s.writer_term) + "): took the role; " + proof.why);
}

}  // namespace rsagent::pair
