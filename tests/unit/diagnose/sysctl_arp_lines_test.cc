#include "diagnose/sysctl_arp_lines.h"

#include <gtest/gtest.h>

namespace rsagent::agent::diagnose {
namespace {

TEST(ParseSysctlArp, TheSeedsLines) {
  const auto lines = ParseSysctlArp("/etc/sysctl.conf",
                                    "# LVS-DR\nnet.ipv4.conf.all.arp_ignore = 1\n"
                                    "net.ipv4.conf.lo.arp_announce=2\n"
                                    "-net/ipv4/conf/default/arp_ignore = 8\n"
                                    "; net.ipv4.conf.all.arp_announce = 0\n"
                                    "net.ipv4.ip_forward = 1\n"
                                    "net.ipv4.conf.eth0.rp_filter = 2\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].interface, "all");
  EXPECT_EQ(lines[0].key, "arp_ignore");
  EXPECT_EQ(lines[0].value, 1);
  EXPECT_EQ(lines[0].line, 2);
  EXPECT_EQ(lines[1].interface, "lo");
  EXPECT_EQ(lines[1].key, "arp_announce");
  EXPECT_EQ(lines[2].interface, "default");
  EXPECT_EQ(lines[2].value, 8);
}

}  // namespace
}  // namespace rsagent::agent::diagnose
