#include "control/admin.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "common/clock.h"
#include "tests/unit/health/test_config.h"

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/admin_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    config_.probes = {testing::TcpProbe("p")};
    config_.services = {testing::Service("web", {"p"})};
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  OverrideStore Store() {
    auto dir = StateDir::Claim(root_ + "/state", geteuid());
    EXPECT_TRUE(dir) << dir.error();
    return OverrideStore(std::move(dir).value());
  }

  std::string root_;
  conf::Config config_;
};

TEST_F(AdminTest, CommandWhoseDeadlinePassedWhileWaitingIsNotDone) {
  // A reload holds the admin lock for 600 ms; a drain queued behind it with
  // a 200 ms deadline (its client gave up) must not be done afterwards.
  HealthModel model(config_, Clock::now());
  std::promise<void> reload_started;
  Admin admin(
      model, Store(),
      [&] {
        reload_started.set_value();
        std::this_thread::sleep_for(milliseconds(600));
        return ReloadOutcome{.summary = "reloaded"};
      },
      "test");
  auto reload = std::async(std::launch::async,
                           [&] { return admin.Handle({.command = ControlCommand::kReload}); });
  reload_started.get_future().wait();
  ControlRequest drain{.command = ControlCommand::kDrain, .service = "web"};
  drain.deadline = std::chrono::system_clock::now() + milliseconds(200);
  const ControlResponse response = admin.Handle(drain);
  EXPECT_FALSE(response.ok);
  EXPECT_NE(response.message.find("deadline"), std::string::npos) << response.message;
  EXPECT_EQ(model.Current()->FindService("web")->admin.state, AdminState::kNone);
  EXPECT_TRUE(reload.get().ok);

  drain.deadline = std::chrono::system_clock::now() + milliseconds(2000);
  EXPECT_TRUE(admin.Handle(drain).ok);
  EXPECT_EQ(model.Current()->FindService("web")->admin.state, AdminState::kDrain);
}

}  // namespace
}  // namespace rsagent::agent
