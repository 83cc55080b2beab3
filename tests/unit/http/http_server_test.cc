#include "http/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "http/status_json.h"
#include "tests/unit/common/out_of_descriptors.h"
#include "tests/unit/http/epoll_fds.h"

namespace rsagent::agent {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto snap = std::make_shared<Snapshot>();
    snap->services = {ServiceView{.name = "web", .up = true},
                      ServiceView{.name = "db",
                                  .up = false,
                                  .reason = "probe m: HTTP/1.1 200 junk\\r\\nX-Injected: yes",
                                  .cause = "probe m down"}};
    snap->all_up = false;
    snapshot_ = snap;
    Start({*Cidr::Parse("127.0.0.0/8")});
  }

  void Start(std::vector<Cidr> allow) {
    StartWith(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0},
                          .allow = allow,
                          .threads = 2,
                          .version = "test"});
  }

  void StartWith(const HttpOptions& options) {
    server_.reset();
    auto s = HttpServer::Start(options, [this] { return snapshot_.load(); });
    ASSERT_TRUE(s.ok()) << s.error();
    server_ = std::move(s).value();
  }

  // A connected socket with a 2 s receive timeout.
  int Connect() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }

  // Everything until the server closes (or the 2 s timeout).
  static std::string ReadToEnd(int fd) {
    std::string response;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) response.append(buf, n);
    return response;
  }

  // One request on a fresh connection, written by hand: this is exactly
  // what keepalived's HTTP_GET sends (HTTP/1.0 style, new connection).
  std::string Raw(const std::string& request) {
    int fd = Connect();
    EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    std::string response = ReadToEnd(fd);
    close(fd);
    return response;
  }

  // The server's own connections still open both ways (its local port is
  // the listener's; state 01 = ESTABLISHED in /proc/net/tcp).
  int ServerSideEstablished() {
    std::ifstream tcp("/proc/net/tcp");
    char port[8];
    std::snprintf(port, sizeof port, ":%04X", server_->port());
    std::string line;
    int count = 0;
    std::getline(tcp, line);  // header
    while (std::getline(tcp, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      count += local.ends_with(port) && state == "01";
    }
    return count;
  }

  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
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
  // The fixed cause only: the probed server's text stays in /status.
  EXPECT_NE(h.find("X-Rsagent-Reason: probe m down\r\n"), std::string::npos) << h;
  EXPECT_EQ(h.find("junk"), std::string::npos) << h;
  EXPECT_TRUE(h.ends_with("DOWN\n")) << h;
}

TEST_F(HttpServerTest, ServiceAnswersCarryHealthApartFromOverridesAndTheWeight) {
  auto snap = std::make_shared<Snapshot>();
  snap->services = {
      ServiceView{.name = "up",
                  .up = true,
                  .healthy = true,
                  .weight = {.percent = 40, .absolute = 8},
                  .pool = PoolState::kOk},
      ServiceView{.name = "drained",
                  .up = false,
                  .reason = "drain",
                  .admin = {AdminState::kDrain, {}},
                  .healthy = true},
      ServiceView{.name = "maint",
                  .up = false,
                  .reason = "maint",
                  .admin = {AdminState::kMaint, {}},
                  .healthy = true},
      ServiceView{.name = "broken",
                  .up = false,
                  .reason = "drain; probe p: refused",
                  .admin = {AdminState::kDrain, {}},
                  .healthy = false}};
  std::atomic_store(&snapshot_, std::shared_ptr<const Snapshot>(snap));
  auto get = [&](const std::string& name) {
    return Raw("GET /health/" + name + " HTTP/1.0\r\n\r\n");
  };
  const std::string up = get("up");
  EXPECT_NE(up.find("X-Rsagent-Health: UP\r\n"), std::string::npos) << up;
  EXPECT_NE(up.find("X-Rsagent-Weight: 8\r\n"), std::string::npos) << up;
  const std::string drained = get("drained");
  EXPECT_TRUE(drained.starts_with("HTTP/1.1 503 ")) << drained;
  EXPECT_NE(drained.find("X-Rsagent-Health: UP\r\n"), std::string::npos) << drained;
  EXPECT_NE(drained.find("X-Rsagent-Weight: 0\r\n"), std::string::npos) << drained;
  const std::string maint = get("maint");
  EXPECT_NE(maint.find("X-Rsagent-Health: UP\r\n"), std::string::npos) << maint;
  EXPECT_EQ(maint.find("X-Rsagent-Weight"), std::string::npos) << maint;
  EXPECT_NE(up.find("X-Rsagent-Pool: ok\r\n"), std::string::npos) << up;
  EXPECT_NE(drained.find("X-Rsagent-Pool: down\r\n"), std::string::npos) << drained;
  const std::string broken = get("broken");
  EXPECT_NE(broken.find("X-Rsagent-Health: DOWN\r\n"), std::string::npos) << broken;
  EXPECT_EQ(broken.find("X-Rsagent-Weight"), std::string::npos) << broken;
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
  auto next = std::make_shared<Snapshot>(*snapshot_.load());
  next->services[1].up = true;
  next->all_up = true;
  snapshot_.store(std::shared_ptr<const Snapshot>(next));
  EXPECT_EQ(c.Get("/health/db")->status, 200);
  EXPECT_EQ(c.Get("/health")->status, 200);
}

