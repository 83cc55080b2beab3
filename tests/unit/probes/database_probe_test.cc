// The frame of the database probe kinds (probes/database_probe.h) with a
// kind of its own on a scripted session: what an attempt sends and in what
// order, that a failed SELECT 1 or statement ends the reading, a refusal for
// lack of a privilege names the grant, the verdicts and the report reach the
// result, and nothing stale is reported after a failure.
#include "probes/database_probe.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "probes/mysql_metric.h"
#include "tests/unit/probes/fake_mysql_session.h"
#include "tests/unit/probes/fake_session_probe_fixture.h"
#include "tests/unit/probes/sample_map.h"

namespace rsagent::probes {
namespace {

using testing::FakeSession;
using testing::Rows;

constexpr MysqlMetric kRowsMetric{"test_rows", "Rows of the test kind's second statement."};

struct TestFacts : DatabaseFacts {
  int first = -1;  // rows of each statement
  int second = -1;
};

struct TestSpec : conf::MysqlServer {};

// Two statements; the second needs a grant. Serves while the second has rows.
class TestKind : public DatabaseProbe<TestFacts, TestSpec> {
 public:
  using DatabaseProbe::DatabaseProbe;

 private:
  Status Read(DatabaseStatements& statements, TestFacts* facts) override {
    ASSIGN_OR_RETURN(auto first, statements.Run("SELECT first"));
    facts->first = static_cast<int>(first.size());
    ASSIGN_OR_RETURN(auto second, statements.RunNeeding("SELECT second WHERE x", "test state",
                                                        "SELECT ON t.second"));
    facts->second = static_cast<int>(second.size());
    return Status::Ok();
  }
  DatabaseVerdicts Judge(const TestFacts& f) const override {
    const Outcome serves = !f.error.empty() ? Outcome{false, f.error}
                           : f.second > 0   ? Outcome{true, "rows"}
                                            : Outcome{false, "no rows"};
    const Outcome writer = f.error.empty() ? Outcome{false, "never"} : serves;
    return {.member = serves, .writer = writer, .reader = serves};
  }
  void Report(const TestFacts& f, ProbeResult* result) const override {
    EXPECT_TRUE(f.answers && f.error.empty()) << "reported only after a whole read";
    AddMysqlSample(result, kRowsMetric, f.second);
  }
};

class DatabaseProbeTest : public testing::FakeSessionProbeTest<TestKind, TestSpec> {};

TEST_F(DatabaseProbeTest, AWholeReadIsJudgedAndReported) {
  session().On("SELECT first", {.rows = Rows{{{"a", "1"}}}});
  session().On("SELECT second", {.rows = Rows{{{"b", "1"}}, {{"b", "2"}}}});
  session().version = "9.7.4";
  session().connect_count = 3;
  const ProbeResult r = Attempt();
  EXPECT_TRUE(r.outcome.ok);
  EXPECT_EQ(r.outcome.reason, "rows");
  EXPECT_TRUE(Role(r, "reader").ok);
  EXPECT_EQ(Role(r, "writer").reason, "never");
  ExpectSentAfterSelect1({"SELECT first", "SELECT second WHERE x"});
  ExpectTheAttemptsDeadlineOnEveryCall();
  auto samples = testing::SampleMap(r);
  EXPECT_EQ(samples["rsagent_mysql_up"], 1);
  EXPECT_EQ(samples["rsagent_mysql_test_rows"], 2);
  EXPECT_EQ(r.details.at("version"), "9.7.4");
  EXPECT_EQ(r.details.at("connects"), "3");
  EXPECT_FALSE(r.details.contains("error"));
  testing::ExpectOwnNamesAndTypes(r);
}

TEST_F(DatabaseProbeTest, NotAnsweringReadsNothingAndExportsOnlyUp) {
  session().answering = Error{"connect to /run/mysqld/mysqld.sock: refused"};
  const ProbeResult r = Attempt();
  ExpectAllDown(r, "connect to /run/mysqld/mysqld.sock: refused");
  EXPECT_EQ(session().sent, std::vector<std::string>{"SELECT 1"});
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].name, "rsagent_mysql_up");
  EXPECT_EQ(r.samples[0].value, 0);
  EXPECT_EQ(r.details.at("error"), "connect to /run/mysqld/mysqld.sock: refused");
  EXPECT_FALSE(r.details.contains("version"));
}

TEST_F(DatabaseProbeTest, AFailedStatementEndsTheReadAndReportsNoStaleFacts) {
  session().On("SELECT first", {.rows = Error{"SELECT first: Lost connection"}, .code = 2013});
  const ProbeResult r = Attempt();
  ExpectAllDown(r, "SELECT first: Lost connection");
  EXPECT_EQ(session().sent.size(), 2u) << "nothing after the failed statement";
  ASSERT_EQ(r.samples.size(), 1u) << "up alone: the kind's facts are unknown";
  EXPECT_EQ(r.samples[0].value, 1);
  EXPECT_EQ(r.details.at("error"), "SELECT first: Lost connection");
  EXPECT_EQ(r.details.at("version"), "10.11.6-MariaDB-0+deb12u1");
}

TEST_F(DatabaseProbeTest, ARefusalForLackOfAPrivilegeIsUnknownAndNamesTheGrant) {
  session().On("SELECT first", {});
  session().On("SELECT second",
               {.rows = Error{"SELECT command denied"}, .code = testing::kTableAccessDenied});
  ExpectAllDown(
      Attempt(),
      "test state unknown: SELECT command denied (GRANT SELECT ON t.second TO the probe's "
      "user; docs/mysql.md \"Minimal grants\")");
  session().replies.back().second.code = testing::kSpecificAccessDenied;
  EXPECT_EQ(Attempt().outcome.reason.rfind("test state unknown: ", 0), 0u);
  session().replies.back().second.code = testing::kServerLost;
  EXPECT_EQ(Attempt().outcome.reason, "SELECT command denied") << "no privilege error";
}

// The verdicts read an empty error as success: a failure without a message
// (from the server or the client library) must still read as one.
TEST_F(DatabaseProbeTest, AFailureWithoutAMessageIsStillAFailure) {
  session().answering = Error{""};
  ExpectAllDown(Attempt(), "SELECT 1 failed (no error message)");
  session().answering = Status::Ok();
  session().On("SELECT first", {});
  session().On("SELECT second WHERE x", {.rows = Error{""}, .code = 2013});
  ExpectAllDown(Attempt(), "SELECT second failed (no error message)");
}

TEST_F(DatabaseProbeTest, AHangEndsTheAttemptAtItsDeadline) {
  session().On("SELECT first", {.hang = true});
  ExpectAHangToEndTheAttemptAtItsDeadline(2);
}

}  // namespace
}  // namespace rsagent::probes
