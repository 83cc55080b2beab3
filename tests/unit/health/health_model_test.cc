#include "health/health_model.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "tests/unit/health/test_config.h"
#include "tests/unit/probes/kind_samples.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;
using testing::MysqlProbe;
using testing::Service;
using testing::TcpProbe;

probes::ProbeResult Pass() { return {.outcome = {true, "ok"}}; }
probes::ProbeResult Fail(const std::string& why) { return {.outcome = {false, why}}; }

class HealthModelTest : public ::testing::Test {
 protected:
  HealthModelTest() {
    config_.probes = {TcpProbe("a"), TcpProbe("b")};
    config_.services = {Service("web", {"a", "b"}), Service("only-a", {"a"})};
  }
  SteadyTime At(int ms) const { return t0_ + milliseconds(ms); }
  const ServiceView& Svc(const HealthModel& m, const std::string& name) {
    return *m.Current()->FindService(name);
  }

  conf::Config config_;
  SteadyTime t0_ = Clock::now();
};

TEST_F(HealthModelTest, EverythingStartsDown) {
  HealthModel m(config_, At(0));
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_EQ(Svc(m, "web").reason, "probe a: no result yet; probe b: no result yet");
  EXPECT_EQ(Svc(m, "web").cause, "probe a down; probe b down");
  EXPECT_FALSE(m.Current()->all_up);
}

TEST_F(HealthModelTest, ServiceIsTheAndOfItsProbes) {
  HealthModel m(config_, At(0));
  for (int i = 1; i <= 2; ++i) {
    m.Record("a", Pass(), At(i * 100));
    m.Record("b", Fail("connection refused"), At(i * 100));
  }
  EXPECT_TRUE(Svc(m, "only-a").up);
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_EQ(Svc(m, "web").reason, "probe b: connection refused");
  EXPECT_EQ(Svc(m, "web").cause, "probe b down");
  EXPECT_FALSE(m.Current()->all_up);
  m.Record("b", Pass(), At(300));
  m.Record("b", Pass(), At(400));
  EXPECT_TRUE(Svc(m, "web").up);
  EXPECT_TRUE(m.Current()->all_up);
  EXPECT_EQ(Svc(m, "web").transitions, 1u);
}

TEST_F(HealthModelTest, RiseAndFallApply) {
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));
  EXPECT_FALSE(Svc(m, "only-a").up) << "one pass is not enough with rise=2";
  m.Record("a", Pass(), At(200));
  EXPECT_TRUE(Svc(m, "only-a").up);
  m.Record("a", Fail("x"), At(300));
  EXPECT_TRUE(Svc(m, "only-a").up) << "one failure is not enough with fall=2";
  m.Record("a", Fail("x"), At(400));
  EXPECT_FALSE(Svc(m, "only-a").up);
}

TEST_F(HealthModelTest, StaleResultCountsAsFailure) {
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));
  m.Record("a", Pass(), At(200));
  // interval 1s, timeout 500ms: stale after 2.5s without a result.
  m.Refresh(At(200 + 2500));
  EXPECT_TRUE(Svc(m, "only-a").up);
  m.Refresh(At(200 + 2501));
  EXPECT_FALSE(Svc(m, "only-a").up);
  EXPECT_NE(Svc(m, "only-a").reason.find("stale"), std::string::npos);
  EXPECT_EQ(Svc(m, "only-a").cause, "probe a stale");
  const ProbeView& a = m.Current()->probes[0];
  EXPECT_TRUE(a.verdicts[0].stale);
  // A fresh result ends staleness; the probe was UP before, so it is UP again.
  m.Record("a", Pass(), At(3000));
  EXPECT_TRUE(Svc(m, "only-a").up);
}

TEST_F(HealthModelTest, OverridesTurnServiceDown) {
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));
  m.Record("a", Pass(), At(200));
  m.SetOverride("only-a", {AdminState::kDrain, std::chrono::system_clock::now()}, At(300));
  EXPECT_FALSE(Svc(m, "only-a").up);
  EXPECT_EQ(Svc(m, "only-a").reason, "drain");
  EXPECT_EQ(Svc(m, "only-a").cause, "drain");
  m.SetOverride("only-a", {AdminState::kNone, {}}, At(400));
  EXPECT_TRUE(Svc(m, "only-a").up);
}

