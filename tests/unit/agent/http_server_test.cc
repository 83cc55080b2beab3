#include "agent/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "agent/status_json.h"

namespace rsagent::agent {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto snap = std::make_shared<Snapshot>();
    snap->services = {ServiceView{.name = "web", .up = true},
                      ServiceView{.name = "db", .up = false, .reason = "probe m: refused"}};
    snap->all_up = false;
    snapshot_ = snap;
    Start({*Cidr::Parse("127.0.0.0/8")});
  }

  void Start(std::vector<Cidr> allow) {
    server_.reset();
    auto s = HttpServer::Start(
        HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0}, .allow = allow,
                    .threads = 2, .version = "test"},
        [this] { return std::atomic_load(&snapshot_); });
    ASSERT_TRUE(s.ok()) << s.error();
    server_ = std::move(s).value();
  }

  // One request on a fresh connection, written by hand: this is exactly
  // what keepalived's HTTP_GET sends (HTTP/1.0 style, new connection).
  std::string Raw(const std::string& request) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    std::string response;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) response.append(buf, n);
    close(fd);
    return response;
  }

  std::shared_ptr<const Snapshot> snapshot_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, KeepalivedStyleRequestGetsAnswerAndClose) {
  const std::string r = Raw(
      "GET /health/web HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:9480\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_TRUE(r.ends_with("\r\n\r\nUP\n")) << r;  // server closed after one answer
}

TEST_F(HttpServerTest, HaproxyStyleHttpCheck) {
  const std::string r = Raw("OPTIONS / HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 ")) << r;  // answered, not hung
  const std::string h = Raw("GET /health/db HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(h.starts_with("HTTP/1.1 503 Service Unavailable\r\n")) << h;
  EXPECT_NE(h.find("X-Rsagent-Reason: probe m: refused\r\n"), std::string::npos) << h;
  EXPECT_TRUE(h.ends_with("DOWN\n")) << h;
}

TEST_F(HttpServerTest, AggregateAndUnknownService) {
  httplib::Client c("127.0.0.1", server_->port());
  auto all = c.Get("/health");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 503);
  auto unknown = c.Get("/health/nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  auto head = c.Head("/health/web");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  httplib::Client c("127.0.0.1", server_->port());
  c.set_keep_alive(true);
  for (int i = 0; i < 50; ++i) {
    auto r = c.Get("/health/web");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
}

TEST_F(HttpServerTest, AnswersFollowTheCachedSnapshot) {
  httplib::Client c("127.0.0.1", server_->port());
  EXPECT_EQ(c.Get("/health/db")->status, 503);
  auto next = std::make_shared<Snapshot>(*snapshot_);
  next->services[1].up = true;
  next->all_up = true;
  std::atomic_store(&snapshot_, std::shared_ptr<const Snapshot>(next));
  EXPECT_EQ(c.Get("/health/db")->status, 200);
  EXPECT_EQ(c.Get("/health")->status, 200);
}

TEST_F(HttpServerTest, StatusAndMetricsOnlyForAllowedClients) {
  httplib::Client c("127.0.0.1", server_->port());
  auto status = c.Get("/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  auto json = nlohmann::json::parse(status->body);
  EXPECT_EQ(json["services"][1]["reason"], "probe m: refused");
  EXPECT_EQ(c.Get("/metrics")->status, 200);

  Start({*Cidr::Parse("192.168.1.2/32")});
  httplib::Client denied("127.0.0.1", server_->port());
  EXPECT_EQ(denied.Get("/status")->status, 403);
  EXPECT_EQ(denied.Get("/metrics")->status, 403);
  EXPECT_EQ(denied.Get("/health/web")->status, 200) << "/health stays open to the directors";
}

TEST_F(HttpServerTest, ListenerIsReadOnly) {
  httplib::Client c("127.0.0.1", server_->port());
  auto post = c.Post("/health/web", "drain", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_GE(post->status, 400);
}

TEST(HttpServerStartTest, PortInUseIsAClearError) {
  auto snap = std::make_shared<const Snapshot>();
  auto first = HttpServer::Start(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0}},
                                 [snap] { return snap; });
  ASSERT_TRUE(first.ok());
  auto second = HttpServer::Start(
      HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), (*first)->port()}},
      [snap] { return snap; });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("cannot listen on 127.0.0.1:"), std::string::npos)
      << second.error();
}

}  // namespace
}  // namespace rsagent::agent
