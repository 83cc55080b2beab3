#include "netsetup/dr_plan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace rsagent::netsetup {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// lo(1), eth0(2) with its real address, eth1(3).
KernelState Host() {
  KernelState state;
  state.links = {{1, "lo", true}, {2, "eth0", false}, {3, "eth1", false}};
  state.addresses = {{1, Ip("127.0.0.1"), 8, false}, {2, Ip("192.168.1.10"), 24, false}};
  return state;
}

conf::VipConfig Vips(std::vector<const char*> addresses) {
  conf::VipConfig config;
  for (const char* a : addresses) config.addresses.push_back(Ip(a));
  return config;
}

TEST(CheckHostAddressTest, AcceptsOrdinaryAddresses) {
  EXPECT_TRUE(CheckHostAddress(Ip("192.168.1.100")).ok());
  EXPECT_TRUE(CheckHostAddress(Ip("2001:db8::100")).ok());
}

TEST(CheckHostAddressTest, RejectsWhatIsNotOneHost) {
  for (const char* bad : {"0.0.0.0", "255.255.255.255", "224.0.0.5", "127.0.0.2", "::", "::1",
                          "ff02::1", "fe80::1"}) {
    Status s = CheckHostAddress(Ip(bad));
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.error().find("not a host address"), std::string::npos) << s.error();
  }
}

TEST(ValidateVipConfigTest, AcceptsAVipOnLo) {
  EXPECT_TRUE(ValidateVipConfig(Vips({"192.168.1.100"}), Host()).ok());
}

TEST(ValidateVipConfigTest, RejectsAnUnknownDevice) {
  auto config = Vips({"192.168.1.100"});
  config.device = "dummy9";
  Status s = ValidateVipConfig(config, Host());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "[vip].device \"dummy9\" does not exist");
}

TEST(ValidateVipConfigTest, RejectsAnUnknownArpInterface) {
  auto config = Vips({"192.168.1.100"});
  config.arp_interfaces = {"eth0", "bond0"};
  Status s = ValidateVipConfig(config, Host());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("\"bond0\" does not exist"), std::string::npos) << s.error();
}

TEST(ValidateVipConfigTest, RejectsAVipThatIsAnAddressOfARealInterface) {
  Status s = ValidateVipConfig(Vips({"192.168.1.100", "192.168.1.10"}), Host());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("192.168.1.10 is already an address of eth0"), std::string::npos)
      << s.error();
}

TEST(ValidateVipConfigTest, AVipAlreadyOnTheDeviceIsFine) {
  KernelState state = Host();
  state.addresses.push_back({1, Ip("192.168.1.100"), 32, false});
  EXPECT_TRUE(ValidateVipConfig(Vips({"192.168.1.100"}), state).ok());
}

TEST(ValidateVipConfigTest, RejectsANonHostVip) {
  EXPECT_FALSE(ValidateVipConfig(Vips({"224.0.0.18"}), Host()).ok());
}

TEST(FacingInterfacesTest, DefaultsToEveryRealLinkButTheDevice) {
  EXPECT_EQ(FacingInterfaces(Vips({}), Host()), (std::vector<std::string>{"eth0", "eth1"}));
  auto config = Vips({});
  config.device = "eth1";
  EXPECT_EQ(FacingInterfaces(config, Host()), (std::vector<std::string>{"eth0"}));
}

// Sorted, whatever order the kernel lists links in: netsetup enforces, and
// diagnose and /status report, the same interfaces in the same order.
TEST(FacingInterfacesTest, SortedByName) {
  KernelState state = Host();
  std::reverse(state.links.begin(), state.links.end());
  EXPECT_EQ(FacingInterfaces(Vips({}), state), (std::vector<std::string>{"eth0", "eth1"}));
}

TEST(FacingInterfacesTest, UsesTheConfiguredListWhenGiven) {
  auto config = Vips({});
  config.arp_interfaces = {"eth1"};
  EXPECT_EQ(FacingInterfaces(config, Host()), (std::vector<std::string>{"eth1"}));
}

TEST(MissingVipsTest, AVipCountsOnlyAsAHostAddressOnTheDevice) {
  KernelState state = Host();
  state.addresses.push_back({1, Ip("192.168.1.100"), 32, false});  // right
  state.addresses.push_back({1, Ip("192.168.1.101"), 24, false});  // the classic /24 mistake
  state.addresses.push_back({3, Ip("2001:db8::1"), 128, false});   // wrong device
  state.addresses.push_back({1, Ip("2001:db8::2"), 128, false});   // right
  auto config = Vips({"192.168.1.100", "192.168.1.101", "2001:db8::1", "2001:db8::2"});
  EXPECT_EQ(MissingVips(config, state),
            (std::vector<IpAddress>{Ip("192.168.1.101"), Ip("2001:db8::1")}));
}

TEST(MissingVipsTest, AllAreMissingWhenTheDeviceIsGone) {
  auto config = Vips({"192.168.1.100"});
  config.device = "dummy0";
  EXPECT_EQ(MissingVips(config, Host()).size(), 1u);
}

}  // namespace
}  // namespace rsagent::netsetup
