#include "netsetup/sock_diag.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/socket.h"

// Real sockets on loopback in the test's own namespace: sock_diag needs no
// privileges to list them.
namespace rsagent::netsetup {
namespace {

using std::chrono::milliseconds;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// A listener on an ephemeral port of `address` (AF_INET or dual-stack
// AF_INET6).
UniqueFd Listen(int family, const char* address, uint16_t* port) {
  UniqueFd fd(socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_TRUE(fd.valid());
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET) {
    auto& a = reinterpret_cast<sockaddr_in&>(ss);
    a.sin_family = AF_INET;
    inet_pton(AF_INET, address, &a.sin_addr);
    len = sizeof a;
  } else {
    int off = 0;
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    auto& a = reinterpret_cast<sockaddr_in6&>(ss);
    a.sin6_family = AF_INET6;
    inet_pton(AF_INET6, address, &a.sin6_addr);
    len = sizeof a;
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 || listen(fd.get(), 16) != 0) {
    return UniqueFd();
  }
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len);
  *port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in&>(ss).sin_port
                                  : reinterpret_cast<sockaddr_in6&>(ss).sin6_port);
  return fd;
}

UniqueFd Connect(const char* address, uint16_t port) {
  auto fd = ConnectTcp({Ip(address), port}, Clock::now() + std::chrono::seconds(2));
  EXPECT_TRUE(fd.ok()) << fd.error();
  return fd.ok() ? std::move(fd.value()) : UniqueFd();
}

UniqueFd Accept(int listener) {
  return UniqueFd(accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
}

std::vector<TcpSocket> List(const TcpSocketFilter& filter) {
  auto sockets = ListTcpSockets(filter, milliseconds(2000));
  EXPECT_TRUE(sockets.ok()) << sockets.error();
  return sockets.ok() ? sockets.value() : std::vector<TcpSocket>{};
}

TEST(SockDiagTest, ListsTheServerSideOfEstablishedConnectionsOnALocalAddressAndPort) {
  uint16_t port = 0;
  UniqueFd listener = Listen(AF_INET, "127.0.0.1", &port);
  ASSERT_TRUE(listener.valid());
  std::vector<UniqueFd> clients, servers;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(Connect("127.0.0.1", port));
    servers.push_back(Accept(listener.get()));
  }

  TcpSocketFilter filter{Bit(TcpState::kEstablished), Ip("127.0.0.1"), port};
  std::vector<TcpSocket> found = List(filter);
  ASSERT_EQ(found.size(), 3u);  // not the clients: their local port is another
  for (const TcpSocket& s : found) {
    EXPECT_EQ(s.state, TcpState::kEstablished);
    EXPECT_EQ(s.local, (Endpoint{Ip("127.0.0.1"), port}));
    EXPECT_EQ(s.peer.address, Ip("127.0.0.1"));
    EXPECT_NE(s.peer.port, port);
    EXPECT_NE(s.cookie, 0u);
    EXPECT_NE(s.inode, 0u);
    EXPECT_TRUE(s.has_info);
  }

  // Another local address on the same port matches nothing.
  filter.local_address = Ip("127.0.0.2");
  EXPECT_TRUE(List(filter).empty());
}

TEST(SockDiagTest, ReportsBytesReceivedAndAcked) {
  uint16_t port = 0;
  UniqueFd listener = Listen(AF_INET, "127.0.0.1", &port);
  ASSERT_TRUE(listener.valid());
  UniqueFd client = Connect("127.0.0.1", port);
  UniqueFd server = Accept(listener.get());
  const std::string request(1000, 'x');
  ASSERT_TRUE(WriteAll(client.get(), request, Clock::now() + std::chrono::seconds(2)).ok());
  char buf[2000];
  size_t got = 0;
  while (got < request.size()) {
    auto n = ReadSome(server.get(), buf, sizeof buf, Clock::now() + std::chrono::seconds(2));
    ASSERT_TRUE(n.ok() && *n > 0);
    got += *n;
  }
  ASSERT_EQ(write(server.get(), "hello", 5), 5);
  ASSERT_TRUE(ReadSome(client.get(), buf, sizeof buf, Clock::now() + std::chrono::seconds(2)).ok());

  std::vector<TcpSocket> found = List({Bit(TcpState::kEstablished), Ip("127.0.0.1"), port});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].bytes_received, 1000u);
  EXPECT_EQ(found[0].bytes_acked, 5u);
  EXPECT_EQ(found[0].retransmits, 0u);  // the client acknowledged everything
  EXPECT_LT(found[0].unheard, milliseconds(2000));
}

