#include "diagnose/proc_net_tcp.h"

#include <gtest/gtest.h>

namespace rsagent::agent::diagnose {
namespace {

TEST(ProcNetTcp, ListenRowsOnly) {
  const std::string text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
      "   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   0\n"
      "   1: 1501A8C0:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000   0\n"
      "   2: 1501A8C0:0050 0201A8C0:C350 01 00000000:00000000 00:00000000 00000000   0\n"
      "   3: garbage\n";
  auto listeners = ParseProcNetTcp(text, false);
  ASSERT_EQ(listeners.size(), 2u);
  EXPECT_EQ(listeners[0].address.ToString(), "127.0.0.1");
  EXPECT_EQ(listeners[0].port, 3306);
  EXPECT_EQ(listeners[1].address.ToString(), "192.168.1.21");
  EXPECT_EQ(listeners[1].port, 80);
}

TEST(ProcNetTcp, Ipv6Addresses) {
  const std::string text =
      "  sl  local_address                         remote_address                        st\n"
      "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A\n"
      "   1: 00000000000000000000000001000000:2512 00000000000000000000000000000000:0000 0A\n";
  auto listeners = ParseProcNetTcp(text, true);
  ASSERT_EQ(listeners.size(), 2u);
  EXPECT_EQ(listeners[0].address.ToString(), "::");
  EXPECT_EQ(listeners[0].port, 80);
  EXPECT_EQ(listeners[1].address.ToString(), "::1");
  EXPECT_EQ(listeners[1].port, 9490);
}

}  // namespace
}  // namespace rsagent::agent::diagnose
