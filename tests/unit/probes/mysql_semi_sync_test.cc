#include "probes/mysql_semi_sync.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

TEST(MysqlSemiSyncTest, MariadbMasterSlaveNamesActive) {
  // MariaDB 10.11 (semi-sync built in), as SHOW GLOBAL VARIABLES/STATUS print it.
  NameValueMap variables{{"rpl_semi_sync_master_enabled", "ON"},
                         {"rpl_semi_sync_master_timeout", "3000"},
                         {"rpl_semi_sync_slave_enabled", "ON"}};
  NameValueMap status{{"rpl_semi_sync_master_clients", "1"},
                      {"rpl_semi_sync_master_no_tx", "0"},
                      {"rpl_semi_sync_master_status", "ON"},
                      {"rpl_semi_sync_master_yes_tx", "4"},
                      {"rpl_semi_sync_slave_status", "ON"}};
  SemiSyncState s = ParseSemiSync(variables, status);
  EXPECT_EQ(s.source_enabled, true);
  EXPECT_EQ(s.source_active, true);
  EXPECT_EQ(s.replica_active, true);
  EXPECT_EQ(s.clients, 1.0);
  EXPECT_EQ(s.yes_tx, 4.0);
  EXPECT_FALSE(s.FellBackToAsync());
  EXPECT_EQ(s.Describe(), "on (1 semi-sync replicas)");
}

TEST(MysqlSemiSyncTest, Mysql8SourceReplicaNamesFellBack) {
  // MySQL 8.0.26+ with the rpl_semi_sync_source/replica plugins.
  NameValueMap variables{{"rpl_semi_sync_source_enabled", "ON"},
                         {"rpl_semi_sync_replica_enabled", "OFF"}};
  NameValueMap status{{"rpl_semi_sync_source_clients", "0"},
                      {"rpl_semi_sync_source_no_tx", "12"},
                      {"rpl_semi_sync_source_status", "OFF"},
                      {"rpl_semi_sync_source_yes_tx", "300"}};
  SemiSyncState s = ParseSemiSync(variables, status);
  EXPECT_EQ(s.replica_enabled, false);
  EXPECT_EQ(s.no_tx, 12.0);
  EXPECT_TRUE(s.FellBackToAsync());
  EXPECT_EQ(s.Describe(), "fell back to async (12 commits without ack)");
}

TEST(MysqlSemiSyncTest, NoPluginIsDisabledNotFallenBack) {
  SemiSyncState s = ParseSemiSync({}, {});
  EXPECT_FALSE(s.source_enabled.has_value());
  EXPECT_FALSE(s.clients.has_value());
  EXPECT_FALSE(s.FellBackToAsync());
  EXPECT_EQ(s.Describe(), "source side disabled");
}

TEST(MysqlSemiSyncTest, CountsThatAreNotWholeNumbersAreUnknown) {
  // Found by fuzz.mysql_replies: "1e23" parsed as a double and Describe()
  // cast it to long long (undefined behaviour); "nan" and "-1" were exported.
  for (const char* bad : {"1e23", "nan", "inf", "-1", "1.5", "", "12 "}) {
    NameValueMap variables{{"rpl_semi_sync_master_enabled", "ON"}};
    NameValueMap status{{"rpl_semi_sync_master_status", "OFF"},
                        {"rpl_semi_sync_master_clients", bad},
                        {"rpl_semi_sync_master_no_tx", bad}};
    SemiSyncState s = ParseSemiSync(variables, status);
    EXPECT_FALSE(s.clients.has_value()) << bad;
    EXPECT_FALSE(s.no_tx.has_value()) << bad;
    EXPECT_EQ(s.Describe(), "fell back to async (? commits without ack)") << bad;
  }
  NameValueMap status{{"rpl_semi_sync_master_no_tx", "18446744073709551615"}};
  SemiSyncState s = ParseSemiSync({{"rpl_semi_sync_master_enabled", "ON"}}, status);
  EXPECT_EQ(s.Describe(), "fell back to async (18446744073709551616 commits without ack)")
      << "the largest counter (as a double) printed without a cast";
}

TEST(MysqlSemiSyncTest, FlagsReadEverySpellingOfOnAsTheOtherSettingsDo) {
  NameValueMap variables{{"rpl_semi_sync_master_enabled", "on"},
                         {"rpl_semi_sync_slave_enabled", "YES"}};
  NameValueMap status{{"rpl_semi_sync_master_status", "Off"}};
  SemiSyncState s = ParseSemiSync(variables, status);
  EXPECT_EQ(s.source_enabled, true);
  EXPECT_EQ(s.replica_enabled, true);
  EXPECT_EQ(s.source_active, false);
  EXPECT_TRUE(s.FellBackToAsync());
}

TEST(MysqlSemiSyncTest, ShowStatusRowsMeetVariablesInLowerCase) {
  NameValueMap status =
      ToNameValueMap({{{"Variable_name", "Rpl_semi_sync_master_status"}, {"Value", "OFF"}},
                      {{"Variable_name", "Rpl_semi_sync_master_clients"}, {"Value", "0"}}});
  SemiSyncState s = ParseSemiSync({{"rpl_semi_sync_master_enabled", "ON"}}, status);
  EXPECT_EQ(s.source_active, false);
  EXPECT_TRUE(s.FellBackToAsync());
}

}  // namespace
}  // namespace rsagent::probes
