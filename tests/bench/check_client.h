// One health check the way a director sends it: keepalived's HTTP_GET (a new
// connection, HTTP/1.0, read until the server closes), HAProxy with a kept
// connection (HTTP/1.1 keep-alive), HAProxy's agent-check (one line each
// way), or keepalived's MISC_CHECK (fork a command, its exit code is the
// verdict).
#pragma once

#include <string>
#include <vector>

#include "common/socket.h"

namespace rsagent::bench {

// The HTTP status code, or an error (refused, timed out, malformed).
Result<int> CheckOnNewConnection(const Endpoint& endpoint, const std::string& path,
                                 Clock::time_point deadline);

class KeepAliveChecker {
 public:
  KeepAliveChecker(Endpoint endpoint, std::string path)
      : endpoint_(endpoint), path_(std::move(path)) {}

  // Reuses the connection while the server keeps it open, else reconnects.
  Result<int> Check(Clock::time_point deadline);

 private:
  Result<int> ReadResponse(Clock::time_point deadline);

  Endpoint endpoint_;
  std::string path_;
  UniqueFd fd_;
};

// HAProxy's agent-check: a new connection, `line` written (agent-send), the
// one-line answer read until the agent closes. 0 for "up ...", 1 for any
// other answer (drain, maint, down), an error for none.
Result<int> AgentCheck(const Endpoint& endpoint, const std::string& line,
                       Clock::time_point deadline);

// Forks and execs argv (stdout and stderr to /dev/null); its exit code.
Result<int> RunCommand(const std::vector<std::string>& argv, Clock::time_point deadline);

}  // namespace rsagent::bench
