#include "health/cpu_pressure.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

TEST(ParseCpuPressureTest, ReadsSomeAvg10) {
  EXPECT_EQ(ParseCpuPressure("some avg10=12.34 avg60=1.00 avg300=0.10 total=987654\n"
                             "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"),
            12.34);
  EXPECT_EQ(ParseCpuPressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"), 0.0);
}

TEST(ParseCpuPressureTest, RejectsOtherText) {
  EXPECT_EQ(ParseCpuPressure(""), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("full avg10=1.00 avg60=0 avg300=0 total=0\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg60=1.00 total=0\nfull avg10=3.00\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=abc avg60=0\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=1.5x avg60=0\n"), std::nullopt);
  EXPECT_EQ(ParseCpuPressure("some avg10=101.00 avg60=0\n"), std::nullopt);
}

TEST(ReadCpuPressureTest, ReadsThisKernelsFileWhenItHasOne) {
  std::optional<double> value = ReadCpuPressure();
  if (!value) GTEST_SKIP() << "/proc/pressure/cpu is not readable here";
  EXPECT_GE(*value, 0.0);
  EXPECT_LE(*value, 100.0);
}

}  // namespace
}  // namespace rsagent::agent
