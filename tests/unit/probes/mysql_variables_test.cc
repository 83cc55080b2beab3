#include "probes/mysql_variables.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

TEST(MysqlVariablesTest, IsOn) {
  for (const char* on : {"ON", "on", "1", "YES", "TRUE"}) EXPECT_TRUE(IsOn(on)) << on;
  for (const char* off : {"OFF", "0", "", "NONE", "2"}) EXPECT_FALSE(IsOn(off)) << off;
}

TEST(MysqlVariablesTest, ReadOnlyKnowsMariadbTwelveWords) {
  for (const char* ro : {"ON", "1", "NO_LOCK", "NO_LOCK_NO_ADMIN", "no_lock"}) {
    EXPECT_TRUE(IsReadOnly(ro)) << ro;
  }
  for (const char* rw : {"OFF", "off", "0", ""}) EXPECT_FALSE(IsReadOnly(rw)) << rw;
}

}  // namespace
}  // namespace rsagent::probes
