// GaleraProbe against a scripted session
// (tests/unit/probes/fake_mysql_session.h): the statements it sends, how the
// server's replies become the probe's outcome and its writer/reader verdicts —
// each row of docs/mysql.md "The galera probe: Verdicts" through a whole
// attempt — and every error path (not answering, a statement failing or hanging
// past the deadline). The replies are filtered by the names each statement asks
// for, as the server filters them, so a name missing from a statement fails its
// row here.
#include "probes/galera_probe.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "tests/unit/probes/fake_mysql_session.h"
#include "tests/unit/probes/fake_session_probe_fixture.h"

namespace rsagent::probes {
namespace {

using testing::FakeSession;
using testing::Rows;
using testing::Variable;

Rows ToRows(const std::map<std::string, std::string>& values) {
  Rows rows;
  for (const auto& [name, value] : values) rows.push_back(Variable(name, value));
  return rows;
}

class GaleraProbeTest : public testing::FakeSessionProbeTest<GaleraProbe, GaleraProbeSpec> {
 protected:
  GaleraProbeTest() { spec_.socket = "/run/mysqld/mysqld.sock"; }

  // The node's status and variables are `status_` and `variables_` (a
  // synced node of three unless a test changed them).
  void ScriptServer() override {
    StartScript();
    session().On("SHOW GLOBAL STATUS", {.rows = ToRows(status_), .by_name = true});
    session().On("SHOW GLOBAL VARIABLES", {.rows = ToRows(variables_), .by_name = true});
  }

  void LocalState(const char* number, const char* comment) {
    status_["wsrep_local_state"] = number;
    status_["wsrep_local_state_comment"] = comment;
  }

  std::map<std::string, std::string> status_ = {{"wsrep_ready", "ON"},
                                                {"wsrep_connected", "ON"},
                                                {"wsrep_cluster_status", "Primary"},
                                                {"wsrep_local_state", "4"},
                                                {"wsrep_local_state_comment", "Synced"},
                                                {"wsrep_cluster_size", "3"},
                                                {"wsrep_flow_control_paused", "0.25"},
                                                {"wsrep_local_recv_queue", "7"}};
  std::map<std::string, std::string> variables_ = {{"wsrep_on", "ON"},
                                                   {"wsrep_desync", "OFF"},
                                                   {"wsrep_reject_queries", "NONE"},
                                                   {"wsrep_sst_donor_rejects_queries", "OFF"},
                                                   {"read_only", "OFF"}};
};

TEST_F(GaleraProbeTest, ASyncedWritableNodeIsWriterAndReaderWithTwoStatements) {
  const ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok) << r.outcome.reason;
  EXPECT_EQ(r.outcome.reason, "synced, 3 nodes");
  EXPECT_TRUE(Role(r, "reader").ok);
  EXPECT_TRUE(Role(r, "writer").ok) << Role(r, "writer").reason;
  EXPECT_EQ(Role(r, "writer").reason, "writable, synced, 3 nodes");
  ExpectSentAfterSelect1({"SHOW GLOBAL STATUS WHERE Variable_name IN (",
                          "SHOW GLOBAL VARIABLES WHERE Variable_name IN ("});
  ExpectTheAttemptsDeadlineOnEveryCall();
  EXPECT_EQ(r.details.at("connects"), "1");
  EXPECT_EQ(r.details.at("wsrep_local_state"), "4 Synced");
  EXPECT_EQ(r.details.at("wsrep_flow_control_paused"), "0.25");
  EXPECT_EQ(r.details.at("wsrep_local_recv_queue"), "7");
}

TEST_F(GaleraProbeTest, ReadOnlyIsAReaderButNoWriter) {
  variables_["read_only"] = "ON";
  const ProbeResult r = Attempt();
  EXPECT_TRUE(Role(r, "reader").ok);
  EXPECT_FALSE(Role(r, "writer").ok);
  EXPECT_EQ(Role(r, "writer").reason, "read_only is ON");
}

TEST_F(GaleraProbeTest, MariaDb12ReadOnlyWordsAndPxcSuperReadOnlyAreNoWriter) {
  variables_["read_only"] = "NO_LOCK_NO_ADMIN";
  EXPECT_EQ(Role(Attempt(), "writer").reason, "read_only is ON");
  variables_["read_only"] = "OFF";
  variables_["super_read_only"] = "ON";
  const ProbeResult r = Attempt();
  EXPECT_EQ(Role(r, "writer").reason, "super_read_only is ON");
  EXPECT_TRUE(Role(r, "reader").ok);
}

// An unknown read_only must not read as OFF (writable): the reply is not understood.
TEST_F(GaleraProbeTest, AReplyWithoutReadOnlyServesNothing) {
  variables_.erase("read_only");
  ExpectAllDown(Attempt(), "read_only unknown: SHOW GLOBAL VARIABLES returned no read_only value");
  variables_["read_only"] = "";
  ExpectAllDown(Attempt(), "read_only unknown: SHOW GLOBAL VARIABLES returned no read_only value");
}

TEST_F(GaleraProbeTest, NoWsrepProviderOrWsrepOffIsNotAGaleraNode) {
  status_.clear();
  variables_.erase("wsrep_on");
  ExpectAllDown(Attempt(), "not a Galera node: no wsrep status (no wsrep provider loaded)");
  status_["wsrep_ready"] = "OFF";
  variables_["wsrep_on"] = "OFF";
  ExpectAllDown(Attempt(), "not a Galera node: wsrep_on is OFF");
}

TEST_F(GaleraProbeTest, PxcMaintModeOtherThanDisabledDrains) {
  variables_["pxc_maint_mode"] = "MAINTENANCE";
  ExpectAllDown(Attempt(), "draining: pxc_maint_mode is MAINTENANCE");
  variables_["pxc_maint_mode"] = "SHUTDOWN";
  ExpectAllDown(Attempt(), "draining: pxc_maint_mode is SHUTDOWN");
  variables_["pxc_maint_mode"] = "DISABLED";
  EXPECT_TRUE(Role(Attempt(), "writer").ok);
}

TEST_F(GaleraProbeTest, ANodeNotConnectedToTheClusterServesNothing) {
  status_["wsrep_connected"] = "OFF";
  status_["wsrep_ready"] = "OFF";
  status_["wsrep_cluster_status"] = "Disconnected";
  ExpectAllDown(Attempt(), "not connected to the cluster (wsrep_connected is OFF)");
}

TEST_F(GaleraProbeTest, ANonPrimaryComponentServesNothingEvenWhenItSaysSynced) {
  status_["wsrep_cluster_status"] = "non-Primary";
  status_["wsrep_cluster_size"] = "1";
  ExpectAllDown(
      Attempt(),
      "not in the Primary component (wsrep_cluster_status is non-Primary, cluster size 1)");
}

TEST_F(GaleraProbeTest, WsrepReadyOffServesNothing) {
  status_["wsrep_ready"] = "OFF";
  LocalState("1", "Joining");
  ExpectAllDown(Attempt(), "wsrep_ready is OFF (wsrep_local_state 1 (Joining))");
}

TEST_F(GaleraProbeTest, RejectQueriesServesNothing) {
  variables_["wsrep_reject_queries"] = "ALL";
  ExpectAllDown(Attempt(), "wsrep_reject_queries is ALL");
}

TEST_F(GaleraProbeTest, ADesyncedNodeServesNothingEvenWithAvailableWhenDonor) {
  spec_.available_when_donor = true;
  variables_["wsrep_desync"] = "ON";
  LocalState("2", "Donor/Desynced");
  ExpectAllDown(Attempt(), "desynced: wsrep_desync is ON (wsrep_local_state 2 (Donor/Desynced))");
}

TEST_F(GaleraProbeTest, AJoinedNodeIsNotSynced) {
  LocalState("3", "Joined");
  ExpectAllDown(Attempt(), "not synced: wsrep_local_state 3 (Joined)");
}

TEST_F(GaleraProbeTest, ADonorServesOnlyWithAvailableWhenDonorAndWhileItAcceptsQueries) {
  LocalState("2", "Donor/Desynced");
  ExpectAllDown(Attempt(),
                "donor: wsrep_local_state 2 (Donor/Desynced), available_when_donor is off");

  spec_.available_when_donor = true;
  NewProbe();
  ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok) << r.outcome.reason;
  EXPECT_EQ(Role(r, "reader").reason, "donor, serving (available_when_donor), 3 nodes");
  EXPECT_TRUE(Role(r, "writer").ok);

