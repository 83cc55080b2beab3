#include "netsetup/listener_watch.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "common/clock.h"

// Real sockets in a network namespace of the test's own (the subscription
// needs CAP_NET_ADMIN, and another process's listeners must not show up in
// what is asserted).
namespace rsagent::netsetup {
namespace {

using std::chrono::milliseconds;

// A listener on an ephemeral port of the wildcard address: the namespace's
// loopback stays down (no `ip` command needed, as in a build root), and no
// packet is ever sent.
UniqueFd Listen(uint16_t* port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{.sin_family = AF_INET, .sin_port = 0, .sin_addr = {htonl(INADDR_ANY)}};
  socklen_t len = sizeof a;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(fd.get(), 4) != 0 ||
      getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    return UniqueFd();
  }
  *port = ntohs(a.sin_port);
  return fd;
}

class ListenerWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (a private network namespace)";
    ASSERT_EQ(unshare(CLONE_NEWNET), 0) << "unshare(CLONE_NEWNET) failed";
    auto opened = ListenerWatch::Open();
    ASSERT_TRUE(opened.ok()) << opened.error();
    watch_ = std::move(opened).value();
  }
  std::unique_ptr<ListenerWatch> watch_;
};

TEST_F(ListenerWatchTest, AClosedListenerIsReportedByItsPort) {
  uint16_t port = 0;
  UniqueFd listener = Listen(&port);
  ASSERT_TRUE(listener.valid());
  listener.Reset();
  auto event = watch_->Wait(milliseconds(2000));
  ASSERT_TRUE(event.ok()) << event.error();
  EXPECT_EQ(event->ports, std::vector<uint16_t>{port});
  EXPECT_FALSE(event->overrun);
}

TEST_F(ListenerWatchTest, InterruptEndsALongWaitAtOnceAndEveryLaterOne) {
  const SteadyTime start = Clock::now();
  std::thread interrupter([&] {
    std::this_thread::sleep_for(milliseconds(100));
    watch_->Interrupt();
  });
  auto event = watch_->Wait(milliseconds(60'000));
  interrupter.join();
  ASSERT_TRUE(event.ok()) << event.error();
  EXPECT_TRUE(event->ports.empty());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));  // not the 60 s asked for

  // Interrupted for good: a stopping thread cannot miss it between waits.
  const SteadyTime again = Clock::now();
  ASSERT_TRUE(watch_->Wait(milliseconds(60'000)).ok());
  EXPECT_LT(Clock::now() - again, std::chrono::seconds(10));
}

}  // namespace
}  // namespace rsagent::netsetup
