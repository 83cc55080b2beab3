// State changes as the health model reports them: exactly one event per
// change, with from, to, why and how long the previous state lasted; nothing
// per attempt.
#include "health/state_changes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/clock.h"
#include "health/health_model.h"
#include "tests/unit/health/test_config.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using testing::Service;
using testing::TcpProbe;

probes::ProbeResult Pass() { return {.outcome = {true, "HTTP 200"}}; }
probes::ProbeResult Fail() { return {.outcome = {false, "connect: refused"}}; }

class Recorder : public EventSink {
 public:
  void Emit(const Event& e) override { events.push_back(e); }
  std::vector<std::string> Messages() {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(EventMessage(e));
    events.clear();
    return out;
  }
  std::vector<Event> events;
};

class StateChangesTest : public ::testing::Test {
 protected:
  StateChangesTest() {
    config_.probes = {TcpProbe("nginx")};
    config_.services = {Service("web", {"nginx"})};
  }
  SteadyTime At(int ms) const { return t0_ + milliseconds(ms); }

  conf::Config config_;
  SteadyTime t0_ = Clock::now();
  Recorder rec_;
};

TEST_F(StateChangesTest, RiseAndFallLogOneLinePerChangeNotPerAttempt) {
  HealthModel m(config_, At(0), &rec_);
  m.Record("nginx", Pass(), At(1000));
  EXPECT_TRUE(rec_.Messages().empty());  // rise = 2: nothing changed yet
  m.Record("nginx", Pass(), At(2000));
  EXPECT_THAT(rec_.Messages(),
              ElementsAre("probe nginx DOWN -> UP (was DOWN for 2.0s): HTTP 200",
                          "service web DOWN -> UP (was DOWN for 2.0s): all checks pass"));
  for (int i = 3; i < 20; ++i) m.Record("nginx", Pass(), At(i * 1000));
  m.Record("nginx", Fail(), At(20'000));
  EXPECT_TRUE(rec_.Messages().empty());
  m.Record("nginx", Fail(), At(21'000));
  ASSERT_EQ(rec_.events.size(), 2u);
  const Event probe = rec_.events[0], service = rec_.events[1];
  EXPECT_EQ(probe.action, "probe-state-change");
  EXPECT_EQ(probe.probe, "nginx");
  EXPECT_EQ(probe.level, spdlog::level::warn);
  EXPECT_TRUE(probe.flood_bounded);
  EXPECT_EQ(service.service, "web");
  EXPECT_EQ(service.reason, "probe nginx: connect: refused");
  EXPECT_THAT(
      rec_.Messages(),
      ElementsAre("probe nginx UP -> DOWN (was UP for 19.0s): connect: refused",
                  "service web UP -> DOWN (was UP for 19.0s): probe nginx: connect: refused"));
}

TEST_F(StateChangesTest, StalenessIsAChangeAndSoIsItsEnd) {
  HealthModel m(config_, At(0), &rec_);
  m.Record("nginx", Pass(), At(100));
  m.Record("nginx", Pass(), At(200));
  rec_.Messages();
  m.Refresh(At(2000));  // 2 x 1s + 500ms not yet over
  EXPECT_TRUE(rec_.Messages().empty());
  m.Refresh(At(2800));
  EXPECT_THAT(rec_.Messages(),
              ElementsAre("probe nginx UP -> DOWN (was UP for 2.6s): stale: no result for 2600ms",
                          "service web UP -> DOWN (was UP for 2.6s): probe nginx: stale: no result "
                          "for 2600ms"));
  m.Record("nginx", Pass(), At(3800));
  EXPECT_THAT(rec_.Messages(),
              ElementsAre("probe nginx DOWN -> UP (was DOWN for 1.0s): HTTP 200",
                          "service web DOWN -> UP (was DOWN for 1.0s): all checks pass"));
}

TEST_F(StateChangesTest, AnOperatorsDrainIsInfoAFaultAWarning) {
  HealthModel m(config_, At(0), &rec_);
  m.Record("nginx", Pass(), At(100));
  m.Record("nginx", Pass(), At(200));
  rec_.events.clear();
  m.SetOverride("web", AdminOverride{.state = AdminState::kDrain}, At(1000));
  ASSERT_EQ(rec_.events.size(), 1u);
  EXPECT_EQ(rec_.events[0].level, spdlog::level::info);
  EXPECT_THAT(rec_.Messages(), ElementsAre("service web UP -> DOWN (was UP for 800ms): drain"));
  m.SetOverride("web", AdminOverride{}, At(1500));
  EXPECT_THAT(rec_.Messages(),
              ElementsAre("service web DOWN -> UP (was DOWN for 500ms): all checks pass"));
  m.SetShuttingDown(At(2000));
  ASSERT_EQ(rec_.events.size(), 1u);
  EXPECT_EQ(rec_.events[0].level, spdlog::level::info);
}

TEST_F(StateChangesTest, VipHealMissingAndArp) {
  config_.vip.addresses = {*IpAddress::Parse("10.0.0.1")};
  config_.services[0].vip = config_.vip.addresses[0];
  HealthModel m(config_, At(0), &rec_);
  netsetup::DrStatus dr{.managed = true,
                        .vips = {{.address = config_.vip.addresses[0], .present = true}},
                        .arp_ok = true};
  m.SetDrStatus(dr, At(100));
  EXPECT_TRUE(rec_.Messages().empty());  // the first report is the start-up state
  dr.vips[0].heals = 1;
  m.SetDrStatus(dr, At(60'100));
  ASSERT_EQ(rec_.events.size(), 1u);
  EXPECT_EQ(rec_.events[0].action, "vip-heal");
  EXPECT_EQ(rec_.events[0].vip, "10.0.0.1");
  EXPECT_THAT(rec_.Messages(), ElementsAre("VIP 10.0.0.1 removed -> bound: something removed it; "
                                           "bound it again (heal #1, it had been bound for 1m0s)"));
  dr.vips[0].present = false;
  dr.vips[0].error = "bind: Operation not permitted";
  dr.arp_ok = false;
  dr.arp_error = "eth0 arp_ignore=0";
  m.SetDrStatus(dr, At(70'100));
  EXPECT_THAT(
      rec_.Messages(),
      ElementsAre("VIP 10.0.0.1 bound -> missing (was bound for 10.0s): bind: Operation not "
                  "permitted",
                  "ARP suppression effective -> not effective (was effective for 1m10s): "
                  "eth0 arp_ignore=0"));
  m.SetDrStatus(dr, At(80'100));
  EXPECT_TRUE(rec_.Messages().empty());
}

TEST_F(StateChangesTest, AReloadThatKeepsAProbeKeepsItsStateSilently) {
  HealthModel m(config_, At(0), &rec_);
  m.Record("nginx", Pass(), At(100));
  m.Record("nginx", Pass(), At(200));
  rec_.events.clear();
  m.Reconfigure(config_, At(300));
  EXPECT_TRUE(rec_.Messages().empty());
  conf::Config next = config_;
  next.probes.push_back(TcpProbe("extra"));
  next.services.push_back(Service("api", {"extra"}));
  m.Reconfigure(next, At(400));
  EXPECT_TRUE(rec_.Messages().empty());  // new ones start DOWN: not a change
}

TEST_F(StateChangesTest, BeingHeldUpByMaxDownIsOneWarningAndItsEndOneLine) {
  config_.probes = {TcpProbe("nginx", 1, 1)};
  config_.services[0].max_down = 1;
  config_.peers = {conf::PeerConfig{.name = "d"}};
  HealthModel m(config_, At(0), &rec_);
  m.Record("nginx", Pass(), At(1000));
  rec_.Messages();
  m.Record("nginx", {.outcome = {false, "timed out after 500ms"}}, At(2000));
  ASSERT_EQ(rec_.events.size(), 2u);
  EXPECT_EQ(rec_.events[1].action, "service-held");
  EXPECT_EQ(rec_.events[1].level, spdlog::level::warn);
  EXPECT_THAT(rec_.Messages(),
              ElementsAre("probe nginx UP -> DOWN (was UP for 1.0s): timed out after 500ms",
                          "service web not held -> held: held UP by max_down 1 of 2: 0 of the "
                          "1 peers needed healthy (probe nginx: timed out after 500ms)"));
  m.Record("nginx", Pass(), At(3000));
  EXPECT_THAT(rec_.Messages(),
              ElementsAre("probe nginx DOWN -> UP (was DOWN for 1.0s): HTTP 200",
                          "service web held -> not held: max_down no longer holds it UP"));
}

}  // namespace
}  // namespace rsagent::agent
