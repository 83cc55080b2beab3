#include "probes/mysql_variables.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

TEST(MysqlVariablesTest, IsOn) {
  for (const char* on : {"ON", "on", "1", "YES", "TRUE"}) EXPECT_TRUE(IsOn(on)) << on;
  for (const char* off : {"OFF", "0", "", "NONE", "2"}) EXPECT_FALSE(IsOn(off)) << off;
}

TEST(MysqlVariablesTest, OnlyOffAndZeroAreOff) {
  // super_read_only is read as ON unless it is OFF: ")OFF" (found by
  // fuzz.group_replication_replies) or "" was OFF through IsOn, a writer.
  for (const char* off : {"OFF", "off", "0"}) EXPECT_TRUE(IsOff(off)) << off;
  for (const char* not_off : {"ON", "", ")OFF", "OFF ", "no", "00"}) {
    EXPECT_FALSE(IsOff(not_off)) << not_off;
  }
}

TEST(MysqlVariablesTest, ReadOnlyKnowsMariadbTwelveWords) {
  for (const char* ro : {"ON", "1", "NO_LOCK", "NO_LOCK_NO_ADMIN", "no_lock"}) {
    EXPECT_TRUE(IsReadOnly(ro)) << ro;
  }
  for (const char* rw : {"OFF", "off", "0", ""}) EXPECT_FALSE(IsReadOnly(rw)) << rw;
}

}  // namespace
}  // namespace rsagent::probes
