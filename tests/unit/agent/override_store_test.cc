#include "agent/override_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace rsagent::agent {
namespace {

class OverrideStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/override_store_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void WriteFile(const std::string& text) {
    std::filesystem::create_directories(root_ + "/state");
    std::ofstream(root_ + "/state/overrides.json") << text;
  }

  std::string root_;
};

const WallTime kSince{std::chrono::milliseconds(1700000000123)};

TEST_F(OverrideStoreTest, MissingFileMeansNoOverrides) {
  OverrideStore store(root_ + "/state");
  auto loaded = store.Load();
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_TRUE(loaded->empty());
}

TEST_F(OverrideStoreTest, SaveThenLoadRoundTripsAndCreatesTheDirectory) {
  OverrideStore store(root_ + "/state");
  ASSERT_TRUE(
      store.Save({{"web", {AdminState::kDrain, kSince}}, {"db", {AdminState::kMaint, kSince}}}));
  struct stat st;
  ASSERT_EQ(stat((root_ + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
  auto loaded = store.Load();
  ASSERT_TRUE(loaded) << loaded.error();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ(loaded->at("web").state, AdminState::kDrain);
  EXPECT_EQ(loaded->at("db").state, AdminState::kMaint);
  EXPECT_EQ(loaded->at("web").since, kSince);
}

TEST_F(OverrideStoreTest, SaveReplacesTheFileAndLeavesNoTemporary) {
  OverrideStore store(root_ + "/state");
  ASSERT_TRUE(store.Save({{"web", {AdminState::kDrain, kSince}}}));
  ASSERT_TRUE(store.Save({}));
  auto loaded = store.Load();
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_TRUE(loaded->empty());
  EXPECT_FALSE(std::filesystem::exists(store.path() + ".tmp"));
}

TEST_F(OverrideStoreTest, NoneIsNotWritten) {
  auto parsed = ParseOverrides(SerializeOverrides({{"web", {AdminState::kNone, kSince}}}));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_TRUE(parsed->empty());
}

TEST_F(OverrideStoreTest, CorruptFileIsAnErrorNamingTheFile) {
  WriteFile("{\"version\":1,\"overrides\":");
  auto loaded = OverrideStore(root_ + "/state").Load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("overrides.json"), std::string::npos) << loaded.error();
  EXPECT_NE(loaded.error().find("not valid JSON"), std::string::npos) << loaded.error();
}

TEST_F(OverrideStoreTest, SaveFailsWhenTheFileCannotBeReplaced) {
  std::filesystem::create_directories(root_ + "/state/overrides.json");  // rename onto a dir fails
  Status s = OverrideStore(root_ + "/state").Save({{"web", {AdminState::kDrain, kSince}}});
  EXPECT_FALSE(s);
}

TEST(ParseOverrides, RejectsWrongShapes) {
  EXPECT_FALSE(ParseOverrides("[]"));
  EXPECT_FALSE(ParseOverrides(R"({"version":2,"overrides":{}})"));
  EXPECT_FALSE(ParseOverrides(R"({"version":1})"));
  auto bad_state =
      ParseOverrides(R"({"version":1,"overrides":{"web":{"state":"off","since_unix_ms":1}}})");
  ASSERT_FALSE(bad_state);
  EXPECT_NE(bad_state.error().find("\"web\""), std::string::npos);
  EXPECT_FALSE(ParseOverrides(R"({"version":1,"overrides":{"web":{"state":"drain"}}})"));
}

}  // namespace
}  // namespace rsagent::agent
