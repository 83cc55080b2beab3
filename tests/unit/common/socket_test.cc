#include "common/socket.h"

#include <netinet/in.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

namespace rsagent {
namespace {

using std::chrono::milliseconds;

// A listener on 127.0.0.1:<free port>; only bound (refusing) when !listening.
struct Loopback {
  UniqueFd fd;
  Endpoint endpoint;
};

Loopback Bind(bool listening) {
  Loopback s{UniqueFd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)), Endpoint{*IpAddress::Parse("127.0.0.1"), 0}};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s.fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(s.fd.get(), reinterpret_cast<sockaddr*>(&address), &length);
  s.endpoint.port = ntohs(address.sin_port);
  if (listening) listen(s.fd.get(), 4);
  return s;
}

TEST(UniqueFd, ClosesOnDestructionAndMove) {
  int raw = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  {
    UniqueFd a(raw);
    UniqueFd b = std::move(a);
    EXPECT_FALSE(a.valid());
    EXPECT_EQ(b.get(), raw);
  }
  EXPECT_EQ(fcntl(raw, F_GETFD), -1);
}

TEST(ConnectTcp, ConnectsAndExchangesBytes) {
  Loopback server = Bind(true);
  auto deadline = Clock::now() + milliseconds(1000);
  auto client = ConnectTcp(server.endpoint, deadline);
  ASSERT_TRUE(client.ok()) << client.error();
  UniqueFd peer(accept4(server.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(WriteAll(client->get(), "ping", deadline).ok());
  char buffer[8];
  ASSERT_EQ(read(peer.get(), buffer, sizeof(buffer)), 4);
  ASSERT_EQ(write(peer.get(), "pong", 4), 4);
  auto n = ReadSome(client->get(), buffer, sizeof(buffer), deadline);
  ASSERT_TRUE(n.ok()) << n.error();
  EXPECT_EQ(std::string(buffer, *n), "pong");
}

TEST(ConnectTcp, RefusedPortIsAnError) {
  Loopback closed = Bind(false);
  auto client = ConnectTcp(closed.endpoint, Clock::now() + milliseconds(1000));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error(), "connection refused");
}

TEST(ReadSome, SilentPeerTimesOutAtTheDeadline) {
  Loopback server = Bind(true);
  auto client = ConnectTcp(server.endpoint, Clock::now() + milliseconds(1000));
  ASSERT_TRUE(client.ok());
  const auto start = Clock::now();
  char buffer[8];
  auto n = ReadSome(client->get(), buffer, sizeof(buffer), start + milliseconds(200));
  const auto took = Clock::now() - start;
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error(), "timed out");
  EXPECT_GE(took, milliseconds(200));
  EXPECT_LT(took, milliseconds(400));
}

TEST(MillisUntil, RoundsUpAndNeverGoesNegative) {
  EXPECT_EQ(MillisUntil(Clock::now() - milliseconds(5)), 0);
  EXPECT_EQ(MillisUntil(Clock::now() + std::chrono::microseconds(1500)), 2);
}

}  // namespace
}  // namespace rsagent