TEST_F(HealthModelTest, ShuttingDownTurnsEverythingDown) {
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));
  m.Record("a", Pass(), At(200));
  m.SetShuttingDown(At(300));
  EXPECT_FALSE(Svc(m, "only-a").up);
  EXPECT_EQ(Svc(m, "only-a").reason, "shutting down");
  EXPECT_EQ(Svc(m, "only-a").cause, "shutting down");
}

TEST_F(HealthModelTest, ServiceWithVipNeedsItBoundAndArpSuppressed) {
  const IpAddress vip = *IpAddress::Parse("192.168.1.100");
  config_.vip.addresses = {vip};
  config_.services[1].vip = vip;
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));
  m.Record("a", Pass(), At(200));
  EXPECT_FALSE(Svc(m, "only-a").up) << "VIP state unknown";
  netsetup::DrStatus dr;
  dr.vips = {{.address = vip, .present = true}};
  dr.arp_ok = true;
  m.SetDrStatus(dr, At(300));
  EXPECT_TRUE(Svc(m, "only-a").up);
  dr.vips[0].present = false;
  m.SetDrStatus(dr, At(400));
  EXPECT_FALSE(Svc(m, "only-a").up);
  EXPECT_EQ(Svc(m, "only-a").reason, "VIP 192.168.1.100 not bound on lo");
  EXPECT_EQ(Svc(m, "only-a").cause, "vip missing");
  dr.vips[0].present = true;
  dr.arp_ok = false;
  dr.arp_error = "eth0: arp_ignore=0";
  m.SetDrStatus(dr, At(500));
  EXPECT_EQ(Svc(m, "only-a").reason, "ARP suppression not effective: eth0: arp_ignore=0");
  EXPECT_EQ(Svc(m, "only-a").cause, "arp not suppressed");
  EXPECT_EQ(Svc(m, "web").reason.find("ARP"), std::string::npos);
}

TEST_F(HealthModelTest, RolesHaveTheirOwnHysteresis) {
  config_.probes = {MysqlProbe("db")};
  config_.services = {Service("writer", {"db"}, conf::Role::kWriter),
                      Service("reader", {"db"}, conf::Role::kReader)};
  HealthModel m(config_, At(0));
  probes::ProbeResult r = Pass();
  r.roles["writer"] = {false, "read_only is ON"};
  r.roles["reader"] = {true, ""};
  m.Record("db", r, At(100));
  EXPECT_TRUE(Svc(m, "reader").up);
  EXPECT_FALSE(Svc(m, "writer").up);
  EXPECT_EQ(Svc(m, "writer").reason, "probe db (writer): read_only is ON");
  EXPECT_EQ(Svc(m, "writer").cause, "probe db (writer) down");
  r.roles.erase("reader");
  m.Record("db", r, At(200));
  EXPECT_FALSE(Svc(m, "reader").up) << "a missing role verdict is a failure";
}

// Every row of probes/probe_kinds.cc: a service with a role reads its
// probe's verdict for that role exactly when the kind yields roles, and the
// probe's own outcome otherwise.
TEST_F(HealthModelTest, EveryKindFeedsServicesByItsRolesFlag) {
  for (const probes::ProbeKind& kind : probes::ProbeKinds()) {
    SCOPED_TRACE(std::string(kind.config.type));
    conf::LoadResult loaded =
        probes::testing::LoadKindSample(kind, kind.config.yields_roles ? "writer" : "");
    ASSERT_TRUE(loaded.ok()) << loaded.ErrorLines().front();
    HealthModel m(loaded.config(), At(0));
    probes::ProbeResult r;
    r.outcome = {!kind.config.yields_roles, "own outcome"};
    r.roles["writer"] = {kind.config.yields_roles, "writer verdict"};
    m.Record("p", r, At(100));
    m.Record("p", r, At(200));
    EXPECT_TRUE(Svc(m, "s").up) << Svc(m, "s").reason;
  }
}

TEST_F(HealthModelTest, ReconfigureKeepsUnchangedProbeState) {
  HealthModel m(config_, At(0));
  for (int i = 1; i <= 2; ++i) {
    m.Record("a", Pass(), At(i * 100));
    m.Record("b", Pass(), At(i * 100));
  }
  ASSERT_TRUE(Svc(m, "web").up);
  conf::Config next = config_;
  next.probes[1].timeout = milliseconds(400);  // b changed: starts DOWN again
  next.services.push_back(Service("new", {"a"}));
  m.Reconfigure(next, At(300));
  EXPECT_TRUE(Svc(m, "only-a").up) << "unchanged probe a must not flap";
  EXPECT_TRUE(Svc(m, "new").up);
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_EQ(Svc(m, "only-a").transitions, 1u);
}

