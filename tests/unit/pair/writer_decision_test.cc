// The decision table of docs/mysql.md ("The pair: one writer"), row by row,
// as single rounds of DecideRound.
#include "pair/writer_decision.h"

#include <gtest/gtest.h>

namespace rsagent::pair {
namespace {

GtidPosition Pos(std::string_view text) { return *GtidPosition::Parse(text); }

LocalFacts Up(std::string_view current, uint32_t server_id = 1) {
  LocalFacts l;
  l.mysqld = Mysqld::kUp;
  l.ready = true;
  l.caught_up = true;
  l.continuous = true;
  l.started = 1000;
  l.server_id = server_id;
  l.current = Pos(current);
  l.binlog = std::string(current);
  return l;
}

WriterReport PeerReport(WriterRole role, uint64_t writer_term = 0, Mysqld mysqld = Mysqld::kUp) {
  WriterReport r;
  r.role = role;
  r.term = writer_term;
  r.writer_term = writer_term;
  r.server_id = 2;
  r.mysqld = mysqld;
  r.eligible = mysqld == Mysqld::kUp;
  return r;
}

// Both servers up, the peer reachable over MySQL and HTTP, histories equal.
RoundInput Healthy(WriterReport peer) {
  RoundInput in;
  in.local = Up("1-1-10,2-2-5");
  in.peer_sql = {.reachable = true, .binlog = Pos("1-1-10,2-2-5")};
  in.peer_agent = {.reachable = true, .report = std::move(peer)};
  in.peer = "10.77.0.2";
  return in;
}

WriterState Writer(uint64_t term) {
  return {.role = WriterRole::kWriter, .term = term, .writer_term = term, .mysqld_started = 1000};
}

TEST(WriterDecision, BothUpTheWriterKeepsTheRoleAndTheStandbyStays) {
  auto writer = DecideRound(Writer(3), Healthy(PeerReport(WriterRole::kStandby, 2)));
  EXPECT_TRUE(writer.writer);
  EXPECT_EQ(writer.state.role, WriterRole::kWriter);
  EXPECT_EQ(writer.report.reason, "writer (term 3)");

  auto standby =
      DecideRound({.term = 3, .writer_term = 2}, Healthy(PeerReport(WriterRole::kWriter, 3)));
  EXPECT_FALSE(standby.writer);
  EXPECT_EQ(standby.state.role, WriterRole::kStandby);
  EXPECT_TRUE(standby.report.eligible);
  EXPECT_EQ(standby.report.reason, "peer 10.77.0.2 is the writer (term 3)");
}

TEST(WriterDecision, NoFailbackAReturningFormerWriterStaysStandby) {
  // This node was the writer in term 3, its mysqld died and came back (a
  // new start time); meanwhile the peer took the role in term 4.
  RoundInput in = Healthy(PeerReport(WriterRole::kWriter, 4));
  in.local.started = 5000;
  auto out = DecideRound(Writer(3), in);
  EXPECT_FALSE(out.writer);
  EXPECT_EQ(out.state.role, WriterRole::kStandby);
  EXPECT_EQ(
      out.report.reason,
      "mysqld restarted since it took the writer role; peer 10.77.0.2 is the writer (term 4)");
}

TEST(WriterDecision, WriterDiesItsAgentGivesUpTheRoleAndTheStandbyTakesItInTwoRounds) {
  RoundInput dead = Healthy(PeerReport(WriterRole::kStandby, 2));
  dead.local.mysqld = Mysqld::kDead;
  dead.local.error = "connect: refused";
  dead.local.vouch = true;
  auto gone = DecideRound(Writer(3), dead);
  EXPECT_FALSE(gone.writer);
  EXPECT_EQ(gone.state.role, WriterRole::kStandby);
  EXPECT_TRUE(gone.report.vouch);
  EXPECT_EQ(gone.report.reason, "mysqld not answering (connect: refused); gave up the writer role");
  // Why it vouches, or not, is in the reason the peer shows.
  dead.local.vouch = false;
  dead.local.vouch_why =
      "no vouch: when last seen (310 ms before it stopped answering) 1 commit(s) "
      "waited for the replica's ack";
  EXPECT_EQ(DecideRound(Writer(3), dead).report.reason,
            "mysqld not answering (connect: refused); no vouch: when last seen (310 ms before it "
            "stopped answering) 1 commit(s) waited for the replica's ack; gave up the writer role");

  // The standby: the peer's mysqld refuses connections, its agent vouches.
  RoundInput in = Healthy(gone.report);
  in.local.server_id = 2;
  in.peer_sql = {.reachable = false, .error = "connect: refused"};
  in.peer_agent.report.last_gtid = "1-1-10";
  auto round1 = DecideRound({.term = 3, .writer_term = 2}, in);
  EXPECT_FALSE(round1.writer);
  EXPECT_EQ(round1.state.role, WriterRole::kCandidate);
  auto round2 = DecideRound(round1.state, in);
  EXPECT_TRUE(round2.writer);
  EXPECT_EQ(round2.state.role, WriterRole::kWriter);
  EXPECT_EQ(round2.state.writer_term, 4u);
  EXPECT_EQ(round2.state.mysqld_started, 1000);
}

TEST(WriterDecision, DeadPeerWithoutVouchOrWithMissingCommitsIsNoWriter) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 3, Mysqld::kDead));
  in.peer_sql = {.reachable = false, .error = "connect: refused"};
  in.peer_agent.report.reason = "mysqld not answering";
  auto out = DecideRound({.term = 3}, in);
  EXPECT_EQ(out.state.role, WriterRole::kStandby);
  EXPECT_EQ(out.report.reason,
            "cannot confirm I hold the peer's commits: the mysqld of 10.77.0.2 is down and its "
            "agent cannot vouch that semi-sync delivered every commit it acknowledged (mysqld not "
            "answering)");
  in.peer_agent.report.vouch = true;
  in.peer_agent.report.last_gtid = "1-1-12";
  out = DecideRound({.term = 3}, in);
  EXPECT_EQ(out.state.role, WriterRole::kStandby);
  EXPECT_EQ(out.report.reason,
            "cannot confirm I hold the peer's commits: the mysqld of 10.77.0.2 is down and its "
            "last position 1-1-12 is not all here (domain 1: have 1-1-10, peer has 1-1-12)");
}

