#include "pair/writer_state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rsagent::pair {
namespace {

class WriterStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/writer_state_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(WriterStateTest, NoFileIsAFreshStandby) {
  auto state = WriterStateStore(dir_ + "/sub").Load();
  ASSERT_TRUE(state.ok()) << state.error();
  EXPECT_EQ(*state, WriterState{});
}

TEST_F(WriterStateTest, SavesAndLoads) {
  WriterStateStore store(dir_ + "/sub");
  WriterState s{.role = WriterRole::kWriter,
                .term = 4,
                .writer_term = 4,
                .mysqld_started = 1764576000,
                .fenced = true,
                .note = "promoted by admin"};
  ASSERT_TRUE(store.Save(s).ok());
  auto loaded = store.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(*loaded, s);
}

TEST_F(WriterStateTest, CandidateIsStoredAsStandby) {
  WriterState s{.role = WriterRole::kCandidate, .term = 2};
  auto parsed = ParseWriterState(SerializeWriterState(s));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->role, WriterRole::kStandby);
}

TEST_F(WriterStateTest, CorruptFileIsAnErrorNamingIt) {
  WriterStateStore store(dir_);
  std::ofstream(store.path()) << "{\"version\": 1, \"role\": \"writer\"";
  auto loaded = store.Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error(), store.path() + ": expected a JSON object with \"version\": 1");
  std::ofstream(store.path()) << SerializeWriterState({}).replace(
      SerializeWriterState({}).find("standby"), 7, "leader!");
  EXPECT_EQ(store.Load().error(),
            store.path() + ": role \"leader!\" (expected standby, writer or handover)");
}

}  // namespace
}  // namespace rsagent::pair
