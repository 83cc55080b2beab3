// HttpEventLoop on its own: a real loopback listener, one loop thread, a
// handler that answers every request with its connection's sequence.
#include "http/http_event_loop.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "http/tcp_listener.h"

namespace rsagent::agent {
namespace {

class LoopFixture {
 public:
  explicit LoopFixture(uint32_t last_generation) {
    auto listener = ListenTcp({*IpAddress::Parse("127.0.0.1"), 0}, 0);
    EXPECT_TRUE(listener.ok()) << listener.error();
    listener_ = std::move(listener).value();
    stop_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    auto loop = HttpEventLoop::Create(
        listener_.get(), stop_.get(), LoopLimits{},
        [this](const HttpRequest&, const IpAddress&, bool) {
          const std::string body = std::to_string(++answered_);
          return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                 body;
        },
        last_generation);
    EXPECT_TRUE(loop.ok()) << loop.error();
    loop_ = std::move(loop).value();
    thread_ = std::thread([this] { loop_->Run(); });
  }
  ~LoopFixture() {
    const uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof one);
    thread_.join();
  }

  UniqueFd Connect() {
    UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{.sin_family = AF_INET, .sin_port = htons(BoundPort(listener_.get()))};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }

 private:
  UniqueFd listener_;
  UniqueFd stop_;
  std::atomic<int> answered_{0};
  std::unique_ptr<HttpEventLoop> loop_;
  std::thread thread_;
};

// Sends one keep-alive request and returns the answer (empty after 10 s).
std::string Ask(int fd) {
  const std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string answer;
  for (;;) {
    pollfd readable{.fd = fd, .events = POLLIN};
    if (poll(&readable, 1, 10'000) != 1) return "";
    char buffer[512];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return "";
    answer.append(buffer, static_cast<size_t>(n));
    const size_t head_end = answer.find("\r\n\r\n");
    if (head_end != std::string::npos && answer.size() > head_end + 4) return answer;
  }
}

TEST(HttpEventLoopTest, ConnectionsAcrossTheGenerationWrapAreAllServed) {
  // A connection's generation is the upper half of its epoll tag; events
  // whose tag does not match the connection on that fd are dropped as stale.
  // Started three below 2^32, the connections get 2^32-2, 2^32-1, 0, 1, 2:
  // a request that arrives after the accept is served only if its event's
  // tag still matches the connection after the wrap. (With a 64-bit
  // generation in the table, the third connection's first request is
  // never answered.)
  LoopFixture loop(std::numeric_limits<uint32_t>::max() - 2);
  std::vector<UniqueFd> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(loop.Connect());
    ASSERT_NE(Ask(clients.back().get()), "") << "first request on connection " << i;
  }
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < clients.size(); ++i) {
      ASSERT_NE(Ask(clients[i].get()), "") << "keep-alive request " << round << " on connection "
                                           << i << " (generation 2^32-2+" << i << " mod 2^32)";
    }
  }
  // A descriptor freed before the wrap and reused after it: the new
  // connection is served, the old tag cannot match it.
  clients[1].Reset(-1);
  UniqueFd reused = loop.Connect();
  EXPECT_NE(Ask(reused.get()), "");
  EXPECT_NE(Ask(reused.get()), "");
}

}  // namespace
}  // namespace rsagent::agent