TEST_F(HttpServerTest, StatusAndMetricsOnlyForAllowedClients) {
  httplib::Client c("127.0.0.1", server_->port());
  auto status = c.Get("/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  auto json = nlohmann::json::parse(status->body);
  EXPECT_EQ(json["services"][1]["reason"], "probe m: HTTP/1.1 200 junk\\r\\nX-Injected: yes");
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

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr const char* kKeepalivedCheck = "GET /health/web HTTP/1.0\r\nHost: x\r\n\r\n";

TEST_F(HttpServerTest, SlowlorisIsCutAtTheRequestDeadlineWhileChecksGoOn) {
  StartWith(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0},
                        .request_timeout = milliseconds(300)});
  int slow = Connect();
  const auto start = steady_clock::now();
  ASSERT_GT(write(slow, "GET /health HTTP/1.1\r\n", 22), 0);
  bool cut = false;
  // One header line every 50 ms, never the blank line: each byte is on time,
  // only the deadline for the whole head can end it.
  for (int i = 0; i < 40 && !cut; ++i) {
    cut = write(slow, "X-a: b\r\n", 8) < 0;
    EXPECT_TRUE(Raw(kKeepalivedCheck).starts_with("HTTP/1.1 200 OK\r\n"));
    std::this_thread::sleep_for(milliseconds(50));
    char c;
    if (recv(slow, &c, 1, MSG_DONTWAIT) == 0) cut = true;
  }
  EXPECT_TRUE(cut);
  const auto held = steady_clock::now() - start;
  EXPECT_GE(held, milliseconds(300));
  EXPECT_LT(held, milliseconds(1500));
  close(slow);
}

TEST_F(HttpServerTest, AtTheCapTheLongestWaitingConnectionMakesRoom) {
  StartWith(HttpOptions{
      .listen = {*IpAddress::Parse("127.0.0.1"), 0}, .threads = 1, .max_connections = 4});
  // Partial requests: connections that send nothing are never even accepted
  // (TCP_DEFER_ACCEPT).
  std::vector<int> idle;
  for (int i = 0; i < 10; ++i) {
    idle.push_back(Connect());
    ASSERT_GT(write(idle.back(), "GET /health HTTP/1.1\r\n", 22), 0);
    std::this_thread::sleep_for(milliseconds(5));
  }
  const auto start = steady_clock::now();
  EXPECT_TRUE(Raw(kKeepalivedCheck).starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_LT(steady_clock::now() - start, milliseconds(500));
  int evicted = 0;
  for (int fd : idle) {
    char c;
    evicted += recv(fd, &c, 1, MSG_DONTWAIT) == 0;
    close(fd);
  }
  EXPECT_GE(evicted, 7) << "10 unfinished + 1 check through a cap of 4";
}

TEST_F(HttpServerTest, RequestSplitAcrossWritesIsAnswered) {
  int fd = Connect();
  const std::string request = kKeepalivedCheck;
  for (char c : request) {
    ASSERT_EQ(write(fd, &c, 1), 1);
    std::this_thread::sleep_for(milliseconds(1));
  }
  const std::string response = ReadToEnd(fd);
  close(fd);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_TRUE(response.ends_with("\r\n\r\nUP\n")) << response;
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  const std::string r =
      Raw("GET /health/web HTTP/1.1\r\nHost: x\r\n\r\n"
          "GET /health/db HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const size_t second = r.find("HTTP/1.1 503");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_NE(second, std::string::npos) << r;
  EXPECT_TRUE(r.ends_with("DOWN\n")) << r;
}

TEST_F(HttpServerTest, OversizedOrMalformedHeadsAreRefused) {
  EXPECT_TRUE(Raw("GET /health HTTP/1.1\r\nX: " + std::string(10000, 'a') + "\r\n\r\n")
                  .starts_with("HTTP/1.1 431 "));
  EXPECT_TRUE(Raw("hello\r\n\r\n").starts_with("HTTP/1.1 400 "));
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  StartWith(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0},
                        .idle_timeout = milliseconds(200)});
  int fd = Connect();
  const std::string request = "GET /health/web HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  const auto start = steady_clock::now();
  const std::string response = ReadToEnd(fd);  // answer, then EOF at the idle timeout
  close(fd);
  EXPECT_TRUE(response.ends_with("UP\n")) << response;
  EXPECT_NE(response.find("Connection: keep-alive\r\n"), std::string::npos) << response;
  EXPECT_GE(steady_clock::now() - start, milliseconds(200));
  EXPECT_LT(steady_clock::now() - start, milliseconds(1500));
}