TEST(WriterDecision, DeadPeerNeedsTheRelayLogApplied) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 3, Mysqld::kDead));
  in.peer_sql = {.reachable = false, .error = "connect: refused"};
  in.peer_agent.report.vouch = true;
  in.peer_agent.report.last_gtid = "1-1-10";
  in.local.caught_up = false;
  in.local.behind = "channel '' (default): not caught up with what it received";
  auto out = DecideRound({.term = 3}, in);
  EXPECT_FALSE(out.report.eligible);
  EXPECT_TRUE(out.report.ready);
  EXPECT_EQ(out.report.reason,
            "cannot confirm I hold the peer's commits: channel '' (default): not caught up with "
            "what it received");
}

TEST(WriterDecision, DeadPeerNeedsThisServerUpSinceThePeerWasAlive) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 3, Mysqld::kDead));
  in.peer_sql = {.reachable = false, .error = "connect: refused"};
  in.peer_agent.report.vouch = true;
  in.peer_agent.report.last_gtid = "1-1-10";
  in.local.continuous = false;
  auto out = DecideRound({.term = 3}, in);
  EXPECT_FALSE(out.report.eligible);
  EXPECT_EQ(out.report.reason,
            "cannot confirm I hold the peer's commits: this server restarted or went unseen after "
            "10.77.0.2 was last seen alive, so what it had received from it may be gone");
}

TEST(WriterDecision, HungWriterKeepsTheRoleAndThePeerWaits) {
  RoundInput hung = Healthy(PeerReport(WriterRole::kStandby, 2));
  hung.local.mysqld = Mysqld::kHung;
  hung.local.error = "SELECT 1: timed out";
  auto writer = DecideRound(Writer(3), hung);
  EXPECT_FALSE(writer.writer);
  EXPECT_EQ(writer.state.role, WriterRole::kWriter);
  EXPECT_EQ(writer.report.reason,
            "mysqld not answering (SELECT 1: timed out); keeping the writer role: it may resume");

  RoundInput in = Healthy(writer.report);
  in.peer_sql = {.reachable = false, .error = "connect: timed out"};
  auto standby = DecideRound({.term = 3}, in);
  EXPECT_EQ(standby.state.role, WriterRole::kStandby);
  EXPECT_FALSE(standby.writer);
}

