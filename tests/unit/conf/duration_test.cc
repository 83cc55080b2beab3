#include "conf/duration.h"

#include <gtest/gtest.h>

namespace rsagent::conf {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, AcceptsEachUnit) {
  EXPECT_EQ(*ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("2s"), milliseconds(2000));
  EXPECT_EQ(*ParseDuration("1m"), milliseconds(60'000));
  EXPECT_EQ(*ParseDuration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(*ParseDuration("0s"), milliseconds(0));
}

TEST(ParseDuration, AcceptsExactFractions) {
  EXPECT_EQ(*ParseDuration("1.5s"), milliseconds(1500));
  EXPECT_EQ(*ParseDuration("0.1s"), milliseconds(100));
  EXPECT_EQ(*ParseDuration("0.25m"), milliseconds(15'000));
  EXPECT_EQ(*ParseDuration("1.0ms"), milliseconds(1));
}

TEST(ParseDuration, RejectsMissingUnit) {
  auto d = ParseDuration("500");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("missing unit"), std::string::npos) << d.error();
}

TEST(ParseDuration, RejectsNegative) {
  auto d = ParseDuration("-1s");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("negative"), std::string::npos) << d.error();
}

TEST(ParseDuration, RejectsGarbage) {
  for (const char* text : {"", "s", "ms", "1.s", ".5s", "1 s", " 1s", "1e3ms", "1s2", "1d", "+1s",
                           "1.2.3s", "abc", "1S", "0x10s"}) {
    EXPECT_FALSE(ParseDuration(text).ok()) << '"' << text << '"';
  }
}

TEST(ParseDuration, RejectsSubMillisecond) {
  auto d = ParseDuration("1.5ms");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("finer than a millisecond"), std::string::npos) << d.error();
  EXPECT_FALSE(ParseDuration("0.0001s").ok());
  EXPECT_FALSE(ParseDuration("1.00000001h").ok());
}

TEST(ParseDuration, RejectsOverflow) {
  EXPECT_FALSE(ParseDuration("99999999999999999999ms").ok());  // beyond int64
  EXPECT_FALSE(ParseDuration("9223372036854775807s").ok());    // int64 ms * 1000
  EXPECT_FALSE(ParseDuration("2562047788015.5h").ok());        // fits only without fraction
  EXPECT_EQ(*ParseDuration("9223372036854775807ms"), milliseconds(9223372036854775807LL));
}

TEST(FormatDuration, PicksTheLargestExactUnit) {
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(milliseconds(2000)), "2s");
  EXPECT_EQ(FormatDuration(milliseconds(90'000)), "90s");
  EXPECT_EQ(FormatDuration(milliseconds(120'000)), "2m");
  EXPECT_EQ(FormatDuration(milliseconds(7'200'000)), "2h");
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  for (int64_t ms : {1, 10, 999, 1000, 1001, 59'999, 60'000, 3'600'000, 3'600'001}) {
    EXPECT_EQ(*ParseDuration(FormatDuration(milliseconds(ms))), milliseconds(ms)) << ms;
  }
}

}  // namespace
}  // namespace rsagent::conf
