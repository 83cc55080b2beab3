#include "control/control_server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "control/control_client.h"
#include "control/unix_socket.h"
#include "tests/unit/common/out_of_descriptors.h"

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

// Connections that send nothing, as a stuck or hostile client would.
std::vector<UniqueFd> SilentClients(const std::string& path, size_t n) {
  std::vector<UniqueFd> fds;
  for (size_t i = 0; i < n; ++i) {
    auto fd = ConnectUnix(path);
    // A full backlog (EAGAIN) empties as the server accepts.
    for (int retry = 0; !fd && retry < 200; ++retry) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      fd = ConnectUnix(path);
    }
    EXPECT_TRUE(fd) << fd.error();
    if (fd) fds.push_back(std::move(fd).value());
  }
  return fds;
}

TEST_F(ControlServerTest, OutOfDescriptorsPausesInsteadOfSpinning) {
  RSAGENT_SKIP_WHEN_SANITIZED();
  // accept4 failing with EMFILE leaves the connection queued, so poll()
  // reports it again at once: before, the loop spun a core for as long as
  // the agent had no descriptor to spare.
  auto server = ControlServer::Start(path_, Echo, getuid());
  ASSERT_TRUE(server) << server.error();
  UniqueFd queued(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(queued.valid());
  OutOfDescriptors exhausted;
  sockaddr_un addr{.sun_family = AF_UNIX};
  path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
  ASSERT_EQ(connect(queued.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  const double cpu_used = CpuSecondsWhileSleeping(std::chrono::seconds(1));
  exhausted.Release();
  // About 10 retries of a few microseconds each; a spinning loop burns
  // whatever share of a core the host gives it (far above this bound).
  EXPECT_LT(cpu_used, 0.05) << "CPU seconds used in 1 s while out of descriptors";

  // Descriptors back: the server still serves.
  auto response = CallControl(path_, {.command = ControlCommand::kDrain, .service = "web"},
                              std::chrono::seconds(5));
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->message, "drain web");
}

TEST_F(ControlServerTest, SilentClientsDoNotDelayACommand) {
  // Before, connections were served one at a time: 10 silent clients cost
  // 10 x kControlIoTimeout = 20 s before a drain was even read.
  auto server = ControlServer::Start(path_, Echo, getuid());
  ASSERT_TRUE(server) << server.error();
  auto silent = SilentClients(path_, 10);
  const auto start = Clock::now();
  auto response = CallControl(path_, {.command = ControlCommand::kDrain, .service = "web"},
                              std::chrono::seconds(1));
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->message, "drain web");
  EXPECT_LT(Clock::now() - start, kControlIoTimeout / 2);
}

TEST_F(ControlServerTest, BeyondTheCapClientsAreToldBusyAtOnce) {
  auto server = ControlServer::Start(path_, Echo, getuid());
  ASSERT_TRUE(server) << server.error();
  auto silent = SilentClients(path_, kMaxControlClients);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // all accepted
  auto response = CallControl(path_, {.command = ControlCommand::kStatus}, std::chrono::seconds(1));
  ASSERT_TRUE(response) << response.error();
  EXPECT_FALSE(response->ok);
  EXPECT_NE(response->message.find("busy"), std::string::npos) << response->message;
  silent.clear();  // the slots free as soon as those clients go
  bool answered = false;
  for (int i = 0; i < 20 && !answered; ++i) {
    auto again = CallControl(path_, {.command = ControlCommand::kStatus}, std::chrono::seconds(1));
    answered = again && again->ok;
    if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(answered);
}

TEST_F(ControlServerTest, RequestPastItsDeadlineIsNotHandled) {
  std::atomic<bool> called{false};
  auto server = ControlServer::Start(
      path_,
      [&](const ControlRequest&) {
        called = true;
        return ControlResponse{.ok = true};
      },
      getuid());
  ASSERT_TRUE(server) << server.error();
  auto fd = ConnectUnix(path_);
  ASSERT_TRUE(fd) << fd.error();
  ControlRequest late{.command = ControlCommand::kDrain, .service = "web"};
  late.deadline = std::chrono::system_clock::now() - std::chrono::milliseconds(1);
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  ASSERT_TRUE(WriteAll(fd->get(), EncodeRequest(late), deadline));
  auto line = ReadLine(fd->get(), kMaxControlResponse, deadline);
  ASSERT_TRUE(line) << line.error();
  auto response = DecodeResponse(*line);
  ASSERT_TRUE(response) << response.error();
  EXPECT_FALSE(response->ok);
  EXPECT_NE(response->message.find("deadline"), std::string::npos) << response->message;
  EXPECT_FALSE(called);
}

TEST_F(ControlServerTest, ClientSendsADeadlineBeforeItsOwnTimeout) {
  std::optional<ControlDeadline> seen;
  auto server = ControlServer::Start(
      path_,
      [&](const ControlRequest& request) {
        seen = request.deadline;
        return ControlResponse{.ok = true};
      },
      getuid());
  ASSERT_TRUE(server) << server.error();
  const auto before = std::chrono::system_clock::now();
  ASSERT_TRUE(CallControl(path_, {.command = ControlCommand::kReload}, std::chrono::seconds(4)));
  ASSERT_TRUE(seen.has_value());
  EXPECT_GT(*seen, before + std::chrono::seconds(2));
  EXPECT_LE(*seen, before + std::chrono::seconds(4) - DeadlineMargin(std::chrono::seconds(4)) +
                       std::chrono::milliseconds(100));
}

TEST_F(ControlServerTest, ExistingSharedStickyDirectoryIsNotChmodded) {
  // Before, the socket's parent was chmod-ed 0750 whatever it was: /tmp too.
  const std::string shared = dir_ + "/shared";
  ASSERT_EQ(mkdir(shared.c_str(), 0700), 0);
  ASSERT_EQ(chmod(shared.c_str(), 01777), 0);
  auto server = ControlServer::Start(shared + "/control.sock", Echo, getuid());
  ASSERT_TRUE(server) << server.error();
  struct stat st;
  ASSERT_EQ(stat(shared.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01777u);
}

TEST_F(ControlServerTest, DirectoryAnotherUserCouldWriteIsRefused) {
  const std::string open_dir = dir_ + "/open";
  ASSERT_EQ(mkdir(open_dir.c_str(), 0700), 0);
  ASSERT_EQ(chmod(open_dir.c_str(), 0777), 0);
  auto server = ControlServer::Start(open_dir + "/control.sock", Echo, getuid());
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().find("mode 0777"), std::string::npos) << server.error();
  if (geteuid() != 0) return;
  const std::string theirs = dir_ + "/theirs";
  ASSERT_EQ(mkdir(theirs.c_str(), 0750), 0);
  ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
  auto refused = ControlServer::Start(theirs + "/control.sock", Echo, getuid());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("owned by uid 65534"), std::string::npos) << refused.error();
}

TEST_F(ControlServerTest, ClientRefusesAServerOfAnotherUid) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run a server as uid 65534";
  // The socket-replacement attack: uid 65534 answers "web: drain" for root.
  ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  const std::string theirs = dir_ + "/theirs";
  ASSERT_EQ(mkdir(theirs.c_str(), 0755), 0);
  ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
  const std::string fake = theirs + "/control.sock";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  if (child == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(1);
    UniqueFd listener(socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un addr{.sun_family = AF_UNIX};
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", fake.c_str());
    if (bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listener.get(), 4) != 0) {
      _exit(1);
    }
    (void)!write(ready[1], "x", 1);
    UniqueFd conn(accept(listener.get(), nullptr, nullptr));
    const std::string answer = "{\"ok\":true,\"message\":\"web: drain\"}\n";
    (void)!write(conn.get(), answer.data(), answer.size());
    _exit(0);
  }
  close(ready[1]);
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  auto response = CallControl(fake, {.command = ControlCommand::kDrain, .service = "web"},
                              std::chrono::seconds(1));
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_FALSE(response) << "trusted a server run by uid 65534: " << response->message;
  EXPECT_NE(response.error().find("served by uid 65534"), std::string::npos) << response.error();
}

}  // namespace
}  // namespace rsagent::agent
