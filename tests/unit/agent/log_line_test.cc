#include "agent/log_line.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;
using SysTime = std::chrono::system_clock::time_point;

// 2026-12-01T08:30:00.123Z
const SysTime kAt{milliseconds(1'796'113'800'123)};

// Runs `body` with TZ set, restoring the previous zone.
template <typename F>
void InZone(const char* tz, F body) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", tz, 1);
  tzset();
  body();
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(LogLine, TextUnderJournaldCarriesThePriorityAndNoTimestamp) {
  LogLine line{.time = kAt, .level = spdlog::level::warn, .message = "reload rejected: x"};
  EXPECT_EQ(FormatText(line, TextStyle::kJournal), "<4>warning: reload rejected: x\n");
  line.level = spdlog::level::err;
  EXPECT_EQ(FormatText(line, TextStyle::kJournal), "<3>error: reload rejected: x\n");
  line.level = spdlog::level::info;
  EXPECT_EQ(FormatText(line, TextStyle::kJournal), "<6>info: reload rejected: x\n");
  line.level = spdlog::level::debug;
  EXPECT_EQ(FormatText(line, TextStyle::kJournal), "<7>debug: reload rejected: x\n");
}

TEST(LogLine, SyslogPriorities) {
  EXPECT_EQ(SyslogPriority(spdlog::level::trace), 7);
  EXPECT_EQ(SyslogPriority(spdlog::level::debug), 7);
  EXPECT_EQ(SyslogPriority(spdlog::level::info), 6);
  EXPECT_EQ(SyslogPriority(spdlog::level::warn), 4);
  EXPECT_EQ(SyslogPriority(spdlog::level::err), 3);
  EXPECT_EQ(SyslogPriority(spdlog::level::critical), 2);
}

TEST(LogLine, TextElsewhereHasAnRfc3339TimestampWithZone) {
  const LogLine line{.time = kAt, .level = spdlog::level::info, .message = "hello"};
  InZone("UTC0", [&] {
    EXPECT_EQ(FormatText(line, TextStyle::kTimestamped),
              "2026-12-01T08:30:00.123+00:00 info hello\n");
  });
  InZone("CET-1", [&] {
    EXPECT_EQ(FormatText(line, TextStyle::kTimestamped),
              "2026-12-01T09:30:00.123+01:00 info hello\n");
  });
  InZone("<-0330>3:30", [&] { EXPECT_EQ(Rfc3339Local(kAt), "2026-12-01T05:00:00.123-03:30"); });
  EXPECT_EQ(Rfc3339Utc(kAt), "2026-12-01T08:30:00.123Z");
}

TEST(LogLine, JsonHasEcsFields) {
  const LogFields fields{.action = "probe-state-change",
                         .probe = "nginx",
                         .from = "UP",
                         .to = "DOWN",
                         .reason = "HTTP 502",
                         .previous_state_seconds = 12.5};
  const LogLine line{.time = kAt,
                     .level = spdlog::level::warn,
                     .message = "probe nginx UP -> DOWN",
                     .fields = &fields};
  EXPECT_EQ(FormatJson(line),
            R"({"@timestamp":"2026-12-01T08:30:00.123Z","ecs.version":"8.11.0",)"
            R"("event.action":"probe-state-change","log.level":"warn",)"
            R"("message":"probe nginx UP -> DOWN","rsagent.from":"UP",)"
            R"("rsagent.previous_state_seconds":12.5,"rsagent.probe":"nginx",)"
            R"("rsagent.reason":"HTTP 502","rsagent.to":"DOWN","service.name":"rsagent"})"
            "\n");
}

TEST(LogLine, JsonWithoutFieldsHasTheBaseOnly) {
  const LogLine line{.time = kAt, .level = spdlog::level::err, .message = "cannot bind"};
  const auto j = nlohmann::json::parse(FormatJson(line));
  EXPECT_EQ(j.size(), 5u);
  EXPECT_EQ(j["log.level"], "error");
  EXPECT_EQ(j["message"], "cannot bind");
}