TEST(WriterDecision, RestartedNodeThatCannotReachThePeerStaysDown) {
  // The reproduction: restarted, its replication from the peer
  // cannot connect, 0 rows where the peer has 3.
  RoundInput in = Healthy({});
  in.local = Up("1-1-10");
  in.peer_sql = {.reachable = false, .error = "connect to 10.77.0.2:3306: timed out"};
  in.peer_agent = {.reachable = false, .error = "connect 10.77.0.2:9480: timed out"};
  auto out = DecideRound({.term = 4, .writer_term = 3}, in);
  EXPECT_FALSE(out.writer);
  EXPECT_FALSE(out.report.eligible);
  EXPECT_EQ(out.report.reason,
            "cannot confirm I hold the peer's commits: cannot read the GTID position of "
            "10.77.0.2 (connect to 10.77.0.2:3306: timed out); its agent does not answer either");
}

TEST(WriterDecision, PeerAheadMeansNotEligibleEvenWhenReachable) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 4));
  in.peer_sql.binlog = Pos("1-1-10,2-2-8");
  auto out = DecideRound({.term = 4}, in);
  EXPECT_FALSE(out.report.eligible);
  EXPECT_EQ(out.report.reason,
            "cannot confirm I hold the peer's commits: 10.77.0.2 has transactions not applied "
            "here (domain 2: have 2-2-5, peer has 2-2-8)");
}

TEST(WriterDecision, PartitionTheWriterKeepsTheRoleTheStandbyCannotTakeIt) {
  RoundInput cut = Healthy({});
  cut.peer_sql = {.reachable = false, .error = "timed out"};
  cut.peer_agent = {.reachable = false, .error = "timed out"};
  EXPECT_TRUE(DecideRound(Writer(3), cut).writer);
  auto standby = DecideRound({.term = 3}, cut);
  EXPECT_FALSE(standby.writer);
  EXPECT_EQ(standby.state.role, WriterRole::kStandby);
}

TEST(WriterDecision, StandbyDiesTheWriterKeepsTheRole) {
  // The standby's mysqld refuses connections and its agent says so.
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 2, Mysqld::kDead));
  in.peer_sql = {.reachable = false, .error = "connect: refused"};
  auto out = DecideRound(Writer(3), in);
  EXPECT_TRUE(out.writer);
  EXPECT_EQ(out.state.role, WriterRole::kWriter);
  EXPECT_EQ(out.report.reason, "writer (term 3)");
  // The standby's whole host gone (its agent does not answer either).
  in.peer_agent = {.reachable = false, .error = "connect 10.77.0.2:9480: refused"};
  EXPECT_TRUE(DecideRound(Writer(3), in).writer);
}

TEST(WriterDecision, BothDownOneReturnsAloneIsNoWriter) {
  // Both hosts went down; this one is back (a new mysqld), the peer's
  // mysqld refuses connections and its agent does not answer.
  RoundInput in = Healthy({});
  in.local.started = 5000;
  in.local.continuous = false;
  in.peer_sql = {.reachable = false, .error = "connect to 10.77.0.2:3306: refused"};
  in.peer_agent = {.reachable = false, .error = "connect 10.77.0.2:9480: refused"};
  const std::string why =
      "cannot confirm I hold the peer's commits: cannot read the GTID position of 10.77.0.2 "
      "(connect to 10.77.0.2:3306: refused); its agent does not answer either";
  // Whether it was the standby ...
  auto standby = DecideRound({.term = 4, .writer_term = 3}, in);
  EXPECT_FALSE(standby.writer);
  EXPECT_EQ(standby.state.role, WriterRole::kStandby);
  EXPECT_EQ(standby.report.reason, why);
  // ... or the writer: a new mysqld drops the role, and nothing proves it
  // holds what the peer may have committed.
  auto writer = DecideRound(Writer(4), in);
  EXPECT_FALSE(writer.writer);
  EXPECT_EQ(writer.state.role, WriterRole::kStandby);
  EXPECT_EQ(writer.report.reason, "mysqld restarted since it took the writer role; " + why);
  // The peer's agent is back and says its mysqld is dead, and vouches: this
  // server restarted since, so what semi-sync delivered may be gone.
  in.peer_agent = {.reachable = true, .report = PeerReport(WriterRole::kStandby, 4, Mysqld::kDead)};
  in.peer_agent.report.vouch = true;
  in.peer_agent.report.last_gtid = "1-1-10";
  auto vouched = DecideRound({.term = 4, .writer_term = 3}, in);
  EXPECT_FALSE(vouched.writer);
  EXPECT_FALSE(vouched.report.eligible);
}

