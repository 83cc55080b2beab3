#include "health/cpu_starvation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/clock.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

class CpuStarvationTest : public ::testing::Test {
 protected:
  CpuStarvationTest() {
    char tmpl[] = "/tmp/cpu_starvation_test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ + "/cpu";
  }
  ~CpuStarvationTest() override { std::filesystem::remove_all(dir_); }
  void Write(uint64_t some_total_us) {
    std::ofstream(path_) << "some avg10=1.00 avg60=1.00 avg300=1.00 total=" << some_total_us
                         << "\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=7\n";
  }

  std::string dir_, path_;
  Clock::time_point t0_ = Clock::now();
};

TEST_F(CpuStarvationTest, ShareOfTheAttemptWithATaskWaiting) {
  CpuStarvation pressure(path_);
  Write(1'000'000);
  pressure.Sample(t0_);
  Write(1'000'000 + 400'000);  // 400 ms stalled in the 500 ms that follow
  const auto share = pressure.StarvedShare(t0_, t0_ + milliseconds(500));
  ASSERT_TRUE(share);
  EXPECT_NEAR(*share, 0.8, 1e-9);
}

TEST_F(CpuStarvationTest, SamplesAreRateLimitedAndTheOneBeforeTheStartIsUsed) {
  CpuStarvation pressure(path_);
  Write(0);
  pressure.Sample(t0_);
  Write(50'000);
  pressure.Sample(t0_ + milliseconds(50));  // too soon: not read
  Write(100'000);
  pressure.Sample(t0_ + milliseconds(200));
  Write(100'000);  // no stall from 200 ms on
  const auto share = pressure.StarvedShare(t0_ + milliseconds(300), t0_ + milliseconds(700));
  ASSERT_TRUE(share);
  EXPECT_NEAR(*share, 0.0, 1e-9) << "measured from the 200 ms sample";
}

TEST_F(CpuStarvationTest, NoVerdictWithoutPsiOrWithoutASampleBeforeTheStart) {
  CpuStarvation missing(dir_ + "/no-such-file");
  missing.Sample(t0_);
  EXPECT_FALSE(missing.StarvedShare(t0_, t0_ + milliseconds(500)));

  std::ofstream(path_) << "garbage\n";
  CpuStarvation garbled(path_);
  garbled.Sample(t0_);
  EXPECT_FALSE(garbled.StarvedShare(t0_, t0_ + milliseconds(500)));

  CpuStarvation late(path_);
  Write(0);
  late.Sample(t0_ + milliseconds(100));
  EXPECT_FALSE(late.StarvedShare(t0_, t0_ + milliseconds(500))) << "no sample at the start";
}

TEST(NoteStarvationTest, FailedVerdictsSayTheHostWasStarved) {
  probes::ProbeResult result{.outcome = {false, "not answering: timed out"}};
  result.roles["writer"] = {false, "not answering"};
  result.roles["reader"] = {true, "replicating"};
  NoteStarvation(0.874, &result);
  EXPECT_EQ(result.outcome.reason,
            "not answering: timed out; host CPU starved during the attempt (tasks waited for "
            "a CPU 87% of the time, /proc/pressure/cpu)");
  EXPECT_NE(result.roles["writer"].reason.find("host CPU starved"), std::string::npos);
  EXPECT_EQ(result.roles["reader"].reason, "replicating");
  EXPECT_EQ(result.details["cpu_starved"], "87%");
}

}  // namespace
}  // namespace rsagent::agent
