#include "http/agent_check_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "tests/unit/common/out_of_descriptors.h"
#include "tests/unit/http/epoll_fds.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

class AgentCheckServerTest : public ::testing::Test {
 protected:
  void Start(std::vector<Cidr> allow) {
    auto snap = std::make_shared<Snapshot>();
    snap->services = {ServiceView{.name = "web", .up = true, .weight = {.percent = 60}},
                      ServiceView{.name = "db", .up = false, .cause = "probe m down"}};
    snapshot_ = snap;
    auto s = AgentCheckServer::Start({.listen = Endpoint{*IpAddress::Parse("127.0.0.1"), 0},
                                      .allow = std::move(allow),
                                      .name_wait = milliseconds(100)},
                                     [this] { return snapshot_.load(); });
    ASSERT_TRUE(s.ok()) << s.error();
    server_ = std::move(s).value();
  }

  // Connects, sends `line` (if any), reads until the server closes.
  std::string Ask(const std::string& line) {
    auto fd = ConnectTcp({*IpAddress::Parse("127.0.0.1"), server_->port()},
                         Clock::now() + std::chrono::seconds(2));
    EXPECT_TRUE(fd.ok());
    if (!line.empty()) {
      EXPECT_TRUE(WriteAll(fd->get(), line, Clock::now() + std::chrono::seconds(2)).ok());
    }
    std::string answer;
    char buf[512];
    for (;;) {
      auto n = ReadSome(fd->get(), buf, sizeof buf, Clock::now() + std::chrono::seconds(2));
      if (!n.ok() || *n == 0) break;
      answer.append(buf, *n);
    }
    return answer;
  }

  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;  // not atomic_load: deprecated in GCC 14
  std::unique_ptr<AgentCheckServer> server_;
};

TEST_F(AgentCheckServerTest, AnswersTheNamedServiceAtOnceAndCloses) {
  Start({*Cidr::Parse("127.0.0.0/8")});
  const auto t0 = Clock::now();
  EXPECT_EQ(Ask("web\n"), "up ready 60%\n");
  EXPECT_LT(Clock::now() - t0, milliseconds(90)) << "answered without waiting for name_wait";
  EXPECT_EQ(Ask("db\n"), "down #db: probe m down\n");
}

TEST_F(AgentCheckServerTest, WithoutANameAnswersAfterTheWait) {
  Start({*Cidr::Parse("127.0.0.0/8")});
  const auto t0 = Clock::now();
  EXPECT_EQ(Ask(""), "down #db: probe m down\n");
  EXPECT_GE(Clock::now() - t0, milliseconds(100));
}

TEST_F(AgentCheckServerTest, FollowsTheSnapshot) {
  Start({*Cidr::Parse("127.0.0.0/8")});
  auto snap = std::make_shared<Snapshot>();
  snap->services = {ServiceView{
      .name = "web", .up = false, .reason = "drain", .admin = {AdminState::kDrain, {}}}};
  snapshot_.store(std::shared_ptr<const Snapshot>(snap));
  EXPECT_EQ(Ask("web\n"), "drain #web: drain\n");
}

TEST_F(AgentCheckServerTest, PeersOutsideAllowGetNothing) {
  Start({*Cidr::Parse("10.0.0.0/8")});
  EXPECT_EQ(Ask("web\n"), "");
}

TEST_F(AgentCheckServerTest, ARevokedAllowAppliesWithoutARestart) {
  // A reload that takes a director out of agent.allow: before, the health
  // port followed it and the agent-check port kept answering that director.
  Start({*Cidr::Parse("127.0.0.0/8")});
  EXPECT_EQ(Ask("web\n"), "up ready 60%\n");
  server_->SetAllow({*Cidr::Parse("10.0.0.0/8")});
  EXPECT_EQ(Ask("web\n"), "");
  server_->SetAllow({*Cidr::Parse("127.0.0.1/32")});
  EXPECT_EQ(Ask("web\n"), "up ready 60%\n");
}

TEST_F(AgentCheckServerTest, ManyConcurrentChecksAreAllAnswered) {
  Start({*Cidr::Parse("127.0.0.0/8")});
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 20; ++k) right += Ask("web\n") == "up ready 60%\n";
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(right, 320);
}

TEST_F(AgentCheckServerTest, AnEpollErrorStopsTheAgentLoudly) {
  // Before, the loop returned silently and HAProxy's checks queued unanswered.
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &term, nullptr), 0);
  const std::vector<int> before = EpollFds();
  Start({*Cidr::Parse("127.0.0.0/8")});
  const std::vector<int> added = EpollFdsSince(before);
  ASSERT_EQ(added.size(), 1u) << "the loop's epoll descriptor";
  close(added[0]);     // the loop's next epoll_wait fails (EBADF, or EINVAL once reused)
  (void)Ask("web\n");  // wakes the loop for one more round
  timespec wait{.tv_sec = 10, .tv_nsec = 0};
  EXPECT_EQ(sigtimedwait(&term, nullptr, &wait), SIGTERM) << "the loop ended without a word";
  ASSERT_EQ(pthread_sigmask(SIG_UNBLOCK, &term, nullptr), 0);
}

TEST_F(AgentCheckServerTest, OutOfDescriptorsPausesInsteadOfSpinning) {
  RSAGENT_SKIP_WHEN_SANITIZED();
  // accept4 failing with EMFILE leaves the check queued and the listener
  // readable: before, the loop asked again at once, on a core, until
  // descriptors were free.
  Start({*Cidr::Parse("127.0.0.0/8")});
  UniqueFd queued(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(queued.valid());
  OutOfDescriptors exhausted;
  sockaddr_in addr{.sin_family = AF_INET, .sin_port = htons(server_->port())};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(queued.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(write(queued.get(), "web\n", 4), 4);
  const double cpu_used = CpuSecondsWhileSleeping(std::chrono::seconds(1));
  exhausted.Release();
  EXPECT_LT(cpu_used, 0.05) << "CPU seconds used in 1 s while out of descriptors";
  // Descriptors back: the queued check is answered.
  EXPECT_EQ(FirstBytes(queued.get()), "up ready 60%\n");
}

TEST(AgentCheckServerStartTest, PortInUseIsAClearError) {
  auto first =
      AgentCheckServer::Start({.listen = Endpoint{*IpAddress::Parse("127.0.0.1"), 0}, .allow = {}},
                              [] { return std::make_shared<const Snapshot>(); });
  ASSERT_TRUE(first.ok());
  auto second = AgentCheckServer::Start(
      {.listen = {*IpAddress::Parse("127.0.0.1"), (*first)->port()}, .allow = {}},
      [] { return std::make_shared<const Snapshot>(); });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("cannot listen for agent-check on 127.0.0.1:"), std::string::npos)
      << second.error();
}

}  // namespace
}  // namespace rsagent::agent
