#include "health/cpu_pressure.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

TEST(ParseCpuPressureTest, ReadsSomeAvg10AndTotal) {
  auto p = ParseCpuPressure(
      "some avg10=12.34 avg60=1.00 avg300=0.10 total=987654\n"
      "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->avg10_percent, 12.34);
  EXPECT_EQ(p->total_us, 987654u);
  p = ParseCpuPressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->avg10_percent, 0.0);
  EXPECT_EQ(p->total_us, 0u);
  // Without a trailing newline (a short read of the first line).
  p = ParseCpuPressure("some avg10=1.50 avg60=0 avg300=0 total=18446744073709551615");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->total_us, 18446744073709551615u);
}

TEST(ParseCpuPressureTest, RejectsOtherText) {
  EXPECT_EQ(ParseCpuPressure(""), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("garbage\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("full avg10=1.00 avg60=0 avg300=0 total=0\n"), std::nullopt);
  // Each field must be on the "some" line.
  EXPECT_EQ(ParseCpuPressure("some avg60=1.00 total=0\nfull avg10=3.00\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=1.00 avg60=0\nfull total=3\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=abc avg60=0 total=0\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=1.5x avg60=0 total=0\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=101.00 avg60=0 total=0\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=nan avg60=0 total=0\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=1.00 total=12x\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=1.00 total=-5\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some xavg10=1.00 total=5\n"), std::nullopt);
}

TEST(ReadCpuPressureTest, AMissingFileIsNoValue) {
  EXPECT_EQ(ReadCpuPressure("/nonexistent/pressure/cpu"), std::nullopt);
}

TEST(ReadCpuPressureTest, ReadsThisKernelsFileWhenItHasOne) {
  std::optional<CpuPressure> value = ReadCpuPressure();
  if (!value) GTEST_SKIP() << "/proc/pressure/cpu is not readable here";
  EXPECT_GE(value->avg10_percent, 0.0);
  EXPECT_LE(value->avg10_percent, 100.0);
}

}  // namespace
}  // namespace rsagent::agent
