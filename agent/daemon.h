// `rsagent run`: the daemon's life cycle — DR set-up, probes, HTTP, signals.
#pragma once

#include <memory>
#include <string>

#include "agent/log_sink.h"
#include "conf/config.h"

namespace rsagent::agent {

struct DaemonOptions {
  std::string config_path;  // re-read on SIGHUP; empty for the embedded default
  std::string version;
  std::shared_ptr<LogSink> log_sink;  // from SetupLogging: where events go
};

// Runs until SIGTERM/SIGINT; returns the process exit code.
int RunDaemon(conf::Config config, const DaemonOptions& options);

}  // namespace rsagent::agent
