#include "probes/mysql_credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>

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
  EXPECT_EQ(c.error(), "no user= in its [client] (or [client-server], [client-mariadb]) group");
}

TEST(MysqlOptionFileTest, AnUnknownDirectiveIsQuotedBounded) {
  auto c = ParseMysqlOptionFile("[client]\n!i" + std::string(4000, 'x') + "\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "line 2: unknown directive !i" + std::string(38, 'x') + "...");
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

TEST_F(MysqlCredentialsFileTest, FifoIsRefusedWithoutBlocking) {
  // Before, open() waited forever for a writer: the probe hung.
  unlink(path_.c_str());
  ASSERT_EQ(mkfifo(path_.c_str(), 0600), 0);
  auto c = LoadMysqlCredentials(path_, geteuid());
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error(), HasSubstr("not a regular file"));
}

TEST_F(MysqlCredentialsFileTest, MissingFileNamesIt) {
  auto c = LoadMysqlCredentials(dir_ + "/absent.cnf", geteuid());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "mysql credentials " + dir_ + "/absent.cnf: No such file or directory");
}

// What the mariadb client reads from `text`: my_print_defaults runs the
// same mysys code as `mariadb --defaults-file=`. Empty optional when the
// tool is not installed.
struct ClientView {
  std::string user, password;
};
std::optional<ClientView> AsTheClientReadsIt(const std::string& text) {
  if (access("/usr/bin/my_print_defaults", X_OK) != 0) return std::nullopt;
  char path[] = "/tmp/mysql_credentials_test.XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  (void)!write(fd, text.data(), text.size());
  close(fd);
  const std::string command = std::string("/usr/bin/my_print_defaults --defaults-file=") + path +
                              " client client-server client-mariadb 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ClientView view;
  char line[4096];
  while (pipe && fgets(line, sizeof line, pipe)) {
    std::string option(line);
    if (!option.empty() && option.back() == '\n') option.pop_back();
    // Option names are case-insensitive to the client (it accepts --User=).
    std::string name = option.substr(0, option.find('='));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string value =
        option.find('=') == std::string::npos ? "" : option.substr(option.find('=') + 1);
    if (name == "--user") view.user = value;
    if (name == "--password") view.password = value;
  }
  if (pipe) pclose(pipe);
  unlink(path);
  return view;
}

// The forms that disagreed with the mysql client before (trailing comments,
// upper-case keys and groups, escapes), each checked against the real thing.
TEST(MysqlOptionFileTest, AgreesWithTheMariadbClient) {
  struct Case {
    const char* text;
    const char* user;
    const char* password;
  };
  const Case cases[] = {
      {"[client]\nuser=probe # the probe user\npassword=\"se#cret\" # quoted\n", "probe",
       "se#cret"},
      {"[CLIENT]\nUser=probe\nPASSWORD=x\n", "probe", "x"},
      {"[client]\nuser = probe\npassword = ab#cd\n", "probe", "ab"},
      {"[client]\nuser=probe;x\npassword=p ; not a comment\n", "probe;x", "p ; not a comment"},
      {"[client]\nuser='it''s'\npassword=\"a\\tb\\\\c\\qd\"\n", "it''s", "a\tb\\c\\qd"},
      {"[client]\n  user=probe\n[mysql]\nuser=other\n[client-server]\npassword=cs\n", "probe",
       "cs"},
      {"[client]\nuser=first\nuser=second\r\npassword=  \"spaced\"  \n", "second", "spaced"},
      {"[client]\nuser=probe\npassword=\"unterminated\n", "probe", "\"unterminated"},
      {"[client]\nuser=a\\sb\npass-word=x\n[client-mariadb]\npassword=y\n", "a b", "y"},
      {"; comment\n# comment\n[client] # trailing\nuser=u\n", "u", ""},
  };
  bool compared = false;
  for (const auto& c : cases) {
    auto parsed = ParseMysqlOptionFile(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed->user, c.user) << c.text;
    EXPECT_EQ(parsed->password, c.password) << c.text;
    if (auto client = AsTheClientReadsIt(c.text)) {
      compared = true;
      EXPECT_EQ(client->user, parsed->user) << "mariadb disagrees on " << c.text;
      EXPECT_EQ(client->password, parsed->password) << "mariadb disagrees on " << c.text;
    }
  }
  if (!compared) GTEST_SKIP() << "my_print_defaults (mariadb-client) not installed: table only";
}

TEST(MysqlOptionFileTest, IncludeDirectivesAreRefusedByName) {
  for (const char* directive : {"!include /etc/mysql/other.cnf", "!includedir /etc/mysql/conf.d"}) {
    auto c = ParseMysqlOptionFile(std::string("[client]\nuser=u\n") + directive + "\n");
    ASSERT_FALSE(c.ok()) << directive;
    EXPECT_THAT(c.error(), HasSubstr("line 3: !include")) << c.error();
    EXPECT_THAT(c.error(), HasSubstr("not supported in a credentials file")) << c.error();
  }
  EXPECT_THAT(ParseMysqlOptionFile("[client\nuser=u\n").error(), HasSubstr("line 1: group"));
}

}  // namespace
}  // namespace rsagent::probes
