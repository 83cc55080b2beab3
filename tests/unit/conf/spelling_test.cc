#include "conf/spelling.h"

#include <gtest/gtest.h>

namespace rsagent::conf {
namespace {

const std::vector<std::string> kKeys = {"type", "interval", "timeout", "rise", "fall", "port"};

TEST(ClosestSpelling, FindsTypos) {
  EXPECT_EQ(ClosestSpelling("rsie", kKeys), "rise");           // transposition
  EXPECT_EQ(ClosestSpelling("intervall", kKeys), "interval");  // extra letter
  EXPECT_EQ(ClosestSpelling("timout", kKeys), "timeout");      // missing letter
  EXPECT_EQ(ClosestSpelling("prot", kKeys), "port");
}

TEST(ClosestSpelling, IgnoresUnrelatedWords) {
  EXPECT_EQ(ClosestSpelling("colour", kKeys), "");
  EXPECT_EQ(ClosestSpelling("x", kKeys), "");  // too short to guess from
  EXPECT_EQ(ClosestSpelling("", kKeys), "");
  EXPECT_EQ(ClosestSpelling("rise", {}), "");
}

TEST(ClosestSpelling, PrefersTheNearestCandidate) {
  EXPECT_EQ(ClosestSpelling("fal", kKeys), "fall");
  EXPECT_EQ(ClosestSpelling("tyep", {"tap", "type"}), "type");
}

}  // namespace
}  // namespace rsagent::conf
