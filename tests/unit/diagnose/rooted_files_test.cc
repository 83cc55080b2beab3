#include "diagnose/rooted_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace rsagent::agent::diagnose {
namespace {

class RootedFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rooted-files-XXXXXX";
    root_ = mkdtemp(tmpl);
    std::filesystem::create_directories(root_ + "/etc/sysctl.d");
    std::ofstream(root_ + "/etc/sysctl.d/b.conf") << "b\n";
    std::ofstream(root_ + "/etc/sysctl.d/a.conf") << "a\n";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

TEST_F(RootedFilesTest, ReadsBelowTheRoot) {
  RootedFiles files(root_);
  auto text = files.Read("/etc/sysctl.d/a.conf");
  ASSERT_TRUE(text);
  ASSERT_TRUE(text->has_value());
  EXPECT_EQ(**text, "a\n");
}

TEST_F(RootedFilesTest, AbsentIsNotAnError) {
  RootedFiles files(root_);
  auto text = files.Read("/etc/sysctl.conf");
  ASSERT_TRUE(text);
  EXPECT_FALSE(text->has_value());
  auto names = files.List("/etc/netplan");
  ASSERT_TRUE(names);
  EXPECT_TRUE(names->empty());
}

TEST_F(RootedFilesTest, ListsSorted) {
  auto names = RootedFiles(root_).List("/etc/sysctl.d");
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"a.conf", "b.conf"}));
}

TEST_F(RootedFilesTest, AFifoIsReadWithoutHanging) {
  ASSERT_EQ(mkfifo((root_ + "/etc/sysctl.conf").c_str(), 0600), 0);
  auto text = RootedFiles(root_).Read("/etc/sysctl.conf");
  ASSERT_TRUE(text);  // no writer: empty, at once
  EXPECT_EQ(text->value_or("x"), "");
}

TEST_F(RootedFilesTest, AHugeFileIsAnError) {
  std::ofstream(root_ + "/etc/sysctl.d/huge.conf") << std::string(2 << 20, '#');
  auto text = RootedFiles(root_).Read("/etc/sysctl.d/huge.conf");
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().find("larger than 1 MiB"), std::string::npos);
}

}  // namespace
}  // namespace rsagent::agent::diagnose
