#include "netsetup/dr_inspect.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rsagent::netsetup {
namespace {

namespace fs = std::filesystem;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

class DrInspectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dr_inspect_test." + std::to_string(getpid()));
    Sysctl("all", {1, 2});
    Sysctl("eth0", {0, 0});
    state_.links = {{1, "lo", true}, {2, "eth0", false}};
    state_.addresses = {{1, Ip("192.168.1.100"), 32, false}};
    config_.addresses = {Ip("192.168.1.100"), Ip("192.168.1.101")};
  }
  void TearDown() override { fs::remove_all(root_); }

  void Sysctl(const std::string& iface, ArpValues v) {
    fs::create_directories(root_ / iface);
    std::ofstream(root_ / iface / "arp_ignore") << v.arp_ignore << "\n";
    std::ofstream(root_ / iface / "arp_announce") << v.arp_announce << "\n";
  }
  DrStatus Compose(const std::vector<uint64_t>& heals = {},
                   const std::vector<std::string>& errors = {}) {
    return ComposeStatus(config_, state_, ArpSysctls(root_.string()), heals, errors);
  }

  fs::path root_;
  KernelState state_;
  conf::VipConfig config_;
};

TEST_F(DrInspectTest, InterfaceValuesAreTheMaximumWithAll) {
  const DrStatus s = Compose();
  ASSERT_EQ(s.arp.size(), 2u);
  EXPECT_EQ(s.arp[0], (ArpSetting{"all", 1, 2, true}));
  EXPECT_EQ(s.arp[1], (ArpSetting{"eth0", 1, 2, true}));  // 0/0 on eth0, but all wins
  EXPECT_TRUE(s.arp_ok);
  EXPECT_EQ(s.arp_error, "");
}

TEST_F(DrInspectTest, ALowAllIsReportedEvenWhenInterfacesAreHigh) {
  Sysctl("all", {1, 0});
  Sysctl("eth0", {0, 2});
  const DrStatus s = Compose();
  EXPECT_EQ(s.arp[1], (ArpSetting{"eth0", 1, 2, true}));
  EXPECT_FALSE(s.arp_ok);
  EXPECT_EQ(s.arp_error, "all: arp_ignore=1 arp_announce=0 in effect, need at least 1 and 2");
}

TEST_F(DrInspectTest, AnUnreadableInterfaceIsAnArpError) {
  fs::remove_all(root_ / "eth0");
  const DrStatus s = Compose();
  EXPECT_FALSE(s.arp_ok);
  EXPECT_NE(s.arp_error.find("eth0/arp_ignore"), std::string::npos) << s.arp_error;
}

TEST_F(DrInspectTest, VipsArePresentOrSayWhyNot) {
  const DrStatus s = Compose({4, 0});
  ASSERT_EQ(s.vips.size(), 2u);
  EXPECT_TRUE(s.vips[0].present);
  EXPECT_EQ(s.vips[0].heals, 4u);
  EXPECT_EQ(s.vips[0].error, "");
  EXPECT_FALSE(s.vips[1].present);
  EXPECT_EQ(s.vips[1].error, "not bound on lo as /32");
  EXPECT_FALSE(s.Ready());
}

TEST_F(DrInspectTest, ABindFailureExplainsAMissingVip) {
  const DrStatus s = Compose({}, {"", "adding 192.168.1.101: Permission denied"});
  EXPECT_EQ(s.vips[1].error, "adding 192.168.1.101: Permission denied");
}

TEST_F(DrInspectTest, AnUnreadableKernelMarksEveryVipMissing) {
  const DrStatus s =
      ComposeStatus(config_, Error{"netlink: boom"}, ArpSysctls(root_.string()), {}, {});
  for (const auto& vip : s.vips) {
    EXPECT_FALSE(vip.present);
    EXPECT_EQ(vip.error, "netlink: boom");
  }
  EXPECT_FALSE(s.arp_ok);
}

TEST_F(DrInspectTest, AStaleWiderPrefixBesideTheHostOneIsNotReady) {
  // The seed's ifcfg-lo:0 NETMASK mistake: 192.168.1.100/24 on lo. Before,
  // only the /32 was looked for, so the node was reported DR-ready.
  Sysctl("eth0", {1, 2});
  config_.addresses = {Ip("192.168.1.100")};
  state_.addresses.push_back({1, Ip("192.168.1.100"), 24, false});
  const DrStatus s = Compose();
  ASSERT_EQ(s.vips.size(), 1u);
  EXPECT_FALSE(s.vips[0].present);
  EXPECT_NE(s.vips[0].error.find("bound on lo as /24 as well"), std::string::npos)
      << s.vips[0].error;
  EXPECT_NE(s.vips[0].error.find("ip addr del 192.168.1.100/24 dev lo"), std::string::npos);
  EXPECT_FALSE(s.Ready());
  state_.addresses.pop_back();
  EXPECT_TRUE(Compose().Ready());
}

TEST_F(DrInspectTest, OnlyAWiderPrefixIsMissingAndSaysWhy) {
  config_.addresses = {Ip("192.168.1.100")};
  state_.addresses = {{1, Ip("192.168.1.100"), 24, false}};
  const DrStatus s = Compose();
  EXPECT_FALSE(s.vips[0].present);
  EXPECT_EQ(s.vips[0].error.rfind("not bound on lo as /32; bound on lo as /24 as well", 0), 0u)
      << s.vips[0].error;
}

}  // namespace
}  // namespace rsagent::netsetup