TEST(WriterDecision, AgentPartitionOnlyTheStandbyWaitsForThePeerAgent) {
  RoundInput in = Healthy({});
  in.peer_agent = {.reachable = false, .error = "connect 10.77.0.2:9480: timed out"};
  auto out = DecideRound({.term = 3}, in);
  EXPECT_TRUE(out.report.eligible);
  EXPECT_EQ(out.report.reason,
            "cannot tell whether peer 10.77.0.2 is the writer: its agent does not answer "
            "(connect 10.77.0.2:9480: timed out)");
}

TEST(WriterDecision, AgentRestartAloneKeepsTheRole) {
  // Same mysqld incarnation (start time within jitter): still the writer.
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 2));
  in.local.started = 1001;
  EXPECT_TRUE(DecideRound(Writer(3), in).writer);
  in.peer_agent = {.reachable = false, .error = "refused"};
  EXPECT_TRUE(DecideRound(Writer(3), in).writer);
}

TEST(WriterDecision, ColdStartTogetherTheBetterNodeTakesItTheOtherWaits) {
  // Fresh pair: equal writer terms, so the lower server_id (1, here) wins.
  auto me = DecideRound({}, Healthy(PeerReport(WriterRole::kStandby, 0)));
  EXPECT_EQ(me.state.role, WriterRole::kCandidate);

  RoundInput other = Healthy(me.report);
  other.local.server_id = 2;
  other.peer_agent.report.server_id = 1;
  other.peer_agent.report.eligible = true;
  auto them = DecideRound({}, other);
  EXPECT_EQ(them.state.role, WriterRole::kStandby);
  EXPECT_EQ(them.report.reason,
            "peer 10.77.0.2 is also a candidate and has priority (writer term 0, server_id 1): "
            "it takes the role");
  auto me2 = DecideRound(me.state, Healthy(PeerReport(WriterRole::kStandby, 0)));
  EXPECT_TRUE(me2.writer);
  EXPECT_EQ(me2.state.writer_term, 1u);
}

TEST(WriterDecision, TheLastWriterHasPriorityOverALowerServerId) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 5));
  auto out = DecideRound({.term = 5, .writer_term = 4}, in);
  EXPECT_EQ(out.state.role, WriterRole::kStandby);
  // An ineligible better peer does not block this node.
  in.peer_agent.report.eligible = false;
  EXPECT_EQ(DecideRound({.term = 5, .writer_term = 4}, in).state.role, WriterRole::kCandidate);
}

TEST(WriterDecision, TwoCandidatesTheBetterOneWaitsForTheOtherToWithdraw) {
  WriterState candidate{.role = WriterRole::kCandidate};
  RoundInput in = Healthy(PeerReport(WriterRole::kCandidate, 0));
  in.peer_agent.report.server_id = 2;  // this node (1) is better
  auto out = DecideRound(candidate, in);
  EXPECT_FALSE(out.writer);
  EXPECT_EQ(out.state.role, WriterRole::kCandidate);
  EXPECT_EQ(out.report.reason, "both candidates: waiting for peer 10.77.0.2 to withdraw");
}

TEST(WriterDecision, ACandidateWhosePeerBecameWriterWithdraws) {
  WriterState candidate{.role = WriterRole::kCandidate, .term = 1};
  auto out = DecideRound(candidate, Healthy(PeerReport(WriterRole::kWriter, 2)));
  EXPECT_FALSE(out.writer);
  EXPECT_EQ(out.state.role, WriterRole::kStandby);
}

TEST(WriterDecision, AWriterYieldsToAPeerWriterOfALaterTermAndFences) {
  RoundInput in = Healthy(PeerReport(WriterRole::kWriter, 5));
  in.fence = true;
  auto out = DecideRound(Writer(4), in);
  EXPECT_FALSE(out.writer);
  EXPECT_EQ(out.state.role, WriterRole::kStandby);
  EXPECT_EQ(out.read_only, ReadOnlyAction::kSetOn);
  // ... and not to one of an earlier term (that one yields on its side).
  EXPECT_TRUE(DecideRound(Writer(6), in).writer);
}

