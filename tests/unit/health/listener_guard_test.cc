#include "health/listener_guard.h"

#include <gtest/gtest.h>

#include <set>

#include "common/clock.h"
#include "probes/exec_probe.h"
#include "probes/http_probe.h"
#include "probes/tcp_probe.h"
#include "tests/unit/health/test_config.h"

namespace rsagent::agent {
namespace {

using testing::Service;
using testing::TcpProbe;
using Event = netsetup::ListenerWatch::Event;

probes::ProbeResult Pass() { return {.outcome = {true, "ok"}}; }

class ListenerGuardTest : public ::testing::Test {
 protected:
  ListenerGuardTest() {
    conf::ProbeConfig tcp = TcpProbe("ports", 1, 3);
    tcp.spec =
        probes::TcpProbeSpec{{*Endpoint::Parse("127.0.0.1:80"), *Endpoint::Parse("127.0.0.1:443")}};
    conf::ProbeConfig http = TcpProbe("nginx", 1, 3);
    http.spec = probes::HttpProbeSpec{.url = "http://localhost:8080/health"};
    conf::ProbeConfig unwatched = TcpProbe("quiet", 1, 3);
    unwatched.watch_listener = false;
    conf::ProbeConfig exec = TcpProbe("script", 1, 3);
    exec.spec = probes::ExecProbeSpec{.command = {"/bin/true"}};
    config_.probes = {tcp, http, unwatched, exec};
    for (const auto& p : config_.probes) config_.services.push_back(Service(p.name, {p.name}));
  }
  void AllUp(HealthModel& m) {
    for (const auto& p : config_.probes) m.Record(p.name, Pass(), t0_);
  }
  bool Up(const HealthModel& m, const std::string& name) {
    return m.Current()->FindService(name)->up;
  }
  // Listening everywhere but on `dead`; records what was asked.
  ListenerGuard::Listening AllBut(std::set<std::string> dead) {
    return [this, dead](const Endpoint& e) -> Result<bool> {
      asked_.push_back(e.ToString());
      return !dead.contains(e.ToString());
    };
  }

  conf::Config config_;
  SteadyTime t0_ = Clock::now();
  std::vector<std::string> asked_;
};

TEST_F(ListenerGuardTest, ADeadTargetFailsItsProbeAtOnce) {
  HealthModel m(config_, t0_);
  AllUp(m);
  ListenerGuard::Apply(Event{.ports = {443}}, m, AllBut({"127.0.0.1:443"}), t0_);
  EXPECT_FALSE(Up(m, "ports"));  // fall = 3, yet DOWN after one event
  EXPECT_EQ(m.Current()->FindService("ports")->reason,
            "probe ports: no listener on 127.0.0.1:443 (its socket was destroyed)");
  EXPECT_TRUE(Up(m, "nginx"));
  EXPECT_EQ(asked_, std::vector<std::string>{"127.0.0.1:443"});
}

TEST_F(ListenerGuardTest, AnotherListenerStillServingFailsNothing) {
  HealthModel m(config_, t0_);
  AllUp(m);
  ListenerGuard::Apply(Event{.ports = {80, 8080}}, m, AllBut({}), t0_);
  EXPECT_TRUE(Up(m, "ports"));
  EXPECT_TRUE(Up(m, "nginx"));
}

TEST_F(ListenerGuardTest, TheHttpUrlIsWatchedLocalhostAs127001) {
  HealthModel m(config_, t0_);
  AllUp(m);
  ListenerGuard::Apply(Event{.ports = {8080}}, m, AllBut({"127.0.0.1:8080"}), t0_);
  EXPECT_FALSE(Up(m, "nginx"));
  EXPECT_TRUE(Up(m, "ports"));
}

TEST_F(ListenerGuardTest, UnwatchedAndOtherKindsAreNeverFailed) {
  HealthModel m(config_, t0_);
  AllUp(m);
  // "quiet" is a tcp probe on 127.0.0.1:80 with watch_listener = false.
  ListenerGuard::Apply(Event{.overrun = true}, m,
                       AllBut({"127.0.0.1:80", "127.0.0.1:443", "127.0.0.1:8080"}), t0_);
  EXPECT_FALSE(Up(m, "ports"));
  EXPECT_FALSE(Up(m, "nginx"));
  EXPECT_TRUE(Up(m, "quiet"));
  EXPECT_TRUE(Up(m, "script"));
}

TEST_F(ListenerGuardTest, AnOverrunRechecksEveryTarget) {
  HealthModel m(config_, t0_);
  AllUp(m);
  ListenerGuard::Apply(Event{.overrun = true}, m, AllBut({}), t0_);
  EXPECT_EQ(asked_, (std::vector<std::string>{"127.0.0.1:80", "127.0.0.1:443", "127.0.0.1:8080"}));
}

TEST_F(ListenerGuardTest, AQueryErrorFailsNothing) {
  HealthModel m(config_, t0_);
  AllUp(m);
  ListenerGuard::Apply(
      Event{.ports = {80}}, m, [](const Endpoint&) -> Result<bool> { return Error{"timed out"}; },
      t0_);
  EXPECT_TRUE(Up(m, "ports"));
}

TEST_F(ListenerGuardTest, AnUnwatchedPortAsksNothing) {
  HealthModel m(config_, t0_);
  AllUp(m);
  ListenerGuard::Apply(Event{.ports = {22}}, m, AllBut({}), t0_);
  EXPECT_TRUE(asked_.empty());
}

}  // namespace
}  // namespace rsagent::agent
