#include "netsetup/dr_status_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rsagent::netsetup {
namespace {

DrStatus Sample() {
  DrStatus status;
  status.managed = true;
  status.vips = {{*IpAddress::Parse("192.168.1.100"), true, 3, ""},
                 {*IpAddress::Parse("192.168.1.101"), false, 0, "not bound on lo as /32"}};
  status.arp = {{"all", 1, 2, true}, {"eth0", 1, 2, true}};
  status.arp_ok = true;
  return status;
}

TEST(DrStatusTest, ReadyNeedsEveryVipAndArp) {
  DrStatus status = Sample();
  EXPECT_FALSE(status.Ready());
  status.vips[1].present = true;
  EXPECT_TRUE(status.Ready());
  status.arp_ok = false;
  EXPECT_FALSE(status.Ready());
}

TEST(DrStatusToJsonTest, HasTheDocumentedShape) {
  const nlohmann::json j = DrStatusToJson(Sample());
  EXPECT_EQ(j["ready"], false);
  EXPECT_EQ(j["managed"], true);
  ASSERT_EQ(j["vips"].size(), 2u);
  EXPECT_EQ(j["vips"][0]["address"], "192.168.1.100");
  EXPECT_EQ(j["vips"][0]["present"], true);
  EXPECT_EQ(j["vips"][0]["heals"], 3);
  EXPECT_EQ(j["vips"][0]["error"], "");
  EXPECT_EQ(j["vips"][1]["error"], "not bound on lo as /32");
  EXPECT_EQ(j["arp"]["ok"], true);
  EXPECT_EQ(j["arp"]["error"], "");
  const nlohmann::json& interfaces = j["arp"]["interfaces"];
  ASSERT_EQ(interfaces.size(), 2u);
  EXPECT_EQ(interfaces[1]["interface"], "eth0");
  EXPECT_EQ(interfaces[1]["arp_ignore"], 1);
  EXPECT_EQ(interfaces[1]["arp_announce"], 2);
  EXPECT_EQ(interfaces[1]["effective"], true);
  // Exactly these members: a field added or moved shows up here (and in docs/design.md §7).
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"arp", "managed", "ready", "vips"}));
}

TEST(FormatDrStatusTest, ShowsEachVipEachInterfaceAndTheVerdict) {
  DrStatus status = Sample();
  status.arp_ok = false;
  status.arp_error = "eth0: arp_ignore=0 arp_announce=0 in effect, need at least 1 and 2";
  const std::string text = FormatDrStatus(status);
  EXPECT_NE(text.find("192.168.1.100"), std::string::npos) << text;
  EXPECT_NE(text.find("not bound on lo as /32"), std::string::npos) << text;
  EXPECT_NE(text.find("eth0"), std::string::npos) << text;
  EXPECT_NE(text.find("ARP problem: eth0: arp_ignore=0"), std::string::npos) << text;
  EXPECT_NE(text.find("DR ready: no\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace rsagent::netsetup
