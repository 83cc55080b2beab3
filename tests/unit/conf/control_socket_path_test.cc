#include "conf/control_socket_path.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rsagent::conf {
namespace {

class ControlSocketPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/control_socket_path_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& text) {
    std::ofstream(dir_ + "/rsagent.toml") << text;
    return dir_ + "/rsagent.toml";
  }
  std::string dir_;
};

TEST_F(ControlSocketPathTest, TakenFromAFileWithOtherErrors) {
  // Not a valid config (unknown key), but valid TOML: reload must still reach
  // the agent on its own socket to be told what is wrong.
  auto path = ControlSocketPath(Write("[agent]\ncontrol_socket = \"/run/x.sock\"\nbogus = 1\n"));
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(*path, "/run/x.sock");
}

TEST_F(ControlSocketPathTest, DefaultWhenUnsetOrTheFileIsMissing) {
  EXPECT_EQ(*ControlSocketPath(Write("[agent]\nlisten = \"127.0.0.1:1\"\n")),
            "/run/rsagent/control.sock");
  EXPECT_EQ(*ControlSocketPath(dir_ + "/missing.toml"), "/run/rsagent/control.sock");
}

TEST_F(ControlSocketPathTest, ATomlErrorIsReportedNotGuessed) {
  // Before: the default socket, and "is the agent running?" about an agent
  // that runs on the socket the broken file names.
  auto path = ControlSocketPath(Write("[agent\ncontrol_socket = \"/run/x.sock\"\n"));
  ASSERT_FALSE(path);
  EXPECT_NE(path.error().find("rsagent.toml:1:"), std::string::npos) << path.error();
  EXPECT_NE(path.error().find("invalid TOML"), std::string::npos) << path.error();
}

}  // namespace
}  // namespace rsagent::conf
