#include "control/override_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

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

  OverrideStore Store() {
    auto dir = StateDir::Claim(root_ + "/state", geteuid());
    EXPECT_TRUE(dir) << dir.error();
    return OverrideStore(std::move(dir).value());
  }

  std::string root_;
};

const WallTime kSince{std::chrono::milliseconds(1700000000123)};

TEST_F(OverrideStoreTest, MissingFileMeansNoOverrides) {
  OverrideStore store = Store();
  auto loaded = store.Load();
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_TRUE(loaded->empty());
}

TEST_F(OverrideStoreTest, SaveThenLoadRoundTrips) {
  OverrideStore store = Store();
  ASSERT_TRUE(
      store.Save({{"web", {AdminState::kDrain, kSince}}, {"db", {AdminState::kMaint, kSince}}}));
  auto loaded = store.Load();
  ASSERT_TRUE(loaded) << loaded.error();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ(loaded->at("web").state, AdminState::kDrain);
  EXPECT_EQ(loaded->at("db").state, AdminState::kMaint);
  EXPECT_EQ(loaded->at("web").since, kSince);
}

TEST_F(OverrideStoreTest, SaveReplacesTheFileAndLeavesNoTemporary) {
  OverrideStore store = Store();
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
  auto loaded = Store().Load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("overrides.json"), std::string::npos) << loaded.error();
  EXPECT_NE(loaded.error().find("not valid JSON"), std::string::npos) << loaded.error();
}

TEST_F(OverrideStoreTest, SaveFailsWhenTheFileCannotBeReplaced) {
  std::filesystem::create_directories(root_ + "/state/overrides.json");  // rename onto a dir fails
  OverrideStore store = Store();
  Status s = store.Save({{"web", {AdminState::kDrain, kSince}}});
  EXPECT_FALSE(s);
  EXPECT_FALSE(std::filesystem::exists(store.path() + ".tmp")) << "temporary left behind";
}

TEST_F(OverrideStoreTest, SymlinkedFileIsRefusedNotFollowed) {
  std::filesystem::create_directories(root_ + "/state");
  std::ofstream(root_ + "/elsewhere")
      << SerializeOverrides({{"web", {AdminState::kDrain, kSince}}});
  std::filesystem::create_symlink(root_ + "/elsewhere", root_ + "/state/overrides.json");
  auto loaded = Store().Load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("symbolic link"), std::string::npos) << loaded.error();
}

TEST_F(OverrideStoreTest, StaleTemporarySymlinkIsReplacedNotWrittenThrough) {
  // Writing through a planted overrides.json.tmp -> /etc/... would let it
  // clobber any file root can write.
  std::filesystem::create_directories(root_ + "/state");
  std::ofstream(root_ + "/victim") << "keep";
  std::filesystem::create_symlink(root_ + "/victim", root_ + "/state/overrides.json.tmp");
  OverrideStore store = Store();
  ASSERT_TRUE(store.Save({{"web", {AdminState::kDrain, kSince}}}));
  std::ifstream victim(root_ + "/victim");
  std::string content((std::istreambuf_iterator<char>(victim)), {});
  EXPECT_EQ(content, "keep");
  auto loaded = store.Load();
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->at("web").state, AdminState::kDrain);
}

TEST_F(OverrideStoreTest, FifoIsRefusedWithoutBlocking) {
  std::filesystem::create_directories(root_ + "/state");
  ASSERT_EQ(mkfifo((root_ + "/state/overrides.json").c_str(), 0600), 0);
  auto loaded = Store().Load();  // would hang forever in open() before
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("not a regular file"), std::string::npos) << loaded.error();
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

