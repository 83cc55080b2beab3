#include "pair/client_drain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "common/clock.h"

namespace rsagent::pair {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

netsetup::TcpSocket Client(uint64_t cookie, uint16_t port, milliseconds idle = milliseconds(5)) {
  netsetup::TcpSocket s;
  s.state = netsetup::TcpState::kEstablished;
  s.local = *Endpoint::Parse("192.168.1.101:3306");
  s.peer = *Endpoint::Parse("192.168.1.50:" + std::to_string(port));
  s.cookie = cookie;
  s.has_info = true;
  s.idle = idle;
  return s;
}

// A scripted sock_diag and a clock that moves only when the wait sleeps.
struct Script {
  Clock::time_point t0 = Clock::time_point() + std::chrono::hours(1);
  Clock::time_point now = t0;
  // What each list() returns, in turn; the last entry repeats.
  std::deque<Result<std::vector<netsetup::TcpSocket>>> answers;
  int lists = 0;

  ClientDrainWait Wait() {
    return {.list =
                [this] {
                  ++lists;
                  auto answer = answers.front();
                  if (answers.size() > 1) answers.pop_front();
                  return answer;
                },
            .now = [this] { return now; },
            .sleep = [this](milliseconds d) { now += d; },
            .poll = milliseconds(20)};
  }
  milliseconds Elapsed() const { return std::chrono::duration_cast<milliseconds>(now - t0); }
  ClientDrain Run(milliseconds quiet, milliseconds timeout) {
    return WaitForClientsGone(Wait(), *Endpoint::Parse("192.168.1.101:3306"), quiet, t0 + timeout);
  }
};

using Sockets = std::vector<netsetup::TcpSocket>;

TEST(ClientDrain, NoClientsWaitsTheQuietWindowFromTheStart) {
  Script script;
  script.answers = {Sockets{}};
  ClientDrain drain = script.Run(milliseconds(1000), milliseconds(15000));
  EXPECT_TRUE(drain.drained) << drain.detail;
  EXPECT_EQ(script.Elapsed(),
            milliseconds(1000));  // the directors' time, even when idle
  EXPECT_EQ(drain.detail, "no client connection to 192.168.1.101:3306 for 1000 ms");
}

TEST(ClientDrain, WaitsUntilTheLastConnectionEndedAQuietWindowAgo) {
  Script script;
  // Two writes in flight for 5 polls (100 ms), one for 40 polls more.
  for (int i = 0; i < 5; ++i) script.answers.push_back(Sockets{Client(1, 41000), Client(2, 41001)});
  for (int i = 0; i < 40; ++i) script.answers.push_back(Sockets{Client(2, 41001)});
  script.answers.push_back(Sockets{});
  ClientDrain drain = script.Run(milliseconds(500), milliseconds(15000));
  EXPECT_TRUE(drain.drained) << drain.detail;
  // Last seen at 44 x 20 ms, then 500 ms quiet.
  EXPECT_EQ(script.Elapsed(), milliseconds(880 + 500));
  EXPECT_THAT(drain.detail,
              HasSubstr("for 500 ms (2 seen since the drain began, the last 880 ms in)"));
}

TEST(ClientDrain, NewConnectionsUntilTheDeadlineMeanADirectorStillRoutesHere) {
  Script script;
  // Every poll a new short connection: a director still sends clients here.
  Script* s = &script;
  ClientDrainWait wait = script.Wait();
  uint64_t cookie = 0;
  wait.list = [s, &cookie]() -> Result<Sockets> {
    ++s->lists;
    ++cookie;
    return Sockets{Client(cookie, static_cast<uint16_t>(40000 + cookie))};
  };
  ClientDrain drain = WaitForClientsGone(wait, *Endpoint::Parse("192.168.1.101:3306"),
                                         milliseconds(500), script.t0 + milliseconds(3000));
  EXPECT_FALSE(drain.drained);
  EXPECT_EQ(script.Elapsed(), milliseconds(3000));
  EXPECT_THAT(drain.detail, HasSubstr("1 client connection to 192.168.1.101:3306 still open after "
                                      "3000 ms: 192.168.1.50:40151 ESTABLISHED idle 5 ms"));
  EXPECT_THAT(drain.detail, HasSubstr("new ones still arrive (the last 0 ms ago): a director still "
                                      "sends clients here"));
}

TEST(ClientDrain, PooledConnectionsThatStayOpenAreNamed) {
  Script script;
  Sockets pool;
  for (uint16_t i = 0; i < 5; ++i) pool.push_back(Client(10 + i, 42000 + i, milliseconds(60000)));
  script.answers = {pool};
  ClientDrain drain = script.Run(milliseconds(1000), milliseconds(5000));
  EXPECT_FALSE(drain.drained);
  EXPECT_THAT(drain.detail,
              HasSubstr("5 client connections to 192.168.1.101:3306 still open after 5000 "
                        "ms: "
                        "192.168.1.50:42000 ESTABLISHED idle 60000 ms, 192.168.1.50:42001 "
                        "ESTABLISHED idle 60000 ms, 192.168.1.50:42002 ESTABLISHED idle "
                        "60000 ms "
                        "and 2 more"));
  EXPECT_THAT(drain.detail, HasSubstr("pooled connections keep going to this server"));
}

// The lab's phantom: IPVS dropped the flow, the server retransmits to a
// client whose packets never arrive again.
netsetup::TcpSocket Unanswered(uint64_t cookie, uint16_t port, milliseconds unheard) {
  netsetup::TcpSocket s = Client(cookie, port, milliseconds(2000));
  s.retransmits = 6;
  s.unheard = unheard;
  return s;
}

TEST(ClientDrain, AClientThatStoppedAnsweringRetransmissionsDoesNotHoldTheDrain) {
  Script script;
  script.answers = {Sockets{Unanswered(1, 50326, milliseconds(26000))}};
  ClientDrain drain = script.Run(milliseconds(2000), milliseconds(30000));
  EXPECT_TRUE(drain.drained) << drain.detail;
  EXPECT_EQ(script.Elapsed(), milliseconds(2000));
  EXPECT_THAT(drain.detail,
              HasSubstr("ignored a connection whose client stopped answering: 192.168.1.50:50326 "
                        "ESTABLISHED idle 2000 ms, 6 retransmission timeouts, nothing from it "
                        "for 26000 ms"));
}

TEST(ClientDrain, ARetransmittingConnectionWhoseClientWasJustHeardStillCounts) {
  Script script;
  script.answers = {Sockets{Unanswered(1, 50326, milliseconds(300))}};
  ClientDrain drain = script.Run(milliseconds(2000), milliseconds(5000));
  EXPECT_FALSE(drain.drained);
  EXPECT_THAT(drain.detail, HasSubstr("1 client connection to 192.168.1.101:3306 still open"));
}

TEST(ClientDrain, AnIdlePooledConnectionIsNotUnreachable) {
  Script script;
  netsetup::TcpSocket pooled = Client(1, 42000, milliseconds(60000));
  pooled.unheard = milliseconds(60000);  // silent, but nothing waits for its ACK
  script.answers = {Sockets{pooled}};
  EXPECT_FALSE(script.Run(milliseconds(1000), milliseconds(5000)).drained);
}

TEST(ClientDrain, ConnectionsEndingTooLateForTheQuietWindow) {
  Script script;
  for (int i = 0; i < 140; ++i) script.answers.push_back(Sockets{Client(1 + i / 10, 41000)});
  script.answers.push_back(Sockets{});
  ClientDrain drain = script.Run(milliseconds(1000), milliseconds(3000));
  EXPECT_FALSE(drain.drained);
  EXPECT_THAT(drain.detail, HasSubstr("client connections to 192.168.1.101:3306 kept coming "
                                      "until 220 ms ago"));
}

TEST(ClientDrain, AListingErrorStopsTheWait) {
  Script script;
  script.answers = {Sockets{Client(1, 41000)}, Error{"sock_diag: recv: timed out"}};
  ClientDrain drain = script.Run(milliseconds(1000), milliseconds(15000));
  EXPECT_FALSE(drain.drained);
  EXPECT_EQ(drain.detail,
            "cannot list the client connections to "
            "192.168.1.101:3306: sock_diag: recv: timed out");
  EXPECT_EQ(script.lists, 2);
}

TEST(ClientDrain, ListsTheVipPortConnectionsOfThisNamespace) {
  // Nothing listens on this port of 127.0.0.1 in the test: an empty list, not
  // an error.
  auto open = ListClientConnections(*Endpoint::Parse("127.0.0.1:9"));
  ASSERT_TRUE(open.ok()) << open.error();
  EXPECT_TRUE(open->empty());
}

}  // namespace
}  // namespace rsagent::pair
