// The fixture of a database probe kind's tests on a scripted session
// (fake_mysql_session.h): the first attempt builds the probe on the session
// scripted so far, later ones reuse it as the scheduler does. A kind's
// fixture may script its server's replies anew before each attempt.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "probes/probe.h"
#include "tests/unit/probes/fake_mysql_session.h"

namespace rsagent::probes::testing {

template <typename ProbeKind, typename Spec>
class FakeSessionProbeTest : public ::testing::Test {
 protected:
  FakeSession& session() { return *session_; }
  virtual void ScriptServer() {}  // called before every attempt

  // From the next attempt on, the statement starting with `prefix` gets
  // `reply` (an error, a hang) instead of what the kind's script says.
  void Reply(std::string prefix, FakeSession::Reply reply) {
    replaced_.emplace_back(std::move(prefix), std::move(reply));
  }
  void UnReplace() { replaced_.clear(); }
  // The first step of a ScriptServer: no reply but the replaced ones.
  void StartScript() { session_->replies = replaced_; }

  ProbeResult Attempt(std::chrono::milliseconds budget = std::chrono::seconds(1)) {
    ScriptServer();
    if (!probe_) probe_ = std::make_unique<ProbeKind>(spec_, std::move(owned_));
    deadline_ = Clock::now() + budget;
    return probe_->Attempt(deadline_);
  }

  // The next attempt builds a new probe (of spec_ as it is then) on a new session.
  void NewProbe() {
    probe_.reset();
    owned_ = std::make_unique<FakeSession>();
    session_ = owned_.get();
  }

  static const Outcome& Role(const ProbeResult& r, const char* role) { return r.roles.at(role); }

  // The probe's outcome and both roles DOWN, all for `reason`.
  static void ExpectAllDown(const ProbeResult& r, const std::string& reason) {
    EXPECT_FALSE(r.outcome.ok);
    EXPECT_EQ(r.outcome.reason, reason);
    EXPECT_FALSE(Role(r, "writer").ok);
    EXPECT_EQ(Role(r, "writer").reason, reason);
    EXPECT_FALSE(Role(r, "reader").ok);
    EXPECT_EQ(Role(r, "reader").reason, reason);
  }

  // The statements sent so far are SELECT 1 and then ones that contain
  // `parts`, one each, in this order.
  void ExpectSentAfterSelect1(std::initializer_list<const char*> parts) const {
    ASSERT_EQ(session_->sent.size(), parts.size() + 1);
    EXPECT_EQ(session_->sent[0], "SELECT 1");
    size_t i = 1;
    for (const char* part : parts) {
      EXPECT_NE(session_->sent[i].find(part), std::string::npos) << session_->sent[i];
      ++i;
    }
  }

  // Every call of the last attempt reached the session with its deadline.
  void ExpectTheAttemptsDeadlineOnEveryCall() const {
    for (Clock::time_point d : session_->deadlines) EXPECT_EQ(d, deadline_);
  }

  // With a statement scripted to hang: the attempt ends at its deadline,
  // timed out and serving nothing, after `sent` calls (none after it).
  void ExpectAHangToEndTheAttemptAtItsDeadline(size_t sent) {
    const ProbeResult r = Attempt(std::chrono::milliseconds(50));
    const Clock::time_point returned = Clock::now();
    EXPECT_FALSE(r.outcome.ok);
    EXPECT_NE(r.outcome.reason.find(": timed out"), std::string::npos) << r.outcome.reason;
    EXPECT_FALSE(Role(r, "writer").ok);
    EXPECT_FALSE(Role(r, "reader").ok);
    EXPECT_EQ(session_->sent.size(), sent) << "nothing sent after the deadline";
    ExpectTheAttemptsDeadlineOnEveryCall();
    EXPECT_LT(returned - deadline_, std::chrono::seconds(2)) << "a generous sanity bound";
  }

  Spec spec_;
  Clock::time_point deadline_;

 private:
  std::vector<std::pair<std::string, FakeSession::Reply>> replaced_;
  std::unique_ptr<FakeSession> owned_ = std::make_unique<FakeSession>();
  FakeSession* session_ = owned_.get();  // owned by probe_ once it exists
  std::unique_ptr<ProbeKind> probe_;
};

}  // namespace rsagent::probes::testing
