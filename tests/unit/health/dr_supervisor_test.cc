// DrSupervisor with the real netsetup, each test in a network namespace of
// its own (unshare), so nothing outside it is touched: what it binds, what it
// leaves alone, and what the health model learns. Needs root: skipped
// otherwise.
#include "health/dr_supervisor.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <functional>
#include <thread>

#include "common/clock.h"
#include "netsetup/arp_sysctl.h"
#include "netsetup/rtnl.h"
#include "tests/unit/health/test_config.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

class DrSupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (a private network namespace)";
    // This thread, and the threads it starts, move to a fresh namespace with
    // only a loopback link and the default sysctls.
    ASSERT_EQ(unshare(CLONE_NEWNET), 0) << "unshare(CLONE_NEWNET) failed";
    auto rtnl = netsetup::Rtnl::Open();
    ASSERT_TRUE(rtnl.ok()) << rtnl.error();
    rtnl_ = std::move(rtnl).value();
    ASSERT_TRUE(netsetup::ArpSysctls().Write("all", {0, 0}).ok());
    vip_.addresses = {Ip("192.0.2.10")};
    config_.probes = {testing::TcpProbe("p")};
    config_.services = {testing::Service("web", {"p"})};
    model_ = std::make_unique<HealthModel>(config_, Clock::now());
  }

  bool Bound(const char* ip) {
    auto state = rtnl_->Read();
    return state->HasAddress(state->FindLink("lo")->index, Ip(ip), 32);
  }
  void Bind(const char* ip) {
    auto state = rtnl_->Read();
    ASSERT_TRUE(rtnl_->AddAddress(state->FindLink("lo")->index, Ip(ip), 32).ok());
  }
  void Unbind(const char* ip) {
    auto state = rtnl_->Read();
    ASSERT_TRUE(rtnl_->DeleteAddress(state->FindLink("lo")->index, Ip(ip), 32).ok());
  }
  netsetup::DrStatus Dr() const { return model_->Current()->dr; }
  // Polls the model's DR status (the watch reports from its own thread).
  bool DrBecomes(
      const std::function<bool(const netsetup::DrStatus&)>& pred,
      const std::function<void()>& between = [] {}) {
    const auto give_up = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < give_up) {
      between();
      if (pred(Dr())) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  }
  std::unique_ptr<DrSupervisor> Start() {
    auto dr = DrSupervisor::Start(vip_, *model_);
    EXPECT_TRUE(dr.ok()) << dr.error();
    return dr.ok() ? std::move(dr).value() : nullptr;
  }

  conf::VipConfig vip_;
  conf::Config config_;
  std::unique_ptr<HealthModel> model_;
  std::unique_ptr<netsetup::Rtnl> rtnl_;
};

TEST_F(DrSupervisorTest, WithoutVipsThereIsNothingToDoAndNothingChanges) {
  vip_.addresses.clear();
  auto dr = Start();
  ASSERT_TRUE(dr);
  dr->Tick();
  EXPECT_TRUE(Dr().vips.empty());
  EXPECT_EQ(*netsetup::ArpSysctls().Read("all"), (netsetup::ArpValues{0, 0}));
}

TEST_F(DrSupervisorTest, ManagedStartSuppressesArpBindsTheVipsAndTellsTheModel) {
  auto dr = Start();
  ASSERT_TRUE(dr);
  EXPECT_TRUE(Bound("192.0.2.10"));
  EXPECT_EQ(*netsetup::ArpSysctls().Read("all"), (netsetup::ArpValues{1, 2}));
  EXPECT_TRUE(DrBecomes([](const netsetup::DrStatus& s) { return s.Ready() && s.managed; }));
}

TEST_F(DrSupervisorTest, AManagedNodeThatCannotBeMadeReadyRefusesToStartAndChangesNothing) {
  vip_.device = "nope0";
  auto dr = DrSupervisor::Start(vip_, *model_);
  ASSERT_FALSE(dr.ok());
  EXPECT_EQ(dr.error(), "vip: [vip].device \"nope0\" does not exist");
  EXPECT_EQ(*netsetup::ArpSysctls().Read("all"), (netsetup::ArpValues{0, 0}));
}