TEST_F(HttpServerTest, PipelinedRequestsFollowedByAHalfCloseAreAllAnswered) {
  // Before, the half-close made the first answer "close" and the second
  // request was dropped unanswered.
  int fd = Connect();
  const std::string requests =
      "GET /health/web HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health/db HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health/web HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(write(fd, requests.data(), requests.size()), static_cast<ssize_t>(requests.size()));
  shutdown(fd, SHUT_WR);
  const std::string r = ReadToEnd(fd);
  close(fd);
  const size_t first = r.find("HTTP/1.1 200 OK");
  const size_t second = r.find("HTTP/1.1 503", first);
  const size_t third = r.find("HTTP/1.1 200 OK", second);
  EXPECT_NE(first, std::string::npos) << r;
  EXPECT_NE(second, std::string::npos) << r;
  EXPECT_NE(third, std::string::npos) << r;
}

TEST_F(HttpServerTest, TheCapCountsConnectionsWithAnAnswerPending) {
  // Clients that ask for /status and never read: their answers stay pending
  // (a big body fills the socket buffers). Before, they were never evicted,
  // so the cap of 2 did not hold: every new check was accepted beyond it.
  // No deadline can close a stuck client during the test (60 s), so only
  // the cap can make room, however slowly the host renders.
  auto big = std::make_shared<Snapshot>(*snapshot_.load());
  for (int i = 0; i < 20000; ++i) {
    big->services.push_back(
        ServiceView{.name = "svc" + std::to_string(i), .up = true, .reason = std::string(64, 'r')});
  }
  snapshot_ = big;
  StartWith(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0},
                        .allow = {*Cidr::Parse("127.0.0.0/8")},
                        .threads = 1,
                        .max_connections = 2,
                        .request_timeout = seconds(60),
                        .idle_timeout = seconds(60),
                        .write_timeout = seconds(60)});
  std::vector<int> stuck;
  for (int i = 0; i < 2; ++i) {
    stuck.push_back(Connect());
    int small = 4096;
    setsockopt(stuck.back(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    const std::string request = "GET /status HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_GT(write(stuck.back(), request.data(), request.size()), 0);
    // The first bytes of its answer arrived: the server rendered it and is
    // blocked writing the rest (waits for the render, not for a clock).
    pollfd readable{.fd = stuck.back(), .events = POLLIN};
    ASSERT_EQ(poll(&readable, 1, 60'000), 1) << "no answer started for stuck client " << i;
  }
  ASSERT_EQ(ServerSideEstablished(), 2);
  EXPECT_TRUE(Raw(kKeepalivedCheck).starts_with("HTTP/1.1 200 OK\r\n"));
  // One of the stuck ones made room: the server closed its side.
  EXPECT_EQ(ServerSideEstablished(), 1);
  for (int fd : stuck) close(fd);
}

TEST(HttpServerLoopTest, AnEpollErrorStopsTheAgentLoudly) {
  // Before, the loop thread returned silently: the port kept accepting into
  // a backlog nobody served. Now SIGTERM goes to the agent (its shutdown
  // answers DOWN on the other loops). Blocked here so the test receives it.
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &term, nullptr), 0);
  const std::vector<int> before = EpollFds();
  auto snap = std::make_shared<const Snapshot>();
  auto server =
      HttpServer::Start(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0}, .threads = 1},
                        [snap] { return snap; });
  ASSERT_TRUE(server.ok()) << server.error();
  const std::vector<int> added = EpollFdsSince(before);
  ASSERT_EQ(added.size(), 1u) << "the loop's epoll descriptor";
  close(added[0]);  // the loop's next epoll_wait fails (EBADF, or EINVAL once reused)
  httplib::Client c("127.0.0.1", (*server)->port());
  c.set_read_timeout(1, 0);
  (void)c.Get("/health");  // wakes the loop for one more round
  timespec wait{.tv_sec = 10, .tv_nsec = 0};
  EXPECT_EQ(sigtimedwait(&term, nullptr, &wait), SIGTERM) << "the loop ended without a word";
  ASSERT_EQ(pthread_sigmask(SIG_UNBLOCK, &term, nullptr), 0);
}

