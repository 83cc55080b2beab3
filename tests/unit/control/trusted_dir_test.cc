#include "control/trusted_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace rsagent::agent {
namespace {

class TrustedDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/trusted_dir_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    chmod(root_.c_str(), 0755);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  TrustedDirOptions Options(bool allow_sticky = false) {
    return {.mode = 0750, .owner = geteuid(), .allow_sticky = allow_sticky, .what = "test dir"};
  }
  mode_t Mode(const std::string& path) {
    struct stat st;
    EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }
  std::string root_;
};

TEST_F(TrustedDirTest, CreatesMissingLeafWithItsModeAndParents0755) {
  ASSERT_TRUE(EnsureTrustedDir(root_ + "/a/b", Options()));
  EXPECT_EQ(Mode(root_ + "/a"), 0755u);
  EXPECT_EQ(Mode(root_ + "/a/b"), 0750u);
}

TEST_F(TrustedDirTest, ExistingDirectoryIsNeverChmodded) {
  ASSERT_EQ(mkdir((root_ + "/d").c_str(), 0700), 0);
  ASSERT_TRUE(EnsureTrustedDir(root_ + "/d", Options()));
  EXPECT_EQ(Mode(root_ + "/d"), 0700u);
}

TEST_F(TrustedDirTest, StickySharedLeafOnlyWhenAllowed) {
  // /tmp itself: 1777 root. Before, the control socket's code chmod-ed it 0750.
  ASSERT_EQ(mkdir((root_ + "/shared").c_str(), 0700), 0);
  ASSERT_EQ(chmod((root_ + "/shared").c_str(), 01777), 0);
  EXPECT_TRUE(EnsureTrustedDir(root_ + "/shared", Options(/*allow_sticky=*/true)));
  EXPECT_FALSE(EnsureTrustedDir(root_ + "/shared", Options(/*allow_sticky=*/false)));
  EXPECT_EQ(Mode(root_ + "/shared"), 01777u);
}

TEST_F(TrustedDirTest, GroupWritableWithoutStickyIsRefused) {
  ASSERT_EQ(mkdir((root_ + "/g").c_str(), 0700), 0);
  ASSERT_EQ(chmod((root_ + "/g").c_str(), 0770), 0);
  Status s = EnsureTrustedDir(root_ + "/g", Options(true));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("mode 0770"), std::string::npos) << s.error();
}

TEST_F(TrustedDirTest, WritableAncestorWithoutStickyIsRefused) {
  ASSERT_EQ(mkdir((root_ + "/open").c_str(), 0700), 0);
  ASSERT_EQ(chmod((root_ + "/open").c_str(), 0777), 0);
  Status s = EnsureTrustedDir(root_ + "/open/leaf", Options());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("above the test dir"), std::string::npos) << s.error();
  EXPECT_FALSE(std::filesystem::exists(root_ + "/open/leaf"));
}

TEST_F(TrustedDirTest, LeafOwnedByAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  ASSERT_EQ(mkdir((root_ + "/n").c_str(), 0750), 0);
  ASSERT_EQ(chown((root_ + "/n").c_str(), 65534, 65534), 0);
  Status s = EnsureTrustedDir(root_ + "/n", Options());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("owned by uid 65534"), std::string::npos) << s.error();
}

TEST_F(TrustedDirTest, NotADirectoryAndRelativePathAreRefused) {
  FILE* f = fopen((root_ + "/x").c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  EXPECT_FALSE(EnsureTrustedDir(root_ + "/x", Options()));
  EXPECT_FALSE(EnsureTrustedDir("relative/dir", Options()));
}

}  // namespace
}  // namespace rsagent::agent
