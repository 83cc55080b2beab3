// Where every log line goes: stderr, in the configured format. spdlog's
// logger writes its messages through it; events (agent/event_log.h) add
// their structured fields by writing here directly. One mutex orders both.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <mutex>

#include "agent/log_line.h"

namespace rsagent::agent {

class LogSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Writes to `fd` (stderr in the daemon; a pipe in tests).
  LogSink(LogFormat format, TextStyle style, int fd = 2);

  void Write(const LogLine& line);

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override {}

 private:
  void WriteLocked(const LogLine& line);

  LogFormat format_;
  TextStyle style_;
  int fd_;
};

}  // namespace rsagent::agent