TEST(WriterDecision, HandoverTheOldWriterWaitsTheStandbyTakesTheRole) {
  WriterState handover = Writer(4);
  handover.role = WriterRole::kHandover;
  auto old_writer = DecideRound(handover, Healthy(PeerReport(WriterRole::kStandby, 3)));
  EXPECT_FALSE(old_writer.writer);
  EXPECT_EQ(old_writer.state.role, WriterRole::kHandover);

  // The standby takes it even though the old writer would have priority.
  RoundInput in = Healthy(old_writer.report);
  in.local.server_id = 2;
  in.peer_agent.report.server_id = 1;
  in.peer_agent.report.eligible = true;
  auto round1 = DecideRound({.term = 4, .writer_term = 3}, in);
  EXPECT_EQ(round1.state.role, WriterRole::kCandidate);
  auto round2 = DecideRound(round1.state, in);
  EXPECT_TRUE(round2.writer);
  EXPECT_EQ(round2.state.writer_term, 5u);

  auto done = DecideRound(handover, Healthy(round2.report));
  EXPECT_EQ(done.state.role, WriterRole::kStandby);
}

TEST(WriterDecision, FenceLiftsItsOwnReadOnlyOnlyOnBecomingWriter) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 0));
  in.fence = true;
  in.local.read_only = true;
  WriterState fenced{.role = WriterRole::kCandidate, .fenced = true};
  auto out = DecideRound(fenced, in);
  EXPECT_TRUE(out.writer);
  EXPECT_EQ(out.read_only, ReadOnlyAction::kSetOff);
  // A standby with fence on is kept read_only.
  in.local.read_only = false;
  EXPECT_EQ(DecideRound({.term = 2}, Healthy(PeerReport(WriterRole::kWriter, 2))).read_only,
            ReadOnlyAction::kNone);
  RoundInput fenced_standby = Healthy(PeerReport(WriterRole::kWriter, 2));
  fenced_standby.fence = true;
  EXPECT_EQ(DecideRound({.term = 2}, fenced_standby).read_only, ReadOnlyAction::kSetOn);
}

TEST(WriterDecision, ReadOnlySetByHandWithoutFenceIsNotEligible) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 0));
  in.local.read_only = true;
  auto out = DecideRound({}, in);
  EXPECT_FALSE(out.report.eligible);
  EXPECT_EQ(out.report.reason, "read_only is ON and [pair] fence is off, so the agent leaves it");
}

TEST(WriterDecision, NotReadyIsTheReason) {
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 0));
  in.local.ready = false;
  in.local.not_ready = "channel '': not caught up";
  auto out = DecideRound({}, in);
  EXPECT_FALSE(out.report.eligible);
  EXPECT_EQ(out.report.reason, "channel '': not caught up");
}

// Found by writer_soak: a SET read_only = ON that timed out took effect on
// the server later; the node, writer again, never lifted it (no writer).
TEST(WriterDecision, AFailedFenceMayHaveTakenEffectAndIsLiftedLater) {
  EXPECT_TRUE(FencedAfter(ReadOnlyAction::kSetOn, false, false));
  EXPECT_TRUE(FencedAfter(ReadOnlyAction::kSetOn, true, false));
  EXPECT_FALSE(FencedAfter(ReadOnlyAction::kSetOff, true, true));
  EXPECT_TRUE(FencedAfter(ReadOnlyAction::kSetOff, false, true));
  EXPECT_FALSE(FencedAfter(ReadOnlyAction::kNone, false, false));
  // So the writer, seeing read_only=ON that it may have set, lifts it.
  WriterState writer = Writer(3);
  writer.fenced = FencedAfter(ReadOnlyAction::kSetOn, false, false);
  RoundInput in = Healthy(PeerReport(WriterRole::kStandby, 3));
  in.local.read_only = true;
  in.fence = true;
  EXPECT_EQ(DecideRound(writer, in).read_only, ReadOnlyAction::kSetOff);
}

}  // namespace
}  // namespace rsagent::pair
