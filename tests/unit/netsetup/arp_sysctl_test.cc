#include "netsetup/arp_sysctl.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rsagent::netsetup {
namespace {

namespace fs = std::filesystem;

// A copy of /proc/sys/net/ipv4/conf's layout in a temp dir.
class ArpSysctlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("arp_sysctl_test." + std::to_string(getpid()));
    Put("all", "arp_ignore", "0");
    Put("all", "arp_announce", "0");
    Put("eth0", "arp_ignore", "2");
    Put("eth0", "arp_announce", "0");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Put(const std::string& iface, const std::string& key, const std::string& value) {
    fs::create_directories(root_ / iface);
    std::ofstream(root_ / iface / key) << value << "\n";
  }
  std::string Get(const std::string& iface, const std::string& key) {
    std::string value;
    std::ifstream(root_ / iface / key) >> value;
    return value;
  }
  fs::file_time_type Mtime(const std::string& iface, const std::string& key) {
    return fs::last_write_time(root_ / iface / key);
  }

  fs::path root_;
};

TEST(EffectiveArpTest, IsTheMaximumOfAllAndInterfacePerSetting) {
  EXPECT_EQ(EffectiveArp({1, 0}, {0, 2}), (ArpValues{1, 2}));
  EXPECT_EQ(EffectiveArp({0, 2}, {8, 1}), (ArpValues{8, 2}));
  EXPECT_EQ(EffectiveArp({0, 0}, {0, 0}), (ArpValues{0, 0}));
}

TEST(JudgeArpTest, EffectiveOnlyWhenBothReachTheWantedValues) {
  EXPECT_TRUE(JudgeArp("eth0", {1, 2}, {1, 2}).effective);
  EXPECT_TRUE(JudgeArp("eth0", {2, 2}, {1, 2}).effective);
  EXPECT_FALSE(JudgeArp("eth0", {1, 1}, {1, 2}).effective);
  EXPECT_FALSE(JudgeArp("eth0", {0, 2}, {1, 2}).effective);
  const ArpSetting s = JudgeArp("eth0", {1, 2}, {1, 2});
  EXPECT_EQ(s.interface, "eth0");
  EXPECT_EQ(s.arp_ignore, 1);
  EXPECT_EQ(s.arp_announce, 2);
}

TEST_F(ArpSysctlsTest, ReadsBothValues) {
  auto values = ArpSysctls(root_).Read("eth0");
  ASSERT_TRUE(values.ok()) << values.error();
  EXPECT_EQ(*values, (ArpValues{2, 0}));
}

TEST_F(ArpSysctlsTest, ReadOfAMissingInterfaceNamesThePath) {
  auto values = ArpSysctls(root_).Read("nope0");
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.error().find("nope0/arp_ignore"), std::string::npos) << values.error();
}

TEST_F(ArpSysctlsTest, ReadRejectsGarbage) {
  Put("eth0", "arp_announce", "x2");
  auto values = ArpSysctls(root_).Read("eth0");
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.error().find("not an integer"), std::string::npos) << values.error();
}

TEST_F(ArpSysctlsTest, WriteSetsTheWantedValues) {
  ASSERT_TRUE(ArpSysctls(root_).Write("all", {1, 2}).ok());
  EXPECT_EQ(Get("all", "arp_ignore"), "1");
  EXPECT_EQ(Get("all", "arp_announce"), "2");
}

TEST_F(ArpSysctlsTest, WriteLeavesEqualValuesUntouched) {
  const auto before = Mtime("eth0", "arp_ignore");
  fs::last_write_time(root_ / "eth0" / "arp_ignore", before - std::chrono::hours(1));
  const auto old = Mtime("eth0", "arp_ignore");
  ASSERT_TRUE(ArpSysctls(root_).Write("eth0", {2, 2}).ok());
  EXPECT_EQ(Mtime("eth0", "arp_ignore"), old);  // already 2: not rewritten
  EXPECT_EQ(Get("eth0", "arp_announce"), "2");
}

}  // namespace
}  // namespace rsagent::netsetup