TEST_F(HealthModelTest, ResultForRemovedProbeIsIgnored) {
  HealthModel m(config_, At(0));
  m.Record("gone", Pass(), At(100));
  EXPECT_EQ(m.Current()->probes.size(), 2u);
}

TEST_F(HealthModelTest, HealthyIgnoresAnOverrideButNotAFailure) {
  HealthModel m(config_, At(0));
  for (int i = 1; i <= 2; ++i) {
    m.Record("a", Pass(), At(i * 100));
    m.Record("b", Pass(), At(i * 100));
  }
  EXPECT_TRUE(Svc(m, "web").healthy);
  m.SetOverride("web", {AdminState::kDrain, {}}, At(300));
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_TRUE(Svc(m, "web").healthy);
  m.Record("b", Fail("refused"), At(400));
  m.Record("b", Fail("refused"), At(500));
  EXPECT_FALSE(Svc(m, "web").healthy);
  m.SetOverride("web", {AdminState::kNone, {}}, At(600));
  m.Record("b", Pass(), At(700));
  m.Record("b", Pass(), At(800));
  m.SetShuttingDown(At(900));
  EXPECT_FALSE(Svc(m, "web").healthy);
}

TEST_F(HealthModelTest, WeightRampsFromTurningUpAndFollowsTheLoad) {
  config_.services[1].weight = {.full = 200,
                                .slow_start = milliseconds(1000),
                                .min_percent = 10,
                                .by = conf::WeightBy::kConnections,
                                .busy_at = 100};
  HealthModel m(config_, At(0));
  EXPECT_EQ(Svc(m, "only-a").weight.absolute, 0);
  m.Record("a", Pass(), At(100));
  m.Record("a", Pass(), At(200));  // UP from here
  EXPECT_EQ(Svc(m, "only-a").weight.percent, 10);
  EXPECT_EQ(Svc(m, "only-a").weight.limited_by, "slow start");
  m.Refresh(At(700));
  EXPECT_EQ(Svc(m, "only-a").weight.percent, 55);
  EXPECT_EQ(Svc(m, "only-a").weight.absolute, 110);
  m.SetLoad({.connections = {{"only-a", 50}}, .cpu_pressure = 3.5}, At(1200));
  EXPECT_EQ(Svc(m, "only-a").connections, 50u);
  EXPECT_EQ(Svc(m, "only-a").weight.percent, 55);
  EXPECT_EQ(Svc(m, "only-a").weight.limited_by, "connections");
  EXPECT_FALSE(Svc(m, "web").connections.has_value()) << "not sampled";
  EXPECT_EQ(m.Current()->cpu_pressure, 3.5);
  m.SetOverride("only-a", {AdminState::kDrain, {}}, At(1300));
  EXPECT_EQ(Svc(m, "only-a").weight.absolute, 0);
}

}  // namespace
}  // namespace rsagent::agent

namespace rsagent::agent {
namespace {

// Issue 16: a publish costs O(probes), so only a result that changes a
// verdict publishes at once; the others wait for the next Refresh.
TEST_F(HealthModelTest, AResultThatChangesNoVerdictWaitsForTheNextRefresh) {
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));  // first result: published ("no result yet" ends)
  const auto first = m.Current();
  EXPECT_EQ(first->probes[0].attempts, 1u);
  m.Record("a", Fail("refused"), At(200), std::chrono::microseconds(1500));  // rise 2: no flip
  EXPECT_EQ(m.Current(), first) << "republished for a result that changed no verdict";
  m.Refresh(At(250));
  const ProbeView& a = m.Current()->probes[0];
  EXPECT_EQ(a.attempts, 2u);
  EXPECT_EQ(a.last.outcome.reason, "refused");
  EXPECT_EQ(a.schedule_delay, std::chrono::microseconds(1500));
  m.Record("a", Pass(), At(300));
  m.Record("a", Pass(), At(400));  // rise reached: UP, published at once
  EXPECT_TRUE(m.Current()->probes[0].verdicts[0].up);
  EXPECT_TRUE(Svc(m, "only-a").up);
}

