#include "probes/mysql_flavour.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

std::string StatementFor(std::string_view version) {
  auto v = ParseServerVersion(version);
  return v ? ReplicaStatusStatement(*v) : "unparsed";
}

TEST(MysqlFlavourTest, EachServerGetsTheStatementItKnows) {
  EXPECT_EQ(StatementFor("10.11.19-MariaDB-0+deb12u1"), "SHOW ALL SLAVES STATUS");
  EXPECT_EQ(StatementFor("5.5.5-10.11.6-MariaDB"), "SHOW ALL SLAVES STATUS");
  EXPECT_EQ(StatementFor("12.1.2-MariaDB"), "SHOW ALL SLAVES STATUS");
  EXPECT_EQ(StatementFor("9.7.4-2"), "SHOW REPLICA STATUS");
  EXPECT_EQ(StatementFor("8.4.3"), "SHOW REPLICA STATUS");
  EXPECT_EQ(StatementFor("8.0.22"), "SHOW REPLICA STATUS");
  EXPECT_EQ(StatementFor("8.0.21-log"), "SHOW SLAVE STATUS");
  EXPECT_EQ(StatementFor("5.7.44-log"), "SHOW SLAVE STATUS");
  EXPECT_EQ(StatementFor("26.7.0"), "SHOW REPLICA STATUS");
  EXPECT_EQ(StatementFor("26.7"), "SHOW REPLICA STATUS");
  EXPECT_EQ(StatementFor(""), "unparsed");
  EXPECT_EQ(StatementFor("MySQL"), "unparsed");
}

TEST(MysqlFlavourTest, CalendarVersionsAreNewer) {
  auto calendar = ParseServerVersion("26.7.0");
  ASSERT_TRUE(calendar);
  EXPECT_TRUE(calendar->AtLeast(9, 7, 0));
  EXPECT_FALSE(ParseServerVersion("9.7.4")->AtLeast(26, 7, 0));
  auto mariadb = ParseServerVersion("5.5.5-10.11.6-MariaDB");
  EXPECT_EQ(mariadb->major, 10);
  EXPECT_EQ(mariadb->minor, 11);
  EXPECT_EQ(mariadb->patch, 6);
}

}  // namespace
}  // namespace rsagent::probes