TEST(SockDiagTest, StatesAreFilteredByTheKernel) {
  uint16_t port = 0;
  UniqueFd listener = Listen(AF_INET, "127.0.0.1", &port);
  ASSERT_TRUE(listener.valid());
  UniqueFd open_client = Connect("127.0.0.1", port);
  UniqueFd open_server = Accept(listener.get());
  UniqueFd closing_client = Connect("127.0.0.1", port);
  UniqueFd closing_server = Accept(listener.get());
  closing_client.Reset();  // the server side goes CLOSE-WAIT until it closes
  usleep(50 * 1000);

  const Endpoint local{Ip("127.0.0.1"), port};
  auto states = [&](TcpStateMask mask) {
    std::vector<std::string> names;
    for (const TcpSocket& s : List({mask, local.address, port})) {
      names.push_back(TcpStateName(s.state));
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  EXPECT_EQ(states(Bit(TcpState::kEstablished)), std::vector<std::string>{"ESTABLISHED"});
  EXPECT_EQ(states(Bit(TcpState::kCloseWait)), std::vector<std::string>{"CLOSE-WAIT"});
  EXPECT_EQ(states(kServedStates), (std::vector<std::string>{"CLOSE-WAIT", "ESTABLISHED"}));
  std::vector<TcpSocket> listening = List({Bit(TcpState::kListen), local.address, port});
  ASSERT_EQ(listening.size(), 1u);
  EXPECT_EQ(listening[0].local, local);

  closing_server.Reset();
  EXPECT_EQ(states(kServedStates), std::vector<std::string>{"ESTABLISHED"});
}

TEST(SockDiagTest, ADualStackListenersConnectionsMatchTheirIpv4Address) {
  uint16_t port = 0;
  UniqueFd listener = Listen(AF_INET6, "::", &port);
  if (!listener.valid()) GTEST_SKIP() << "no IPv6 in this namespace";
  UniqueFd client = Connect("127.0.0.1", port);
  UniqueFd server = Accept(listener.get());

  std::vector<TcpSocket> found = List({Bit(TcpState::kEstablished), Ip("127.0.0.1"), port});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].local, (Endpoint{Ip("127.0.0.1"), port}));  // not ::ffff:127.0.0.1
  EXPECT_TRUE(List({Bit(TcpState::kEstablished), Ip("127.0.0.2"), port}).empty());
}

TEST(SockDiagTest, AnyAddressListsBothFamilies) {
  uint16_t port4 = 0, port6 = 0;
  UniqueFd l4 = Listen(AF_INET, "127.0.0.1", &port4);
  UniqueFd l6 = Listen(AF_INET6, "::1", &port6);
  if (!l6.valid()) GTEST_SKIP() << "no IPv6 in this namespace";
  UniqueFd c6 = Connect("::1", port6);
  UniqueFd s6 = Accept(l6.get());
  std::vector<TcpSocket> found = List({Bit(TcpState::kEstablished), std::nullopt, port6});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].local, (Endpoint{Ip("::1"), port6}));
  EXPECT_EQ(List({Bit(TcpState::kListen), Ip("::1"), port6}).size(), 1u);
}

TEST(SockDiagTest, APeerStoppedAnsweringOnlyWhileRetransmittingUnheard) {
  TcpSocket s;
  s.has_info = true;
  s.retransmits = 3;
  s.unheard = milliseconds(5000);
  EXPECT_TRUE(PeerStoppedAnswering(s, milliseconds(5000)));
  EXPECT_FALSE(PeerStoppedAnswering(s, milliseconds(5001))) << "heard from too recently";
  s.retransmits = 0;  // an idle connection: nothing waits for the peer's ACK
  EXPECT_FALSE(PeerStoppedAnswering(s, milliseconds(1000)));
  s.probes = 2;  // probes of a closed window or keepalives, unanswered
  EXPECT_TRUE(PeerStoppedAnswering(s, milliseconds(1000)));
  EXPECT_EQ(Unanswered(s), "2 window/keepalive probes");
  s.retransmits = 1;
  EXPECT_EQ(Unanswered(s), "1 retransmission timeout and 2 window/keepalive probes");
  s.has_info = false;  // no tcp_info: nothing known, so it counts
  EXPECT_FALSE(PeerStoppedAnswering(s, milliseconds(1000)));
}

}  // namespace
}  // namespace rsagent::netsetup