TEST(HealthModelPairTest, ThePairGatesItsServiceFromTheStart) {
  conf::Config config;
  config.probes = {testing::MysqlProbe("mysql")};
  config.services = {testing::Service("db-writer", {"mysql"}, conf::Role::kWriter),
                     testing::Service("db-reader", {"mysql"}, conf::Role::kReader)};
  config.pair = conf::PairConfig{.service = "db-writer", .probe = "mysql"};
  const SteadyTime t0 = Clock::now();
  HealthModel m(config, t0);
  probes::ProbeResult ok{.outcome = {true, "answers"}};
  ok.roles["writer"] = {true, "writable"};
  ok.roles["reader"] = {true, "replicating"};
  m.Record("mysql", ok, t0);
  auto writer = [&] { return *m.Current()->FindService("db-writer"); };
  EXPECT_FALSE(writer().up);
  EXPECT_EQ(writer().reason, "pair: no round yet");
  EXPECT_TRUE(m.Current()->FindService("db-reader")->up) << "the pair gates only its service";

  pair::WriterReport report{.service = "db-writer", .reason = "peer 10.0.0.2 is the writer (term 3)"};
  m.SetPairRound(false, report, {}, t0);
  EXPECT_EQ(writer().reason, "pair: peer 10.0.0.2 is the writer (term 3)");
  // Not the writer is not "healthy but for an override": HAProxy's http-check
  // on X-Rsagent-Health and the weight must both say no.
  EXPECT_FALSE(writer().healthy);
  EXPECT_EQ(writer().weight.absolute, 0);
  ASSERT_TRUE(m.Current()->pair);
  EXPECT_EQ(m.Current()->pair->reason, report.reason);
  report.role = pair::WriterRole::kWriter;
  m.SetPairRound(true, report, {}, t0);
  EXPECT_TRUE(writer().up);
  EXPECT_TRUE(writer().healthy);
  EXPECT_TRUE(m.Current()->pair_writer);
}

TEST_F(HealthModelTest, FailNowTurnsTheProbeDownAtOnceAndRiseStillGovernsUp) {
  HealthModel m(config_, At(0));
  for (int i = 1; i <= 2; ++i) {
    m.Record("a", Pass(), At(i * 100));
    m.Record("b", Pass(), At(i * 100));
  }
  ASSERT_TRUE(Svc(m, "web").up);
  m.FailNow("a", "no listener on 127.0.0.1:80", At(250));
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_FALSE(Svc(m, "only-a").up);
  EXPECT_EQ(Svc(m, "web").reason, "probe a: no listener on 127.0.0.1:80");
  m.Record("a", Pass(), At(400));
  EXPECT_FALSE(Svc(m, "web").up);  // rise = 2
  m.Record("a", Pass(), At(500));
  EXPECT_TRUE(Svc(m, "web").up);
}

TEST_F(HealthModelTest, APassThatStartedBeforeFailNowIsIgnored) {
  config_.probes[0].rise = 1;
  HealthModel fast(config_, At(0));
  fast.Record("a", Pass(), At(100));
  fast.Record("b", Pass(), At(100));
  ASSERT_TRUE(Svc(fast, "only-a").up);
  fast.FailNow("a", "no listener on 127.0.0.1:80", At(200));
  // Started at 150 (latency 100 ms), before the death was seen: it raced.
  probes::ProbeResult raced = Pass();
  raced.latency = std::chrono::milliseconds(100);
  fast.Record("a", raced, At(250));
  EXPECT_FALSE(Svc(fast, "only-a").up);
  fast.Record("a", Pass(), At(300));  // started after: counts
  EXPECT_TRUE(Svc(fast, "only-a").up);
}

TEST_F(HealthModelTest, FailNowOfAnUnknownProbeChangesNothing) {
  HealthModel m(config_, At(0));
  m.FailNow("gone", "no listener", At(100));
  EXPECT_EQ(Svc(m, "web").reason, "probe a: no result yet; probe b: no result yet");
}