TEST(HttpServerLoopTest, OutOfDescriptorsWithNothingToEvictPausesInsteadOfSpinning) {
  RSAGENT_SKIP_WHEN_SANITIZED();
  // accept4 failing with EMFILE leaves the connection queued and the
  // listener readable: with no connection of its own to close, the loop
  // must not call accept4 again at once, over and over.
  auto snap = std::make_shared<const Snapshot>();
  auto server =
      HttpServer::Start(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0}, .threads = 1},
                        [snap] { return snap; });
  ASSERT_TRUE(server.ok()) << server.error();
  UniqueFd queued(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(queued.valid());
  OutOfDescriptors exhausted;
  sockaddr_in addr{.sin_family = AF_INET, .sin_port = htons((*server)->port())};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(queued.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request = "GET /health HTTP/1.0\r\n\r\n";
  ASSERT_EQ(write(queued.get(), request.data(), request.size()),
            static_cast<ssize_t>(request.size()));

  const double cpu_used = CpuSecondsWhileSleeping(std::chrono::seconds(1));
  exhausted.Release();
  EXPECT_LT(cpu_used, 0.05) << "CPU seconds used in 1 s while out of descriptors";
  // Descriptors back: the queued check is answered.
  EXPECT_EQ(FirstBytes(queued.get()).rfind("HTTP/1.1 ", 0), 0u);
}

TEST(HttpServerStartTest, PortInUseIsAClearError) {
  auto snap = std::make_shared<const Snapshot>();
  auto first = HttpServer::Start(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0}},
                                 [snap] { return snap; });
  ASSERT_TRUE(first.ok());
  auto second =
      HttpServer::Start(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), (*first)->port()}},
                        [snap] { return snap; });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("cannot listen on 127.0.0.1:"), std::string::npos)
      << second.error();
}

}  // namespace
}  // namespace rsagent::agent

namespace rsagent::agent {
namespace {

TEST(HttpServerWriterTest, TheWriterReportForAllowedPeersOnly) {
  auto snap = std::make_shared<Snapshot>();
  snap->services = {ServiceView{.name = "db-writer", .up = true}};
  // A mutex, not std::atomic_load: GCC 14 deprecates the shared_ptr overloads.
  std::mutex current_mu;
  std::shared_ptr<const Snapshot> current = snap;
  auto start = [&](const char* allow) {
    auto s = HttpServer::Start(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0},
                                           .allow = {*Cidr::Parse(allow)},
                                           .threads = 1,
                                           .version = "test"},
                               [&] {
                                 std::lock_guard lock(current_mu);
                                 return current;
                               });
    EXPECT_TRUE(s.ok()) << s.error();
    return std::move(s).value();
  };
  auto server = start("127.0.0.0/8");
  httplib::Client c("127.0.0.1", server->port());
  EXPECT_EQ(c.Get("/writer")->status, 404) << "no [pair]";

  auto with_pair = std::make_shared<Snapshot>(*snap);
  with_pair->pair = pair::WriterReport{
      .service = "db-writer", .role = pair::WriterRole::kWriter, .term = 3, .writer_term = 3};
  {
    std::lock_guard lock(current_mu);
    current = with_pair;
  }
  auto answer = c.Get("/writer");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  auto report = pair::ParseWriterReport(answer->body);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(*report, *with_pair->pair);
  auto status = nlohmann::json::parse(c.Get("/status")->body);
  EXPECT_EQ(status["pair"]["role"], "writer");

  auto denied_server = start("192.168.1.2/32");
  httplib::Client denied("127.0.0.1", denied_server->port());
  EXPECT_EQ(denied.Get("/writer")->status, 403);
}

TEST(HttpServerWriterTest, InvalidUtf8InTheReportCannotKillTheAgent) {
  // A database's error text (the reason) cut inside a character: dumping it
  // raw threw type_error 316 on the loop thread and the agent died.
  auto snap = std::make_shared<Snapshot>();
  snap->pair = pair::WriterReport{
      .service = "db-writer", .last_gtid = "0-1-\xff", .reason = "mysqld not answering (x\xc3)"};
  std::shared_ptr<const Snapshot> current = snap;
  auto server = HttpServer::Start(HttpOptions{.listen = {*IpAddress::Parse("127.0.0.1"), 0},
                                              .allow = {*Cidr::Parse("127.0.0.0/8")},
                                              .threads = 1},
                                  [current] { return current; });
  ASSERT_TRUE(server.ok()) << server.error();
  httplib::Client c("127.0.0.1", (*server)->port());
  auto answer = c.Get("/writer");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  auto report = pair::ParseWriterReport(answer->body);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report->reason, "mysqld not answering (x\uFFFD)");
  EXPECT_TRUE(c.Get("/health"));  // still serving
}

}  // namespace
}  // namespace rsagent::agent
