#include "common/json_dump.h"

#include <gtest/gtest.h>

namespace rsagent {
namespace {

TEST(JsonDump, InvalidUtf8IsReplacedInsteadOfThrowing) {
  // The reproduction of issue 12: 200 bytes of "x" + "ü"... cut inside a "ü".
  std::string cut = "x";
  while (cut.size() < 200) cut += "ü";
  cut.resize(200);
  const nlohmann::json j{{"reason", cut}, {"latin1", "\xFC"}};
  std::string text;
  ASSERT_NO_THROW(text = DumpJson(j));
  EXPECT_NE(text.find("\"latin1\":\"\xEF\xBF\xBD\""), std::string::npos) << text;
  EXPECT_TRUE(nlohmann::json::accept(text)) << text;
}

TEST(JsonDump, IndentsLikeDump) {
  const nlohmann::json j{{"a", 1}};
  EXPECT_EQ(DumpJson(j), j.dump());
  EXPECT_EQ(DumpJson(j, 2), j.dump(2));
}

}  // namespace
}  // namespace rsagent
