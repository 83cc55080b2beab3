#include "agent/log_sink.h"

#include <errno.h>
#include <unistd.h>

namespace rsagent::agent {

LogSink::LogSink(LogFormat format, TextStyle style, int fd)
    : format_(format), style_(style), fd_(fd) {}

void LogSink::Write(const LogLine& line) {
  std::lock_guard lock(mutex_);
  WriteLocked(line);
}

void LogSink::sink_it_(const spdlog::details::log_msg& msg) {
  WriteLocked(LogLine{.time = msg.time,
                      .level = msg.level,
                      .message = std::string_view(msg.payload.data(), msg.payload.size())});
}

void LogSink::WriteLocked(const LogLine& line) {
  const std::string text = FormatLine(line, format_, style_);
  // One write per line (atomic on a pipe up to PIPE_BUF); a short write is
  // continued, a failing stderr is given up on: logging never stops the agent.
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace rsagent::agent
