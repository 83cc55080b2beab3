#include "diagnose/loopback_alias.h"

#include <gtest/gtest.h>

namespace rsagent::agent::diagnose {
namespace {

TEST(NetmaskPrefix, ContiguousMasksOnly) {
  EXPECT_EQ(NetmaskPrefix("255.255.255.255"), 32);
  EXPECT_EQ(NetmaskPrefix("255.255.255.0"), 24);
  EXPECT_EQ(NetmaskPrefix("0.0.0.0"), 0);
  EXPECT_EQ(NetmaskPrefix("255.0.255.0"), -1);
  EXPECT_EQ(NetmaskPrefix("nonsense"), -1);
}

TEST(ParseIfcfg, TheSeedsLoAlias) {
  const auto aliases = ParseIfcfg("/etc/sysconfig/network-scripts/ifcfg-lo:0",
                                  "DEVICE=lo:0\nIPADDR=192.168.1.100\n"
                                  "NETMASK=255.255.255.255\nONBOOT=yes\nNAME=loopback\n");
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].label, "lo:0");
  EXPECT_EQ(aliases[0].address, "192.168.1.100");
  EXPECT_EQ(aliases[0].prefix, 32);
  EXPECT_EQ(aliases[0].line, 2);
}

TEST(ParseIfcfg, DeviceFromTheFileNameQuotesAndPrefix) {
  const auto aliases =
      ParseIfcfg("/x/ifcfg-lo:1", "# comment\nIPADDR=\"192.168.1.101\"\nPREFIX=24\n");
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].label, "lo:1");
  EXPECT_EQ(aliases[0].prefix, 24);
}

TEST(ParseIfcfg, TheLoopbackItselfAndOtherDevicesAreNotAliases) {
  EXPECT_TRUE(ParseIfcfg("/x/ifcfg-lo", "DEVICE=lo\nIPADDR=127.0.0.1\nNETMASK=255.0.0.0\n").empty());
  EXPECT_TRUE(ParseIfcfg("/x/ifcfg-eth0", "DEVICE=eth0\nIPADDR=192.168.1.21\n").empty());
}

TEST(ParseNmKeyfile, AddressOnLo) {
  const auto aliases = ParseNmKeyfile("/etc/NetworkManager/system-connections/vip.nmconnection",
                                      "[connection]\nid=vip\ntype=loopback\ninterface-name=lo\n"
                                      "[ipv4]\nmethod=manual\naddress1=192.168.1.100/32\n");
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].address, "192.168.1.100");
  EXPECT_EQ(aliases[0].prefix, 32);
  EXPECT_EQ(aliases[0].line, 7);
  EXPECT_TRUE(ParseNmKeyfile("/x", "[connection]\ninterface-name=eth0\n[ipv4]\n"
                                   "address1=192.168.1.21/24,192.168.1.1\n")
                  .empty());
}

TEST(ParseInterfaces, AliasStanzaWithNetmask) {
  const auto aliases = ParseInterfaces("/etc/network/interfaces",
                                       "auto lo\niface lo inet loopback\n\n"
                                       "auto lo:0\niface lo:0 inet static\n"
                                       "    address 192.168.1.100\n    netmask 255.255.255.255\n"
                                       "iface eth0 inet static\n    address 192.168.1.21/24\n");
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].label, "lo:0");
  EXPECT_EQ(aliases[0].address, "192.168.1.100");
  EXPECT_EQ(aliases[0].prefix, 32);
  EXPECT_EQ(aliases[0].line, 6);
}

TEST(ParseInterfaces, UpCommandsInTheLoStanza) {
  const auto aliases = ParseInterfaces(
      "/etc/network/interfaces",
      "iface lo inet loopback\n"
      "    up ip addr add 192.168.1.100/32 dev lo label lo:0\n"
      "    post-up /sbin/ifconfig lo:1 192.168.1.101 netmask 255.255.255.0 up\n"
      "    up ip addr add 192.168.1.22/24 dev eth0\n");
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].label, "lo:0");
  EXPECT_EQ(aliases[0].prefix, 32);
  EXPECT_EQ(aliases[1].label, "lo:1");
  EXPECT_EQ(aliases[1].address, "192.168.1.101");
  EXPECT_EQ(aliases[1].prefix, 24);
}

TEST(ParseNetplan, InlineAndBlockLists) {
  const auto aliases = ParseNetplan("/etc/netplan/60-vip.yaml",
                                    "network:\n  version: 2\n  ethernets:\n"
                                    "    lo:\n      match:\n        name: lo\n"
                                    "      addresses: [127.0.0.1/8, \"192.168.1.100/32\"]\n"
                                    "    eth0:\n      addresses:\n        - 192.168.1.21/24\n");
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].address, "192.168.1.100");
  EXPECT_EQ(aliases[0].line, 7);

  const auto block = ParseNetplan("/etc/netplan/60-vip.yaml",
                                  "network:\n  ethernets:\n    lo:\n      addresses:\n"
                                  "        - 192.168.1.100/32   # the VIP\n"
                                  "        - 192.168.1.101/24\n    eth0:\n      dhcp4: true\n");
  ASSERT_EQ(block.size(), 2u);
  EXPECT_EQ(block[1].prefix, 24);
}

}  // namespace
}  // namespace rsagent::agent::diagnose
