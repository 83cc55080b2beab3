#include "probes/http_response_parser.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

// Feeds `response` one byte at a time: framing must not depend on how the
// bytes arrive.
HttpResponseParser FeedBytewise(std::string_view response) {
  HttpResponseParser parser;
  for (char c : response) {
    EXPECT_TRUE(parser.Feed(std::string_view(&c, 1)).ok());
  }
  return parser;
}

TEST(HttpResponseParser, ContentLengthBody) {
  auto parser = FeedBytewise("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.status(), 200);
  EXPECT_EQ(parser.body(), "hello");
}

TEST(HttpResponseParser, ChunkedBodyWithExtensionsAndTrailers) {
  auto parser = FeedBytewise(
      "HTTP/1.1 503 Unavailable\r\ntransfer-encoding: Chunked\r\n\r\n"
      "4;ext=1\r\ndown\r\n3\r\n!!!\r\n0\r\nX-Trailer: t\r\n\r\n");
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.status(), 503);
  EXPECT_EQ(parser.body(), "down!!!");
}

TEST(HttpResponseParser, BodyUntilEndOfStream) {
  HttpResponseParser parser;
  ASSERT_TRUE(parser.Feed("HTTP/1.0 200 OK\r\nServer: x\r\n\r\npart one, ").ok());
  ASSERT_TRUE(parser.Feed("part two").ok());
  EXPECT_FALSE(parser.done());
  ASSERT_TRUE(parser.FinishAtEof().ok());
  EXPECT_EQ(parser.body(), "part one, part two");
}

TEST(HttpResponseParser, BodyIsCappedAndStopsTheRead) {
  HttpResponseParser parser;
  ASSERT_TRUE(parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n").ok());
  ASSERT_TRUE(parser.Feed(std::string(HttpResponseParser::kMaxBody + 10, 'x')).ok());
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(parser.body().size(), HttpResponseParser::kMaxBody);
}

TEST(HttpResponseParser, NoBodyFor204AndInterimResponsesAreSkipped) {
  EXPECT_TRUE(FeedBytewise("HTTP/1.1 204 No Content\r\n\r\n").done());
  auto parser = FeedBytewise("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.status(), 200);
  EXPECT_EQ(parser.body(), "ok");
}

TEST(HttpResponseParser, CutShortIsAnError) {
  HttpResponseParser parser;
  ASSERT_TRUE(parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").ok());
  EXPECT_EQ(parser.FinishAtEof().error(), "connection closed before the response was complete");
  EXPECT_EQ(HttpResponseParser().FinishAtEof().error(), "connection closed without a response");
}

TEST(HttpResponseParser, RejectsMalformedResponses) {
  EXPECT_FALSE(HttpResponseParser().Feed("SSH-2.0-OpenSSH_9.2\r\n\r\n").ok());
  EXPECT_FALSE(HttpResponseParser().Feed("HTTP/1.1 2x0 OK\r\n\r\n").ok());
  EXPECT_FALSE(HttpResponseParser().Feed("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").ok());
  EXPECT_FALSE(HttpResponseParser().Feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").ok());
  EXPECT_FALSE(HttpResponseParser().Feed(std::string(HttpResponseParser::kMaxHeaders + 1, 'a')).ok());
}

}  // namespace
}  // namespace rsagent::probes
