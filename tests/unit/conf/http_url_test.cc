#include "conf/http_url.h"

#include <gtest/gtest.h>

namespace rsagent::conf {
namespace {

TEST(HttpUrl, DefaultsPortAndTargetFromTheScheme) {
  auto url = HttpUrl::Parse("http://127.0.0.1");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");

  url = HttpUrl::Parse("https://127.0.0.1/");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->port, 443);
}

TEST(HttpUrl, KeepsPortPathAndQuery) {
  auto url = HttpUrl::Parse("http://localhost:8080/app/health?deep=1");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->host, "localhost");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/app/health?deep=1");

  url = HttpUrl::Parse("http://127.0.0.1?x=1");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->target, "/?x=1");
}

TEST(HttpUrl, AcceptsBracketedIpv6) {
  auto url = HttpUrl::Parse("https://[::1]:8443/health");
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/health");
}

TEST(HttpUrl, RejectsNamesThatWouldNeedDns) {
  auto url = HttpUrl::Parse("http://example.com/");
  ASSERT_FALSE(url.ok());
  EXPECT_NE(url.error().find("names are not resolved"), std::string::npos) << url.error();
}

TEST(HttpUrl, RejectsMalformedUrls) {
  for (const char* text :
       {"", "127.0.0.1/", "ftp://127.0.0.1/", "http://", "http://:80/", "http://127.0.0.1:/",
        "http://127.0.0.1:0/", "http://127.0.0.1:65536/", "http://127.0.0.1:8o/", "http://[::1/",
        "http://[127.0.0.1]/", "http://::1/", "http://[::1]x/", "http://u:p@127.0.0.1/",
        "http://127.0.0.1/a b", "http://127.0.0.1/#top"}) {
    EXPECT_FALSE(HttpUrl::Parse(text).ok()) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace rsagent::conf
