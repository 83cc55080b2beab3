#include "check/check_answer.h"

#include <gtest/gtest.h>

#include "common/safe_text.h"

namespace rsagent::check {
namespace {

TEST(AnswerForTest, UpExitsWithTheWeightPlusTwo) {
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\nX-Rsagent-Health: UP\r\nX-Rsagent-Weight: 75\r\n\r\nUP\n")
                .exit_code,
            77);
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\nx-rsagent-weight:  253 \r\n\r\nUP\n").exit_code, 255);
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\nX-Rsagent-Weight: 1\r\n\r\n").exit_code, 3);
}

TEST(AnswerForTest, UpWithoutAWeightLeavesItUnchanged) {
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nUP\n").exit_code, 0);
}

TEST(AnswerForTest, DrainedIsAliveAtWeightZero) {
  CheckAnswer a = AnswerFor(
      "HTTP/1.1 503 Service Unavailable\r\nX-Rsagent-Reason: drain\r\nX-Rsagent-Weight: 0\r\n\r\n");
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_NE(a.why.find("drain"), std::string::npos);
}

TEST(AnswerForTest, WhatTheServerSaysIsQuotedSafely) {
  // Anything may answer on the port; its words go to stderr (keepalived's
  // log, an operator's terminal): one line, escaped, valid UTF-8.
  CheckAnswer down =
      AnswerFor("HTTP/1.1 503 Service Unavailable\r\nX-Rsagent-Reason: x\n\x1b[2J\xff\r\n\r\n");
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_TRUE(IsSafeText(down.why)) << down.why;
  CheckAnswer weight = AnswerFor("HTTP/1.1 200 OK\r\nX-Rsagent-Weight: 1\x1b]0;t\x07\r\n\r\n");
  EXPECT_EQ(weight.exit_code, 1);
  EXPECT_TRUE(IsSafeText(weight.why)) << weight.why;
}

TEST(AnswerForTest, DownUnknownAndGarbageFail) {
  CheckAnswer down = AnswerFor(
      "HTTP/1.1 503 Service Unavailable\r\nX-Rsagent-Reason: probe nginx: refused\r\n\r\nDOWN\n");
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_EQ(down.why, "DOWN 503: probe nginx: refused");
  EXPECT_EQ(AnswerFor("HTTP/1.1 404 Not Found\r\n\r\n").exit_code, 1);
  EXPECT_EQ(AnswerFor("").exit_code, 1);
  EXPECT_EQ(AnswerFor("SSH-2.0-OpenSSH\r\n").exit_code, 1);
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\nX-Rsagent-Weight: 254\r\n\r\n").exit_code, 1);
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\nX-Rsagent-Weight: -1\r\n\r\n").exit_code, 1);
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\nX-Rsagent-Weight: 7x\r\n\r\n").exit_code, 1);
  // A weight in the body is not a header.
  EXPECT_EQ(AnswerFor("HTTP/1.1 200 OK\r\n\r\nX-Rsagent-Weight: 9\r\n").exit_code, 0);
}

}  // namespace
}  // namespace rsagent::check
