#include "pair/gtid_position.h"

#include <gtest/gtest.h>

namespace rsagent::pair {
namespace {

GtidPosition P(std::string_view text) {
  auto p = GtidPosition::Parse(text);
  EXPECT_TRUE(p.ok()) << text << ": " << (p.ok() ? "" : p.error());
  return p.ok() ? *p : GtidPosition();
}

TEST(GtidPosition, ParsesWhatTheServerPrints) {
  EXPECT_EQ(P("1-1-20,2-2-7").ToString(), "1-1-20,2-2-7");
  EXPECT_EQ(P(" 2-2-7,\n1-1-20 ").ToString(), "1-1-20,2-2-7");
  EXPECT_TRUE(P("").empty());
}

TEST(GtidPosition, RejectsMalformedEntriesByName) {
  for (const char* bad : {"1-1", "a-1-2", "1-1-2-3", "1-1-", ",", "1-1-2,1-2-3", "-1-1-2"}) {
    auto p = GtidPosition::Parse(bad);
    EXPECT_FALSE(p.ok()) << bad;
  }
  EXPECT_EQ(GtidPosition::Parse("1-1-x").error(),
            "\"1-1-x\" is not a GTID (domain-server-sequence)");
}

TEST(GtidPosition, ContainsPerDomain) {
  const GtidPosition mine = P("1-1-20,2-2-7");
  EXPECT_TRUE(mine.Contains(P("")));
  EXPECT_TRUE(mine.Contains(P("1-1-20")));
  EXPECT_TRUE(mine.Contains(P("1-1-3,2-2-7")));
  EXPECT_FALSE(mine.Contains(P("2-2-8")));
  EXPECT_FALSE(mine.Contains(P("3-3-1")));
  EXPECT_EQ(mine.DescribeMissing(P("1-1-20,2-2-9")), "domain 2: have 2-2-7, peer has 2-2-9");
  EXPECT_EQ(mine.DescribeMissing(P("3-3-1")), "domain 3: have nothing, peer has 3-3-1");
  EXPECT_EQ(mine.DescribeMissing(P("1-1-20")), "");
}

TEST(GtidPosition, SameSequenceFromAnotherServerIsDivergence) {
  EXPECT_FALSE(P("1-1-20").Contains(P("1-2-20")));
  EXPECT_TRUE(P("1-1-21").Contains(P("1-2-20")));
}

}  // namespace
}  // namespace rsagent::pair
