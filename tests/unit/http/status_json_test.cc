#include "http/status_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "netsetup/dr_status_format.h"

namespace rsagent::agent {
namespace {

Snapshot WithDr() {
  Snapshot s;
  s.started = WallTime(std::chrono::seconds(1700000000));
  s.taken = s.started + std::chrono::seconds(5);
  s.dr.managed = true;
  s.dr.vips = {{.address = *IpAddress::Parse("192.168.1.100"), .present = true, .heals = 4}};
  s.dr.arp = {{.interface = "all", .arp_ignore = 1, .arp_announce = 2, .effective = true}};
  s.dr.arp_ok = true;
  return s;
}

// /status carries DR readiness in the one shape `rsagent vip status --json`
// prints (netsetup/dr_status_format.h), as "dr", and nowhere else.
TEST(StatusJson, DrIsTheShapeVipStatusPrints) {
  const Snapshot s = WithDr();
  const nlohmann::json doc = StatusJson(s, "1.2.3");
  EXPECT_EQ(doc.at("dr"), netsetup::DrStatusToJson(s.dr));
  EXPECT_EQ(doc["dr"]["ready"], true);
  EXPECT_EQ(doc["dr"]["vips"][0]["heals"], 4);
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"cpu_pressure", "dr", "probes", "services",
                                            "shutting_down", "started", "up", "uptime_seconds",
                                            "version"}));
}

TEST(StatusJson, WallTimesAreRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(FormatWallTime(WallTime(std::chrono::milliseconds(1700000000123))),
            "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatWallTime(WallTime{}), "");
}

}  // namespace
}  // namespace rsagent::agent
