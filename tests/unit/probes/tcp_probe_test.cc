#include "probes/tcp_probe.h"

#include <gtest/gtest.h>

#include "tests/unit/probes/loopback.h"

namespace rsagent::probes {
namespace {

using testing::Listening;
using testing::Refusing;
using std::chrono::milliseconds;

TEST(TcpProbe, PassesWhenEveryTargetConnects) {
  auto a = Listening();
  auto b = Listening();
  auto c = Listening();
  TcpProbe probe({a.endpoint(), b.endpoint(), c.endpoint()});
  ProbeResult result = probe.Attempt(Clock::now() + milliseconds(1000));
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
  EXPECT_EQ(result.outcome.reason, "3 ports open");
  EXPECT_GT(result.latency.count(), 0);
  EXPECT_LT(result.latency, milliseconds(1000));
}

TEST(TcpProbe, NamesTheFirstRefusedTarget) {
  auto up = Listening();
  auto down = Refusing();
  auto also_down = Refusing();
  TcpProbe probe({up.endpoint(), down.endpoint(), also_down.endpoint()});
  ProbeResult result = probe.Attempt(Clock::now() + milliseconds(1000));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "127.0.0.1:" + std::to_string(down.port) + ": connection refused");
}

// Targets whose handshake can never finish: a listener with backlog 0 whose
// queue we fill and never accept from. The kernel then drops further SYNs,
// so the connect stays pending; without a safe remote address to blackhole,
// this is the loopback way to exercise the timeout path.
TEST(TcpProbe, TimesOutOnAFullBacklogAndRunsConnectsConcurrently) {
  auto full = testing::BindLoopback(0);
  std::vector<UniqueFd> fillers;
  for (int i = 0; i < 4; ++i) {
    auto fd = StartConnect(full.endpoint());
    ASSERT_TRUE(fd.ok());
    fillers.push_back(std::move(fd).value());
  }
  auto up = Listening();
  // Three stuck targets: sequential connects would take three timeouts.
  TcpProbe probe({up.endpoint(), full.endpoint(), full.endpoint(), full.endpoint()});
  const auto timeout = milliseconds(300);
  const auto start = Clock::now();
  ProbeResult result = probe.Attempt(start + timeout);
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  std::printf("tcp probe against 3 stuck targets: returned after %lldms, timeout %lldms\n",
              static_cast<long long>(took.count()), static_cast<long long>(timeout.count()));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "127.0.0.1:" + std::to_string(full.port) + ": timed out after 300ms");
  EXPECT_GE(took, timeout);
  EXPECT_LT(took, timeout + milliseconds(200));
}

}  // namespace
}  // namespace rsagent::probes
