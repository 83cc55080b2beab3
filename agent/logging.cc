#include "agent/logging.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

namespace rsagent::agent {

bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  unsigned long dev = 0, ino = 0;
  if (std::sscanf(stream, "%lu:%lu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (fstat(2, &st) != 0) return false;
  return st.st_dev == dev && st.st_ino == ino;
}

std::shared_ptr<LogSink> SetupLogging(const std::string& level, const std::string& format) {
  auto sink =
      std::make_shared<LogSink>(format == "json" ? LogFormat::kJson : LogFormat::kText,
                                StderrIsJournal() ? TextStyle::kJournal : TextStyle::kTimestamped);
  auto logger = std::make_shared<spdlog::logger>("rsagent", sink);
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
  return sink;
}

}  // namespace rsagent::agent