TEST_F(DrSupervisorTest, ManagedWatchRebindsAVipRemovedBehindItsBack) {
  auto dr = Start();
  ASSERT_TRUE(dr);
  ASSERT_TRUE(DrBecomes([](const netsetup::DrStatus& s) { return s.Ready(); }));
  Unbind("192.0.2.10");
  EXPECT_TRUE(
      DrBecomes([](const netsetup::DrStatus& s) { return s.Ready() && s.vips[0].heals == 1; }));
  EXPECT_TRUE(Bound("192.0.2.10"));
}

TEST_F(DrSupervisorTest, VerifyOnlyChangesNothingAndReportsWhatTheKernelHas) {
  vip_.manage = false;
  auto dr = Start();
  ASSERT_TRUE(dr);
  EXPECT_FALSE(Bound("192.0.2.10"));
  EXPECT_EQ(*netsetup::ArpSysctls().Read("all"), (netsetup::ArpValues{0, 0}));
  ASSERT_EQ(Dr().vips.size(), 1u);
  EXPECT_FALSE(Dr().vips[0].present);
  EXPECT_FALSE(Dr().arp_ok);

  // Set up by hand (as a script would): Tick sees it, at most a second later.
  Bind("192.0.2.10");
  ASSERT_TRUE(netsetup::ArpSysctls().Write("all", {1, 2}).ok());
  EXPECT_TRUE(DrBecomes([](const netsetup::DrStatus& s) { return s.Ready() && !s.managed; },
                        [&] { dr->Tick(); }));
}

TEST_F(DrSupervisorTest, VerifyOnlyWithAMissingDeviceReportsEveryVipMissingWithTheReason) {
  vip_.manage = false;
  vip_.device = "nope0";
  auto dr = Start();
  ASSERT_TRUE(dr) << "verifying never refuses to start";
  const netsetup::DrStatus status = Dr();
  ASSERT_EQ(status.vips.size(), 1u);
  EXPECT_FALSE(status.vips[0].present);
  EXPECT_FALSE(status.vips[0].error.empty());
  EXPECT_FALSE(status.Ready());
}

TEST_F(DrSupervisorTest, ReconfigureBindsNewVipsAndLeavesDroppedOnesBound) {
  auto dr = Start();
  ASSERT_TRUE(dr);
  conf::VipConfig next = vip_;
  next.addresses = {Ip("192.0.2.11")};
  ASSERT_TRUE(dr->Reconfigure(next).ok());
  EXPECT_TRUE(Bound("192.0.2.11"));
  EXPECT_TRUE(Bound("192.0.2.10")) << "removing it could cut live DR flows";
  EXPECT_TRUE(DrBecomes([](const netsetup::DrStatus& s) {
    return s.Ready() && s.vips.size() == 1 && s.vips[0].address == Ip("192.0.2.11");
  }));
}

TEST_F(DrSupervisorTest, ARejectedReconfigureKeepsTheRunningWatch) {
  auto dr = Start();
  ASSERT_TRUE(dr);
  ASSERT_TRUE(DrBecomes([](const netsetup::DrStatus& s) { return s.Ready(); }));
  conf::VipConfig next = vip_;
  next.device = "nope0";
  const Status rejected = dr->Reconfigure(next);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error(), "vip: [vip].device \"nope0\" does not exist");
  Unbind("192.0.2.10");
  EXPECT_TRUE(DrBecomes([](const netsetup::DrStatus& s) {
    return s.Ready() && s.vips[0].heals == 1;
  })) << "the old watch still heals";
}

TEST_F(DrSupervisorTest, ReconfigureToNoVipsClearsTheModelsDrStatus) {
  auto dr = Start();
  ASSERT_TRUE(dr);
  ASSERT_TRUE(DrBecomes([](const netsetup::DrStatus& s) { return s.Ready(); }));
  conf::VipConfig next = vip_;
  next.addresses.clear();
  ASSERT_TRUE(dr->Reconfigure(next).ok());
  EXPECT_TRUE(Dr().vips.empty());
  EXPECT_TRUE(Bound("192.0.2.10"));
}

TEST_F(DrSupervisorTest, OnStopRemovesTheVipsOnlyWithRemoveOnStop) {
  auto dr = Start();
  ASSERT_TRUE(dr);
  dr->OnStop();
  EXPECT_TRUE(Bound("192.0.2.10")) << "remove_on_stop is off by default";

  vip_.remove_on_stop = true;
  dr.reset();
  dr = Start();
  ASSERT_TRUE(dr);
  dr->OnStop();
  EXPECT_FALSE(Bound("192.0.2.10"));
}

}  // namespace
}  // namespace rsagent::agent