// max_down: the pool's panic threshold (health/panic_threshold.h), three
// nodes (this one and two peers), at most one DOWN for failing probes.
class HealthModelPoolTest : public HealthModelTest {
 protected:
  HealthModelPoolTest() {
    config_.probes = {TcpProbe("a", 1, 1)};
    config_.services = {Service("web", {"a"})};
    config_.services[0].max_down = 1;
    config_.peers = {conf::PeerConfig{.name = "p1"}, conf::PeerConfig{.name = "p2"}};
  }
  // Both peers read now (after anything recorded so far), in these states.
  void Peers(HealthModel& m, PoolState p1, PoolState p2, int at_ms) {
    const SteadyTime read = std::chrono::steady_clock::now();
    auto standing = [&](PoolState state) {
      return PeerStanding{.state = state, .serving = state != PoolState::kDown,
                          .read_started = read, .read_done = read};
    };
    m.SetPeerReads({"web"}, {{.services = {standing(p1)}}, {.services = {standing(p2)}}},
                   milliseconds(60'000), At(at_ms));
  }
};

TEST_F(HealthModelPoolTest, AFailingNodeIsHeldUpUntilEnoughPeersAreHealthy) {
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));
  ASSERT_TRUE(Svc(m, "web").up);
  EXPECT_EQ(Svc(m, "web").pool, PoolState::kOk);
  m.Record("a", Fail("timed out after 500ms"), At(200));
  // No read of the peers since the failure: no evidence they are healthy.
  EXPECT_TRUE(Svc(m, "web").up);
  EXPECT_TRUE(Svc(m, "web").held);
  EXPECT_EQ(Svc(m, "web").pool, PoolState::kFailing);
  EXPECT_EQ(Svc(m, "web").reason,
            "held UP by max_down 1 of 3: 0 of the 2 peers needed healthy (probe a: timed out "
            "after 500ms)");
  EXPECT_EQ(Svc(m, "web").weight.absolute, 100);
  Peers(m, PoolState::kOk, PoolState::kFailing, 250);  // one failing too: still held
  EXPECT_TRUE(Svc(m, "web").held);
  Peers(m, PoolState::kOk, PoolState::kOk, 300);
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_FALSE(Svc(m, "web").held);
  EXPECT_EQ(Svc(m, "web").cause, "probe a down");
  EXPECT_EQ(Svc(m, "web").reason,
            "probe a: timed out after 500ms; max_down 1 of 3 allows it: 2 peers healthy");
  // The peers fail after it and are held UP: it stays DOWN, the pool keeps two.
  Peers(m, PoolState::kFailing, PoolState::kFailing, 350);
  EXPECT_FALSE(Svc(m, "web").up);
  // One of them is drained: too few would be left, back UP.
  Peers(m, PoolState::kFailing, PoolState::kDown, 400);
  EXPECT_TRUE(Svc(m, "web").held);
  m.Record("a", Pass(), At(500));
  EXPECT_TRUE(Svc(m, "web").up);
  EXPECT_FALSE(Svc(m, "web").held);
  EXPECT_EQ(Svc(m, "web").pool, PoolState::kOk);
}

TEST_F(HealthModelPoolTest, ADeadServiceAnOverrideOrNoResultYetIsNeverHeld) {
  HealthModel m(config_, At(0));
  EXPECT_FALSE(Svc(m, "web").up);  // no result yet: it never was ok
  EXPECT_EQ(Svc(m, "web").pool, PoolState::kDown);
  m.Record("a", Fail("timed out after 500ms"), At(50));
  EXPECT_FALSE(Svc(m, "web").up);  // failing, but not from ok
  m.Record("a", Pass(), At(100));
  ASSERT_TRUE(Svc(m, "web").up);
  probes::ProbeResult refused = Fail("127.0.0.1:80: connection refused");
  refused.outcome.gone = true;
  m.Record("a", refused, At(200));
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_EQ(Svc(m, "web").pool, PoolState::kDown);
  m.Record("a", Pass(), At(300));
  m.FailNow("a", "no listener on 127.0.0.1:80", At(400));
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_TRUE(Svc(m, "web").causes.gone);
  m.Record("a", Pass(), At(500));
  m.SetOverride("web", {.state = AdminState::kDrain}, At(600));
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_EQ(Svc(m, "web").pool, PoolState::kDown);
  m.Record("a", Fail("timed out after 500ms"), At(700));  // drained and failing: still down
  EXPECT_FALSE(Svc(m, "web").held);
}

TEST_F(HealthModelPoolTest, WithoutMaxDownNothingIsHeldButThePoolIsStillPublished) {
  config_.services[0].max_down.reset();
  HealthModel m(config_, At(0));
  m.Record("a", Pass(), At(100));
  m.Record("a", Fail("timed out after 500ms"), At(200));
  EXPECT_FALSE(Svc(m, "web").up);
  EXPECT_FALSE(Svc(m, "web").held);
  EXPECT_EQ(Svc(m, "web").pool, PoolState::kFailing);
}

}  // namespace
}  // namespace rsagent::agent