TEST(LogLine, JsonUnderJournaldCarriesThePriorityBeforeTheObject) {
  const LogFields fields{.action = "service-state-change", .service = "web"};
  const LogLine line{.time = kAt,
                     .level = spdlog::level::warn,
                     .message = "service web UP -> DOWN",
                     .fields = &fields};
  const std::string journal = FormatLine(line, LogFormat::kJson, TextStyle::kJournal);
  ASSERT_TRUE(journal.starts_with("<4>{")) << journal;
  EXPECT_EQ(journal.substr(3), FormatJson(line));
  EXPECT_EQ(FormatLine(line, LogFormat::kJson, TextStyle::kTimestamped), FormatJson(line));
  EXPECT_EQ(FormatLine(line, LogFormat::kText, TextStyle::kJournal),
            FormatText(line, TextStyle::kJournal));
}

TEST(LogLine, HostileTextCannotBreakALineOrAField) {
  const std::string hostile = "a\"b\\c\nd\re\x01\x1b[31m\x7f}{\"log.level\":\"debug\"\xff\xc3";
  const LogFields fields{.action = "probe-state-change", .reason = hostile};
  const LogLine line{
      .time = kAt, .level = spdlog::level::warn, .message = hostile, .fields = &fields};

  const std::string json = FormatJson(line);
  EXPECT_EQ(json.find('\n'), json.size() - 1);
  const auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["log.level"], "warn");
  EXPECT_EQ(j.size(), 7u);  // the 5 base fields, action and reason: none forged
  EXPECT_THAT(j["rsagent.reason"].get<std::string>(),
              testing::StartsWith("a\"b\\c\\nd\\re\\x01\\x1b[31m\\x7f}{\"log.level\""));
  EXPECT_EQ(j["message"], j["rsagent.reason"]);

  for (TextStyle style : {TextStyle::kJournal, TextStyle::kTimestamped}) {
    const std::string text = FormatText(line, style);
    EXPECT_EQ(text.find('\n'), text.size() - 1);
    EXPECT_EQ(text.find('\r'), std::string::npos);
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    EXPECT_THAT(text, testing::HasSubstr("a\"b\\c\\nd\\re\\x01\\x1b[31m\\x7f}"));
  }
}

// Seeded random bytes as reason and message: every JSON line parses, is one
// line, keeps its fields, and each text line is one line without control
// bytes. The seed is printed so a failure replays (RSAGENT_SEED=...).
TEST(LogLine, RandomBytesNeverBreakALine) {
  const char* env = std::getenv("RSAGENT_SEED");
  const uint64_t seed = env ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::printf("seed %llu (RSAGENT_SEED=%llu to replay)\n", static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(rng() % 200, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    const LogFields fields{.action = "service-state-change", .service = bytes, .reason = bytes};
    const LogLine line{
        .time = kAt, .level = spdlog::level::warn, .message = bytes, .fields = &fields};
    const std::string json = FormatJson(line);
    ASSERT_EQ(json.find('\n'), json.size() - 1) << "round " << round;
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(json)) << "round " << round << ": " << json;
    ASSERT_EQ(j["event.action"], "service-state-change");
    ASSERT_EQ(j["service.name"], "rsagent");
    ASSERT_EQ(j["log.level"], "warn");
    ASSERT_EQ(j["message"], j.value("rsagent.reason", ""));
    for (TextStyle style : {TextStyle::kJournal, TextStyle::kTimestamped}) {
      const std::string text = FormatText(line, style);
      ASSERT_EQ(text.find('\n'), text.size() - 1) << "round " << round;
      for (size_t i = 0; i + 1 < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        ASSERT_TRUE(c >= 0x20 && c != 0x7f) << "round " << round << " byte " << i;
      }
    }
  }
}

}  // namespace
}  // namespace rsagent::agent
