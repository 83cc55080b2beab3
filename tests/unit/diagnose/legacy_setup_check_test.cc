#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "diagnose/check.h"
#include "diagnose/shipped_files.h"
#include "tests/unit/diagnose/fake_host.h"

namespace rsagent::agent::diagnose {
namespace {

const char* kVipNode = R"(
[vip]
addresses = ["192.168.1.100"]
[probe.nginx]
type = "tcp"
targets = ["127.0.0.1:80"]
[service.web]
vip = "192.168.1.100"
port = 80
probes = ["nginx"]
)";

const char* kNoVipNode = R"(
[probe.nginx]
type = "tcp"
targets = ["127.0.0.1:80"]
[service.web]
port = 80
probes = ["nginx"]
)";

// A host whose files live in a temporary root.
class LegacySetupCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/legacy-check-XXXXXX";
    root_ = mkdtemp(tmpl);
    host_.files = RootedFiles(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(root_ + path).parent_path());
    std::ofstream(root_ + path) << text;
  }
  std::vector<Finding> Run(const char* config) {
    return MakeLegacySetupCheck()->Run(Load(config), host_);
  }

  std::string root_;
  FakeHost host_;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(LegacySetupCheckTest, ACleanHostPasses) {
  const auto findings = Run(kVipNode);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].verdict, Verdict::kPass);
  EXPECT_EQ(findings[0].check, "legacy");
}

TEST_F(LegacySetupCheckTest, TheSeedsRhelSetUp) {
  Write("/etc/sysconfig/network-scripts/ifcfg-lo:0",
        "DEVICE=lo:0\nIPADDR=192.168.1.100\nNETMASK=255.255.255.255\nONBOOT=yes\n");
  Write("/etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\nIPADDR=192.168.1.21\n");
  Write("/etc/sysctl.conf",
        "net.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\n"
        "net.ipv4.conf.lo.arp_ignore = 1\n");
  const auto findings = Run(kVipNode);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].verdict, Verdict::kWarn);
  EXPECT_TRUE(Contains(findings[0].message,
                       "/etc/sysconfig/network-scripts/ifcfg-lo:0:2: lo:0 192.168.1.100/32"));
  EXPECT_TRUE(Contains(findings[0].message, "rsagent also manages"));
  EXPECT_TRUE(Contains(findings[0].fix, "rm /etc/sysconfig/network-scripts/ifcfg-lo:0"));
  EXPECT_TRUE(Contains(findings[0].fix, kShippedMigratingDoc));
  // Lines with the agent's own values do not fight it; lo's is not judged.
  EXPECT_EQ(findings[1].verdict, Verdict::kPass);
  EXPECT_TRUE(Contains(findings[1].message, "/etc/sysctl.conf:1:"));
  EXPECT_EQ(findings[2].verdict, Verdict::kPass);
}

TEST_F(LegacySetupCheckTest, AWidePrefixOnLoFails) {
  Write("/etc/network/interfaces",
        "auto lo:0\niface lo:0 inet static\n  address 192.168.1.100\n  netmask 255.255.255.0\n");
  const auto findings = Run(kVipNode);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].verdict, Verdict::kFail);
  EXPECT_TRUE(Contains(findings[0].message, "a /24 on lo"));
  EXPECT_TRUE(Contains(findings[0].fix, "ip addr del 192.168.1.100/24 dev lo"));
  EXPECT_TRUE(Contains(findings[0].fix, "delete /etc/network/interfaces:3"));
}

TEST_F(LegacySetupCheckTest, AnAliasRsagentDoesNotManageSaysToAddItFirst) {
  Write("/etc/netplan/60-vip.yaml",
        "network:\n  ethernets:\n    lo:\n      addresses: [192.168.1.101/32]\n");
  const auto findings = Run(kVipNode);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].verdict, Verdict::kWarn);
  EXPECT_TRUE(Contains(findings[0].message, "not in [vip].addresses"));
  EXPECT_TRUE(Contains(findings[0].fix, "add \"192.168.1.101\" to [vip].addresses"));
  EXPECT_TRUE(Contains(findings[0].fix, "remove 192.168.1.101 from lo in /etc/netplan/60-vip.yaml"));
}

TEST_F(LegacySetupCheckTest, NetworkManagerKeyfile) {
  Write("/etc/NetworkManager/system-connections/lo-vip.nmconnection",
        "[connection]\nid=lo-vip\ninterface-name=lo\n[ipv4]\naddress1=192.168.1.100/32\n");
  const auto findings = Run(kVipNode);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(Contains(findings[0].message, "(NetworkManager)"));
  EXPECT_TRUE(Contains(findings[0].fix,
                       "rm /etc/NetworkManager/system-connections/lo-vip.nmconnection"));
}

TEST_F(LegacySetupCheckTest, ArpLinesThatFightTheAgent) {
  Write("/etc/sysctl.d/99-lvs.conf",
        "net.ipv4.conf.all.arp_ignore = 0\nnet.ipv4.conf.all.arp_announce = 2\n");
  Write("/usr/lib/sysctl.d/50-other.conf", "net.ipv4.conf.default.arp_ignore = 8\n");
  Write("/etc/sysctl.d/README", "net.ipv4.conf.all.arp_ignore = 0\n");  // not *.conf
  const auto findings = Run(kVipNode);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].verdict, Verdict::kFail);
  EXPECT_TRUE(Contains(findings[0].message, "/etc/sysctl.d/99-lvs.conf:1"));
  EXPECT_TRUE(Contains(findings[0].message, "answers ARP for the VIP"));
  EXPECT_TRUE(Contains(findings[0].fix, "delete line 1 of /etc/sysctl.d/99-lvs.conf"));
  EXPECT_TRUE(Contains(findings[0].fix, kShippedArpSysctlFile));
  EXPECT_EQ(findings[1].verdict, Verdict::kPass);
  EXPECT_EQ(findings[2].verdict, Verdict::kWarn);  // stronger than needed, still a fight
  EXPECT_TRUE(Contains(findings[2].message, "default.arp_ignore = 8"));
}

TEST_F(LegacySetupCheckTest, WithoutVipsTheAgentSetsNoArpSoNoLineFights) {
  Write("/etc/sysctl.conf", "net.ipv4.conf.all.arp_ignore = 0\n");
  const auto findings = Run(kNoVipNode);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].verdict, Verdict::kPass);
}

TEST_F(LegacySetupCheckTest, AnUnreadableFileIsReported) {
  std::filesystem::create_directories(root_ + "/etc/network/interfaces");  // a directory
  const auto findings = Run(kVipNode);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].verdict, Verdict::kWarn);
  EXPECT_TRUE(Contains(findings[0].message, "cannot read /etc/network/interfaces"));
}

}  // namespace
}  // namespace rsagent::agent::diagnose
