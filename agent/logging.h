// Logging set-up: every line (spdlog's and the events') goes through one
// LogSink on stderr in [agent] log_format; text under journald carries
// sd-daemon priority prefixes instead of a timestamp (journald adds its own).
#pragma once

#include <memory>
#include <string>

#include "agent/log_sink.h"

namespace rsagent::agent {

// Makes spdlog's default logger write through a new LogSink, which it
// returns (events write to the same sink). `format` is "text" or "json".
std::shared_ptr<LogSink> SetupLogging(const std::string& level, const std::string& format);

// True when stderr is connected to journald ($JOURNAL_STREAM matches fd 2).
bool StderrIsJournal();

}  // namespace rsagent::agent
