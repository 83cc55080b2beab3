#include "agent/log_sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace rsagent::agent {
namespace {

std::string Drain(int fd) {
  char buf[4096];
  const ssize_t n = read(fd, buf, sizeof buf);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

// spdlog's messages go through the sink in the configured format.
TEST(LogSink, SpdlogMessagesTakeTheConfiguredFormat) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK), 0);
  {
    auto sink = std::make_shared<LogSink>(LogFormat::kText, TextStyle::kJournal, fds[1]);
    spdlog::logger logger("t", sink);
    logger.warn("reload rejected: {}", "t.toml:3:1: bad\nsecond line");
    logger.debug("below the level");
    EXPECT_EQ(Drain(fds[0]), "<4>warning: reload rejected: t.toml:3:1: bad\\nsecond line\n");
  }
  {
    // Under journald the object follows the priority prefix.
    auto sink = std::make_shared<LogSink>(LogFormat::kJson, TextStyle::kJournal, fds[1]);
    spdlog::logger logger("t", sink);
    logger.error("cannot bind {}", "0.0.0.0:9480");
    const std::string line = Drain(fds[0]);
    ASSERT_TRUE(line.starts_with("<3>{")) << line;
    const auto j = nlohmann::json::parse(line.substr(3));
    EXPECT_EQ(j["message"], "cannot bind 0.0.0.0:9480");
    EXPECT_EQ(j["log.level"], "error");
    EXPECT_FALSE(j.contains("event.action"));
  }
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace rsagent::agent
