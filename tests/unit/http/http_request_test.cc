#include "http/http_request.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

TEST(ParseRequestHeadTest, KeepalivedHttpGetClosesAfterTheAnswer) {
  const std::string head = "GET /health/web HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n\r\n";
  ParsedHead p = ParseRequestHead(head + "GET /next");
  ASSERT_EQ(p.outcome, ParseOutcome::kComplete);
  EXPECT_EQ(p.consumed, head.size());
  EXPECT_EQ(p.request.method, "GET");
  EXPECT_EQ(p.request.path, "/health/web");
  EXPECT_FALSE(p.request.keep_alive);
  EXPECT_FALSE(p.request.has_body);
}

TEST(ParseRequestHeadTest, ConnectionHeaderOverridesTheVersionDefault) {
  EXPECT_TRUE(ParseRequestHead("GET / HTTP/1.1\r\nHost: x\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(
      ParseRequestHead("GET / HTTP/1.1\r\nconnection: Upgrade, close\r\n\r\n").request.keep_alive);
  EXPECT_TRUE(
      ParseRequestHead("HEAD / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
}

TEST(ParseRequestHeadTest, QueryStringIsNotPartOfThePath) {
  EXPECT_EQ(ParseRequestHead("GET /health?x=1 HTTP/1.1\r\n\r\n").request.path, "/health");
}

TEST(ParseRequestHeadTest, IncompleteUntilTheBlankLine) {
  EXPECT_EQ(ParseRequestHead("").outcome, ParseOutcome::kIncomplete);
  EXPECT_EQ(ParseRequestHead("GET /health HTTP/1.1\r\nHost: x\r\n").outcome,
            ParseOutcome::kIncomplete);
}

TEST(ParseRequestHeadTest, BareLineFeedsAreAccepted) {
  ParsedHead p = ParseRequestHead("GET /health HTTP/1.0\nHost: x\n\n");
  ASSERT_EQ(p.outcome, ParseOutcome::kComplete);
  EXPECT_EQ(p.request.path, "/health");
}

TEST(ParseRequestHeadTest, AnnouncedBodyIsFlagged) {
  EXPECT_TRUE(
      ParseRequestHead("POST /health HTTP/1.1\r\nContent-Length: 5\r\n\r\n").request.has_body);
  EXPECT_TRUE(
      ParseRequestHead("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").request.has_body);
  EXPECT_FALSE(ParseRequestHead("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").request.has_body);
}

TEST(ParseRequestHeadTest, MalformedHeadsAreBad) {
  for (const char* bad : {"hello\r\n\r\n", "GET /x\r\n\r\n", "GET x HTTP/1.1\r\n\r\n",
                          "GET /x HTTP/2.0\r\n\r\n", "GET /x HTTP/1.1\r\nno colon\r\n\r\n"}) {
    EXPECT_EQ(ParseRequestHead(bad).outcome, ParseOutcome::kBad) << bad;
  }
}

}  // namespace
}  // namespace rsagent::agent