  variables_["wsrep_sst_donor_rejects_queries"] = "ON";
  ExpectAllDown(Attempt(),
                "donor rejecting queries: wsrep_local_state 2 (Donor/Desynced), "
                "wsrep_sst_donor_rejects_queries is ON");
}

TEST_F(GaleraProbeTest, NotAnsweringSendsNothingElseAndServesNothing) {
  session().answering = Error{"connect to /run/mysqld/mysqld.sock: timed out"};
  const ProbeResult r = Attempt();
  ExpectAllDown(r, "not answering: connect to /run/mysqld/mysqld.sock: timed out");
  EXPECT_EQ(session().sent, std::vector<std::string>{"SELECT 1"});
  EXPECT_EQ(r.details.at("error"), "connect to /run/mysqld/mysqld.sock: timed out");
}

TEST_F(GaleraProbeTest, AFailedStatusQueryServesNothingAndSkipsTheVariables) {
  Reply("SHOW GLOBAL STATUS", {.rows = Error{"SHOW GLOBAL STATUS: Lost connection"}, .code = 2013});
  const ProbeResult r = Attempt();
  ExpectAllDown(r, "SHOW GLOBAL STATUS: Lost connection");
  EXPECT_EQ(session().sent.size(), 2u) << "no statement after the failed one";
  // Up alone: no read_only 0 nor "no wsrep provider loaded" from facts never read.
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].name, "rsagent_mysql_up");
  EXPECT_FALSE(r.details.contains("wsrep"));
  EXPECT_FALSE(r.details.contains("read_only"));
}

TEST_F(GaleraProbeTest, AFailedVariablesQueryServesNothing) {
  Reply("SHOW GLOBAL VARIABLES", {.rows = Error{"SHOW GLOBAL VARIABLES: Access denied"},
                                  .code = testing::kSpecificAccessDenied});
  ExpectAllDown(Attempt(), "SHOW GLOBAL VARIABLES: Access denied");
}

TEST_F(GaleraProbeTest, AStatementHangingPastTheDeadlineEndsTheAttemptAtTheDeadline) {
  Reply("SHOW GLOBAL STATUS", {.hang = true});
  ExpectAHangToEndTheAttemptAtItsDeadline(2);
}

TEST_F(GaleraProbeTest, AReconnectIsCountedInTheDetails) {
  Attempt();
  session().connect_count = 2;
  EXPECT_EQ(Attempt().details.at("connects"), "2");
}

}  // namespace
}  // namespace rsagent::probes
