#include "control/state_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

namespace rsagent::agent {
namespace {

class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/state_dir_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    chmod(root_.c_str(), 0755);
  }
  void TearDown() override {
    chmod((root_ + "/state").c_str(), 0750);
    std::filesystem::remove_all(root_);
  }
  std::string root_;
};

TEST_F(StateDirTest, CreatesTheDirectory0750) {
  auto dir = StateDir::Claim(root_ + "/state", geteuid());
  ASSERT_TRUE(dir) << dir.error();
  struct stat st;
  ASSERT_EQ(stat((root_ + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  EXPECT_TRUE(std::filesystem::exists(root_ + "/state/rsagent.lock"));
}

TEST_F(StateDirTest, SecondClaimIsRefusedNamingTheHolder) {
  auto first = StateDir::Claim(root_ + "/state", geteuid());
  ASSERT_TRUE(first) << first.error();
  // Another process, as a second `rsagent run` would be.
  const pid_t child = fork();
  if (child == 0) {
    auto second = StateDir::Claim(root_ + "/state", geteuid());
    _exit(!second && second.error().find("pid " + std::to_string(getppid())) != std::string::npos
              ? 0
              : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "second claim not refused";
}

TEST_F(StateDirTest, ClaimIsReleasedWithTheObject) {
  { ASSERT_TRUE(StateDir::Claim(root_ + "/state", geteuid())); }
  EXPECT_TRUE(StateDir::Claim(root_ + "/state", geteuid()));
}

TEST_F(StateDirTest, WorldWritableDirectoryIsRefused) {
  ASSERT_EQ(mkdir((root_ + "/state").c_str(), 0700), 0);
  ASSERT_EQ(chmod((root_ + "/state").c_str(), 0777), 0);
  auto dir = StateDir::Claim(root_ + "/state", geteuid());
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().find("mode 0777"), std::string::npos) << dir.error();
  struct stat st;
  ASSERT_EQ(stat((root_ + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0777u) << "an existing directory must not be chmod-ed";
}

TEST_F(StateDirTest, DirectoryOfAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  ASSERT_EQ(mkdir((root_ + "/state").c_str(), 0750), 0);
  ASSERT_EQ(chown((root_ + "/state").c_str(), 65534, 65534), 0);
  auto dir = StateDir::Claim(root_ + "/state", 0);
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().find("owned by uid 65534"), std::string::npos) << dir.error();
}

TEST_F(StateDirTest, UnwritableDirectoryIsAnErrorAtStartWithErrno) {
  if (geteuid() == 0)
    GTEST_SKIP() << "root writes a 0500 directory; the integration test uses a "
                    "read-only mount";
  ASSERT_EQ(mkdir((root_ + "/state").c_str(), 0500), 0);
  auto dir = StateDir::Claim(root_ + "/state", geteuid());
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().find("state_dir cannot be written"), std::string::npos) << dir.error();
  EXPECT_NE(dir.error().find("(EACCES)"), std::string::npos) << dir.error();
}

}  // namespace
}  // namespace rsagent::agent
