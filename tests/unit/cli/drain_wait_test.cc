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

// What a client that vanished leaves: the server retransmits to it and has
// heard nothing, not even an ACK, for `unheard`.
TcpSocket Silent(uint64_t cookie, const char* peer, milliseconds unheard) {
  TcpSocket s = Conn(cookie, peer);
  s.retransmits = 5;
  s.unheard = unheard;
  return s;
}

struct WaitRun {
  int exit_code = -1;
  std::string out;
  size_t queries = 0;
};

// WaitForDrain on web against a lister answering `script` round by round
// (the last round repeats).
WaitRun WaitOn(const std::vector<std::vector<TcpSocket>>& script, milliseconds timeout) {
  WaitRun run;
  auto lister = [&](const TcpSocketFilter&) -> Result<std::vector<TcpSocket>> {
    return script[std::min(run.queries++, script.size() - 1)];
  };
  std::ostringstream out, err;
  run.exit_code =
      WaitForDrain({kWeb}, {.timeout = timeout, .poll = milliseconds(1)}, lister, out, err);
  run.out = out.str();
  EXPECT_EQ(err.str(), "");
  return run;
}

TEST(WaitForDrainTest, AClientThatStoppedAnsweringDoesNotHoldTheWait) {
  const WaitRun run =
      WaitOn({{Silent(1, "10.0.0.1:5000", milliseconds(12300)), Conn(2, "10.0.0.2:5001")},
              {Silent(1, "10.0.0.1:5000", milliseconds(12400)), Conn(2, "10.0.0.2:5001")},
              {Silent(1, "10.0.0.1:5000", milliseconds(12500))}},
             milliseconds(5000));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.queries, 3u);
  const std::string named =
      "web: not waiting for 10.0.0.1:5000 (ESTABLISHED): the client stopped answering (5 "
      "retransmission timeouts, nothing from it for 12.3s)";
  EXPECT_NE(run.out.find(named), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find(named), run.out.rfind(named)) << "named once\n" << run.out;
  EXPECT_NE(run.out.find("web: 1 connection on 192.168.1.100:80"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("drained: no connection left after"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("but 1 whose client stopped answering"), std::string::npos) << run.out;
}

TEST(WaitForDrainTest, AClientThatLeftItsWindowClosedDoesNotHoldTheWait) {
  // It stopped reading and then vanished: the server's probes of its closed
  // window go unanswered.
  TcpSocket gone = Conn(1, "10.0.0.1:5000");
  gone.probes = 4;
  gone.unheard = milliseconds(9000);
  const WaitRun run = WaitOn({{gone}}, milliseconds(5000));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("stopped answering (4 window/keepalive probes, nothing from it for 9.0s)"),
            std::string::npos)
      << run.out;
}

TEST(WaitForDrainTest, ASlowOrIdleClientStillHoldsTheWait) {
  // Retransmitting but heard from recently (a lossy path), silent but with
  // nothing to acknowledge (an idle keep-alive), no tcp_info, and a slow
  // reader acknowledging the probes of its closed window: all may still write.
  TcpSocket lossy = Silent(1, "10.0.0.1:5000", milliseconds(4000));
  TcpSocket idle = Conn(2, "10.0.0.2:5001");
  idle.unheard = milliseconds(60000);
  TcpSocket no_info = Silent(3, "10.0.0.3:5002", milliseconds(60000));
  no_info.has_info = false;
  TcpSocket slow_reader = Conn(4, "10.0.0.4:5003");
  slow_reader.probes = 1;
  slow_reader.unheard = milliseconds(200);
  const WaitRun run = WaitOn({{lossy, idle, no_info, slow_reader}}, milliseconds(30));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out.find("not waiting for"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("4 connections still open"), std::string::npos) << run.out;
}

TEST(WaitForDrainTest, AClientThatAnswersAgainHoldsTheWaitAgain) {
  TcpSocket back = Conn(1, "10.0.0.1:5000");  // its ACK arrived: retransmits reset
  const WaitRun run =
      WaitOn({{Silent(1, "10.0.0.1:5000", milliseconds(6000)), Conn(2, "10.0.0.2:5001")}, {back}},
             milliseconds(30));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("web: not waiting for 10.0.0.1:5000"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 connection still open"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("10.0.0.1:5000", run.out.find("still open")), std::string::npos)
      << run.out;
}

}  // namespace
}  // namespace rsagent::agent
