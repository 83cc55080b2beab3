#include "agent/event_log.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ElementsAre;
using testing::HasSubstr;

// A LogSink on a pipe, a logger at `level`, a hand-moved clock.
class EventLogTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(pipe2(fds_, O_NONBLOCK), 0); }
  void TearDown() override {
    close(fds_[0]);
    close(fds_[1]);
  }
  std::unique_ptr<EventLog> Make(LogFormat format, EventThrottle::Limits limits = {},
                                 spdlog::level::level_enum level = spdlog::level::info) {
    // Journal style: text lines carry no timestamp to strip; json lines are
    // written as off journald, bare objects.
    sink_ = std::make_shared<LogSink>(
        format, format == LogFormat::kJson ? TextStyle::kTimestamped : TextStyle::kJournal,
        fds_[1]);
    logger_ = std::make_shared<spdlog::logger>("t", sink_);
    logger_->set_level(level);
    return std::make_unique<EventLog>(logger_, sink_, limits, [this] { return now_; });
  }
  std::vector<std::string> Lines() {
    char buf[65536];
    const ssize_t n = read(fds_[0], buf, sizeof buf);
    std::vector<std::string> lines;
    std::string all(buf, n > 0 ? static_cast<size_t>(n) : 0);
    for (size_t start = 0, end; (end = all.find('\n', start)) != std::string::npos;
         start = end + 1) {
      lines.push_back(all.substr(start, end - start));
    }
    return lines;
  }
  static Event Flip(const std::string& from, const std::string& to) {
    return Event{.level = to == "DOWN" ? spdlog::level::warn : spdlog::level::info,
                 .action = "probe-state-change",
                 .subject = "probe nginx",
                 .probe = "nginx",
                 .from = from,
                 .to = to,
                 .reason = to == "DOWN" ? "HTTP 502" : "HTTP 200",
                 .previous_for = milliseconds(500),
                 .flood_bounded = true};
  }

  int fds_[2];
  SteadyTime now_{};
  std::shared_ptr<LogSink> sink_;
  std::shared_ptr<spdlog::logger> logger_;
};

TEST_F(EventLogTest, OneLinePerChangeWithFieldsInJson) {
  auto log = Make(LogFormat::kJson);
  log->Emit(Flip("UP", "DOWN"));
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const auto j = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(j["message"], "probe nginx UP -> DOWN (was UP for 500ms): HTTP 502");
  EXPECT_EQ(j["log.level"], "warn");
  EXPECT_EQ(j["event.action"], "probe-state-change");
  EXPECT_EQ(j["rsagent.probe"], "nginx");
  EXPECT_EQ(j["rsagent.reason"], "HTTP 502");
  EXPECT_EQ(j["rsagent.previous_state_seconds"], 0.5);
}

TEST_F(EventLogTest, LevelBelowTheLoggersIsDropped) {
  auto log = Make(LogFormat::kText, {}, spdlog::level::warn);
  log->Emit(Flip("DOWN", "UP"));
  log->Emit(Flip("UP", "DOWN"));
  EXPECT_THAT(Lines(),
              ElementsAre("<4>warning: probe nginx UP -> DOWN (was UP for 500ms): HTTP 502"));
}

// The flood bound: burst 2, then 1 per 10 s. 20 flips in 2 s log 2 lines; the
// held-back last state comes out once a token is back, with the count.
TEST_F(EventLogTest, FlappingIsBoundedAndEndsOnTheRealState) {
  auto log = Make(LogFormat::kText, {.burst = 2, .refill = seconds(10)});
  for (int i = 0; i < 20; ++i) {
    now_ += milliseconds(100);
    log->Emit(i % 2 ? Flip("DOWN", "UP") : Flip("UP", "DOWN"));
    log->Flush();
  }
  EXPECT_EQ(Lines().size(), 2u);
  now_ += seconds(9);
  log->Flush();
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("probe nginx DOWN -> UP (was DOWN for 500ms): HTTP 200 "
                                  "[flapping: logged 9.0s late by the flood bound; 17 earlier "
                                  "changes not logged]"));
  now_ += seconds(60);
  log->Flush();
  EXPECT_TRUE(Lines().empty());
  log->Emit(Flip("UP", "DOWN"));  // the bucket refilled: logged at once
  EXPECT_EQ(Lines().size(), 1u);
}

TEST_F(EventLogTest, ALoggedChangeAfterHeldOnesCountsThem) {
  auto log = Make(LogFormat::kJson, {.burst = 1, .refill = seconds(10)});
  log->Emit(Flip("DOWN", "UP"));
  log->Emit(Flip("UP", "DOWN"));
  log->Emit(Flip("DOWN", "UP"));
  now_ += seconds(10);
  log->Emit(Flip("UP", "DOWN"));
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  const auto j = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(j["rsagent.suppressed"], 2);
  EXPECT_THAT(j["message"].get<std::string>(),
              HasSubstr("[flapping: 2 earlier changes not logged]"));
}

TEST_F(EventLogTest, AdminActionsAndStepsAreNeverThrottled) {
  auto log = Make(LogFormat::kText, {.burst = 1, .refill = seconds(10)});
  for (int i = 0; i < 5; ++i) {
    log->Emit(Event{.action = "config-reload", .subject = "reload", .reason = "reloaded"});
    log->Emit(
        Event{.action = "admin-override", .subject = "service web", .from = "none", .to = "drain"});
  }
  EXPECT_EQ(Lines().size(), 10u);
}

}  // namespace
}  // namespace rsagent::agent
