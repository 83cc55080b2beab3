#include "cli/drain_wait.h"

#include <gtest/gtest.h>

#include <sstream>

namespace rsagent::agent {
namespace {

using netsetup::TcpSocket;
using netsetup::TcpSocketFilter;
using std::chrono::milliseconds;

TcpSocket Conn(uint64_t cookie, const char* peer) {
  TcpSocket s;
  s.state = netsetup::TcpState::kEstablished;
  s.cookie = cookie;
  s.local = *Endpoint::Parse("192.168.1.100:80");
  s.peer = *Endpoint::Parse(peer);
  s.has_info = true;
  s.bytes_received = 300;
  s.bytes_acked = 30 * 1024 * 1024;
  s.idle = milliseconds(1500);
  return s;
}

const DrainTarget kWeb{.service = "web", .vip = *IpAddress::Parse("192.168.1.100"), .port = 80};

TEST(WaitForDrainTest, ReturnsZeroOnceTheLastConnectionHasGone) {
  std::vector<std::vector<TcpSocket>> script = {
      {Conn(1, "10.0.0.1:5000"), Conn(2, "10.0.0.2:5001")}, {Conn(2, "10.0.0.2:5001")}, {}};
  size_t call = 0;
  TcpSocketFilter seen;
  auto lister = [&](const TcpSocketFilter& f) -> Result<std::vector<TcpSocket>> {
    seen = f;
    return script[std::min(call++, script.size() - 1)];
  };
  std::ostringstream out, err;
  EXPECT_EQ(WaitForDrain({kWeb}, {.timeout = milliseconds(5000), .poll = milliseconds(1)}, lister,
                         out, err),
            0);
  EXPECT_EQ(call, 3u);
  EXPECT_EQ(seen.local_address, kWeb.vip);
  EXPECT_EQ(seen.local_port, 80);
  EXPECT_EQ(seen.states, netsetup::kServedStates);
  EXPECT_NE(out.str().find("web: 2 connections on 192.168.1.100:80"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("web: 1 connection on"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("drained: no connection left"), std::string::npos) << out.str();
  EXPECT_EQ(err.str(), "");
}

TEST(WaitForDrainTest, TimeoutListsWhatIsStillConnected) {
  auto lister = [&](const TcpSocketFilter&) -> Result<std::vector<TcpSocket>> {
    return std::vector<TcpSocket>{Conn(7, "10.0.0.9:40000")};
  };
  std::ostringstream out, err;
  EXPECT_EQ(WaitForDrain({kWeb}, {.timeout = milliseconds(30), .poll = milliseconds(5)}, lister,
                         out, err),
            1);
  const std::string text = out.str();
  EXPECT_NE(text.find("timed out after 30ms: 1 connection still open"), std::string::npos) << text;
  EXPECT_NE(text.find("10.0.0.9:40000"), std::string::npos) << text;
  EXPECT_NE(text.find("ESTABLISHED"), std::string::npos) << text;
  EXPECT_NE(text.find(">="), std::string::npos) << "open since the start: a lower bound\n" << text;
  EXPECT_NE(text.find("300 B"), std::string::npos) << text;
  EXPECT_NE(text.find("30 MiB"), std::string::npos) << text;
  EXPECT_NE(text.find("1.5s"), std::string::npos) << text;
}

TEST(WaitForDrainTest, AQueryFailureIsAnErrorNotADrain) {
  auto lister = [&](const TcpSocketFilter&) -> Result<std::vector<TcpSocket>> {
    return Error{"sock_diag: socket: permission denied"};
  };
  std::ostringstream out, err;
  EXPECT_EQ(WaitForDrain({kWeb}, {}, lister, out, err), 1);
  EXPECT_NE(err.str().find("web: sock_diag: socket: permission denied"), std::string::npos);
}

TEST(WaitForDrainTest, EveryTargetMustBeEmpty) {
  const DrainTarget db{.service = "db", .port = 3306};
  int calls = 0;
  auto lister = [&](const TcpSocketFilter& f) -> Result<std::vector<TcpSocket>> {
    ++calls;
    if (f.local_port == 3306 && calls < 6) return std::vector<TcpSocket>{Conn(1, "10.0.0.1:1")};
    return std::vector<TcpSocket>{};
  };
  std::ostringstream out, err;
  EXPECT_EQ(WaitForDrain({kWeb, db}, {.timeout = milliseconds(5000), .poll = milliseconds(1)},
                         lister, out, err),
            0);
  EXPECT_GE(calls, 6);
  EXPECT_NE(out.str().find("db: 1 connection on *:3306"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace rsagent::agent
