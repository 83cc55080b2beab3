#include "probes/mysql_credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace rsagent::probes {
namespace {

using ::testing::HasSubstr;

TEST(MysqlOptionFileTest, ReadsClientGroupOnly) {
  auto c = ParseMysqlOptionFile(
      "# probe user\n[mysqld]\nuser = mysql\n\n[client]\nuser = rsagent\npassword = \"s3 cr;et\"\n"
      "[mysqldump]\npassword = other\n");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->user, "rsagent");
  EXPECT_EQ(c->password, "s3 cr;et");
}

TEST(MysqlOptionFileTest, WithoutUserIsAnError) {
  auto c = ParseMysqlOptionFile("[client]\npassword=x\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "no user= in its [client] group");
}

class MysqlCredentialsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/mysql_credentials_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/mysql.cnf";
    std::ofstream(path_) << "[client]\nuser=rsagent\npassword=secret-pw\n";
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_, path_;
};

TEST_F(MysqlCredentialsFileTest, PrivateFileIsRead) {
  chmod(path_.c_str(), 0600);
  auto c = LoadMysqlCredentials(path_, geteuid());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->password, "secret-pw");
}

TEST_F(MysqlCredentialsFileTest, WorldReadableFileIsRefusedWithoutLeakingIt) {
  chmod(path_.c_str(), 0644);
  auto c = LoadMysqlCredentials(path_, geteuid());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "mysql credentials " + path_ +
                           ": mode 0644 lets group or others access it (chmod 600 " + path_ + ")");
  EXPECT_THAT(c.error(), ::testing::Not(HasSubstr("secret-pw")));
}

TEST_F(MysqlCredentialsFileTest, GroupReadableFileIsRefused) {
  chmod(path_.c_str(), 0640);
  EXPECT_FALSE(LoadMysqlCredentials(path_, geteuid()).ok());
}

TEST_F(MysqlCredentialsFileTest, FileOfAnotherUserIsRefused) {
  chmod(path_.c_str(), 0600);
  if (geteuid() != 0) GTEST_SKIP() << "chown needs root";
  ASSERT_EQ(chown(path_.c_str(), 12345, 0), 0);
  auto c = LoadMysqlCredentials(path_, 0);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error(), HasSubstr("owned by uid 12345, not root or the agent's uid 0"));
}

TEST_F(MysqlCredentialsFileTest, MissingFileNamesIt) {
  auto c = LoadMysqlCredentials(dir_ + "/absent.cnf", geteuid());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "mysql credentials " + dir_ + "/absent.cnf: No such file or directory");
}

}  // namespace
}  // namespace rsagent::probes
