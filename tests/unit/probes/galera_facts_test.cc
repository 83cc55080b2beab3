#include "probes/galera_facts.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

// What MariaDB 10.11 with galera-4 prints for a synced node (keys
// lower-cased by ToNameValueMap).
NameValueMap SyncedStatus() {
  return {{"wsrep_ready", "ON"},
          {"wsrep_connected", "ON"},
          {"wsrep_cluster_status", "Primary"},
          {"wsrep_local_state", "4"},
          {"wsrep_local_state_comment", "Synced"},
          {"wsrep_cluster_size", "3"},
          {"wsrep_flow_control_paused", "0.0125"},
          {"wsrep_flow_control_paused_ns", "1234567"},
          {"wsrep_local_recv_queue", "2"},
          {"wsrep_local_recv_queue_avg", "0.5"}};
}

NameValueMap MariadbVariables() {
  return {{"wsrep_on", "ON"},
          {"wsrep_desync", "OFF"},
          {"wsrep_reject_queries", "NONE"},
          {"wsrep_sst_donor_rejects_queries", "OFF"},
          {"read_only", "OFF"}};
}

TEST(GaleraFactsTest, ParsesASyncedMariadbNode) {
  GaleraFacts f;
  ParseGaleraFacts(SyncedStatus(), MariadbVariables(), &f);
  EXPECT_TRUE(f.provider_loaded);
  EXPECT_TRUE(f.wsrep_on);
  EXPECT_EQ(f.ready, "ON");
  EXPECT_EQ(f.cluster_status, "Primary");
  EXPECT_EQ(f.local_state, 4);
  EXPECT_EQ(f.local_state_comment, "Synced");
  EXPECT_EQ(f.cluster_size, 3);
  EXPECT_FALSE(f.desync);
  EXPECT_EQ(f.reject_queries, "NONE");
  EXPECT_EQ(f.pxc_maint_mode, "");
  EXPECT_FALSE(f.super_read_only.has_value());
  EXPECT_DOUBLE_EQ(*f.flow_control_paused, 0.0125);
  EXPECT_DOUBLE_EQ(*f.flow_control_paused_ns, 1234567);
  EXPECT_DOUBLE_EQ(*f.recv_queue, 2);
  EXPECT_DOUBLE_EQ(*f.recv_queue_avg, 0.5);
}

TEST(GaleraFactsTest, PerconaVariables) {
  NameValueMap variables = MariadbVariables();
  variables["pxc_maint_mode"] = "MAINTENANCE";
  variables["super_read_only"] = "ON";
  variables["wsrep_desync"] = "1";
  GaleraFacts f;
  ParseGaleraFacts(SyncedStatus(), variables, &f);
  EXPECT_EQ(f.pxc_maint_mode, "MAINTENANCE");
  EXPECT_EQ(f.super_read_only, true);
  EXPECT_TRUE(f.desync);
}

TEST(GaleraFactsTest, MariadbTwelveReadOnlyWordsAreReadOnly) {
  for (const char* word : {"ON", "NO_LOCK", "NO_LOCK_NO_ADMIN", "1"}) {
    NameValueMap variables = MariadbVariables();
    variables["read_only"] = word;
    GaleraFacts f;
    ParseGaleraFacts(SyncedStatus(), variables, &f);
    EXPECT_TRUE(f.read_only) << word;
  }
}

TEST(GaleraFactsTest, StatesAndSizesAreWholeNumbersOrUnknown) {
  // "4.5" was read as 4 (Synced), "1e300" overflowed the cast to int (UB:
  // crafted for fuzz.galera_replies, which 90 s of fuzzing had not reached).
  for (const char* bad : {"4.5", "4.0", "1e300", "-1e300", "nan", "", "4 ", "99999999999"}) {
    NameValueMap status = SyncedStatus();
    status["wsrep_local_state"] = bad;
    status["wsrep_cluster_size"] = bad;
    GaleraFacts f;
    ParseGaleraFacts(status, MariadbVariables(), &f);
    EXPECT_FALSE(f.local_state.has_value()) << bad;
    EXPECT_FALSE(f.cluster_size.has_value()) << bad;
  }
}

TEST(GaleraFactsTest, NoProviderAndGarbageNumbers) {
  NameValueMap status = {{"wsrep_local_state", "four"}, {"wsrep_cluster_size", ""}};
  GaleraFacts f;
  ParseGaleraFacts(status, {{"wsrep_on", "OFF"}}, &f);
  EXPECT_FALSE(f.provider_loaded);
  EXPECT_FALSE(f.wsrep_on);
  EXPECT_FALSE(f.local_state.has_value());
  EXPECT_FALSE(f.cluster_size.has_value());
  EXPECT_FALSE(f.flow_control_paused.has_value());
}

}  // namespace
}  // namespace rsagent::probes
