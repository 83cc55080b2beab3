#include "common/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace rsagent {
namespace {

Result<int> Parse(const std::string& text) {
  if (text.empty()) return Error{"empty"};
  return std::stoi(text);
}

Status Check(int n) {
  if (n < 0) return Error{"negative"};
  return Status::Ok();
}

// Forwards errors of another type without spelling them out.
Result<std::string> Describe(const std::string& text) {
  ASSIGN_OR_RETURN(const int n, Parse(text));
  RETURN_IF_ERROR(Check(n));
  return "n=" + std::to_string(n);
}

Status Validate(const std::string& text) {
  RETURN_IF_ERROR(Parse(text));
  return Status::Ok();
}

TEST(Result, ForwardsErrorsAcrossTypes) {
  EXPECT_EQ(Describe("7").value(), "n=7");
  EXPECT_EQ(Describe("").error(), "empty");
  EXPECT_EQ(Describe("-1").error(), "negative");
  EXPECT_TRUE(Validate("1").ok());
  EXPECT_EQ(Validate("").error(), "empty");
}

TEST(Result, StatusOfAResult) {
  EXPECT_TRUE(Parse("1").status().ok());
  EXPECT_EQ(Parse("").status().error(), "empty");
  const Result<int> from_status = Status(Error{"gone"});
  EXPECT_EQ(from_status.error(), "gone");
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(3);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 3);
}

TEST(ResultDeathTest, MisuseAbortsWithAMessage) {
  EXPECT_DEATH((void)Parse("").value(), "value\\(\\) called on an error: empty");
  EXPECT_DEATH((void)Parse("1").error(), "error\\(\\) called on a success");
  EXPECT_DEATH((void)Status::Ok().error(), "error\\(\\) called on a success");
  EXPECT_DEATH((void)Result<int>(Status::Ok()), "error\\(\\) called on a success");
}

}  // namespace
}  // namespace rsagent