TEST(ParseOverrides, WrongTypesAndRangesAreNamedErrors) {
  // Each was an uncaught exception or signed overflow before.
  const char* cases[] = {
      R"({"version":"1","overrides":{}})",
      R"({"version":1.5,"overrides":{}})",
      R"({"version":18446744073709551617,"overrides":{}})",
      R"({"version":1,"overrides":{"web":{"state":"drain","since_unix_ms":9223372036854775807}}})",
      R"({"version":1,"overrides":{"web":{"state":"drain","since_unix_ms":18446744073709551615}}})",
      R"({"version":1,"overrides":{"web":{"state":"drain","since_unix_ms":-1}}})",
      R"({"version":1,"overrides":{"web":{"state":"drain","since_unix_ms":1e300}}})",
      R"({"version":1,"overrides":{"web":{"state":"drain","since_unix_ms":"1"}}})",
      R"({"version":1,"overrides":{"web":{"state":7,"since_unix_ms":1}}})",
      R"({"version":1,"overrides":{"web":[1,2]}})",
      R"({"version":1,"overrides":[]})",
      R"("version")",
  };
  for (const char* text : cases) {
    Result<Overrides> parsed = Error{"not run"};
    ASSERT_NO_THROW(parsed = ParseOverrides(text)) << text;
    EXPECT_FALSE(parsed) << text;
  }
  auto huge = ParseOverrides(cases[3]);
  EXPECT_NE(huge.error().find("\"web\": \"since_unix_ms\" must be an integer from 0 to"),
            std::string::npos)
      << huge.error();
}

TEST(ParseOverrides, LargestRepresentableSinceIsAccepted) {
  const auto max_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(WallTime::max().time_since_epoch());
  auto parsed =
      ParseOverrides(R"({"version":1,"overrides":{"web":{"state":"maint","since_unix_ms":)" +
                     std::to_string(max_ms.count()) + "}}}");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(
                parsed->at("web").since.time_since_epoch()),
            max_ms);
}

// Mutated files (byte flips, cuts, inserted JSON tokens, numbers swapped for
// extremes) never throw, and whatever parses round-trips unchanged. Run under
// the ASan/UBSan build (asan.unit) this also checks for overflow. The seed is
// printed so a failure replays with RSAGENT_TEST_SEED.
TEST(ParseOverrides, RandomizedMutationsNeverThrowAndRoundTrip) {
  const char* env = std::getenv("RSAGENT_TEST_SEED");
  const uint64_t seed = env ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::printf("RSAGENT_TEST_SEED=%llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  const std::string valid = SerializeOverrides(
      {{"web", {AdminState::kDrain, kSince}}, {"db", {AdminState::kMaint, kSince}}});
  const char* tokens[] = {"\"1\"",
                          "-1",
                          "1e400",
                          "18446744073709551616",
                          "9223372036854775807",
                          "null",
                          "[]",
                          "{}",
                          "true",
                          "\"",
                          "\\u0000",
                          ":",
                          ",",
                          "0.5",
                          "\xff"};
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  for (int round = 0; round < 20000; ++round) {
    std::string text = valid;
    for (int edits = 1 + static_cast<int>(pick(4)); edits > 0; --edits) {
      const size_t at = pick(text.size() + 1);
      switch (pick(4)) {
        case 0:
          if (at < text.size()) text[at] = static_cast<char>(rng());
          break;
        case 1:
          text.resize(at);
          break;
        case 2:
          text.insert(at, tokens[pick(std::size(tokens))]);
          break;
        default:
          if (auto digit = text.find_first_of("0123456789", at); digit != std::string::npos) {
            const size_t end = text.find_first_not_of("0123456789", digit);
            text.replace(digit, end - digit, tokens[pick(5)]);
          }
      }
    }
    Result<Overrides> parsed = Error{"not run"};
    ASSERT_NO_THROW(parsed = ParseOverrides(text)) << "seed " << seed << " round " << round;
    if (!parsed) {
      EXPECT_FALSE(parsed.error().empty());
      continue;
    }
    auto again = ParseOverrides(SerializeOverrides(*parsed));
    ASSERT_TRUE(again) << "seed " << seed << " round " << round << ": " << again.error();
    ASSERT_EQ(again->size(), parsed->size()) << "seed " << seed << " round " << round;
    for (const auto& [name, admin] : *parsed) {
      EXPECT_EQ(again->at(name).state, admin.state);
      EXPECT_EQ(again->at(name).since, admin.since);
    }
  }
}

}  // namespace
}  // namespace rsagent::agent
