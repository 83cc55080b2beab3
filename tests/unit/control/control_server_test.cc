#include "control/control_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "control/control_client.h"
#include "control/unix_socket.h"

namespace rsagent::agent {
namespace {

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/control_server_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/run/control.sock";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static ControlResponse Echo(const ControlRequest& request) {
    return ControlResponse{
        .ok = true,
        .message = std::string(ControlCommandName(request.command)) + " " + request.service};
  }

  std::string dir_;
  std::string path_;
};

TEST_F(ControlServerTest, AnswersTheAllowedUid) {
  auto server = ControlServer::Start(path_, Echo, getuid());
  ASSERT_TRUE(server) << server.error();
  auto response = CallControl(path_, {.command = ControlCommand::kDrain, .service = "web"},
                              std::chrono::seconds(2));
  ASSERT_TRUE(response) << response.error();
  EXPECT_TRUE(response->ok);
  EXPECT_EQ(response->message, "drain web");
}

TEST_F(ControlServerTest, RefusesOtherUidsWithoutRunningTheHandler) {
  bool called = false;
  auto server = ControlServer::Start(
      path_,
      [&](const ControlRequest&) {
        called = true;
        return ControlResponse{.ok = true};
      },
      getuid() + 1);
  ASSERT_TRUE(server) << server.error();
  auto response = CallControl(path_, {.command = ControlCommand::kStatus}, std::chrono::seconds(2));
  ASSERT_TRUE(response) << response.error();
  EXPECT_FALSE(response->ok);
  EXPECT_NE(response->message.find("root only"), std::string::npos) << response->message;
  EXPECT_FALSE(called);
}

TEST_F(ControlServerTest, BadRequestGetsAnErrorNotAHang) {
  auto server = ControlServer::Start(path_, Echo, getuid());
  ASSERT_TRUE(server) << server.error();
  auto fd = ConnectUnix(path_);
  ASSERT_TRUE(fd) << fd.error();
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  ASSERT_TRUE(WriteAll(fd->get(), "drain web\n", deadline));
  auto line = ReadLine(fd->get(), kMaxControlResponse, deadline);
  ASSERT_TRUE(line) << line.error();
  auto response = DecodeResponse(*line);
  ASSERT_TRUE(response) << response.error();
  EXPECT_FALSE(response->ok);
  EXPECT_NE(response->message.find("bad request"), std::string::npos) << response->message;
}

TEST_F(ControlServerTest, SecondServerOnALiveSocketIsRefusedAStaleOneReplaced) {
  {
    auto first = ControlServer::Start(path_, Echo, getuid());
    ASSERT_TRUE(first) << first.error();
    auto second = ControlServer::Start(path_, Echo, getuid());
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().find("another agent"), std::string::npos) << second.error();
  }
  // A crash leaves the socket file behind with nobody listening on it.
  {
    UniqueFd stale(socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un addr{.sun_family = AF_UNIX};
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    ASSERT_EQ(bind(stale.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  ASSERT_TRUE(std::filesystem::is_socket(path_));
  auto again = ControlServer::Start(path_, Echo, getuid());
  EXPECT_TRUE(again) << again.error();
}

TEST_F(ControlServerTest, ClientSaysWhenNoAgentRuns) {
  auto response = CallControl(path_, {.command = ControlCommand::kStatus}, std::chrono::seconds(1));
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().find("is the agent running"), std::string::npos) << response.error();
}

}  // namespace
}  // namespace rsagent::agent
