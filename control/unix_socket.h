// AF_UNIX stream helpers shared by the control server and client.
#pragma once

#include <string>

#include "common/result.h"
#include "common/socket.h"

namespace rsagent::agent {

// A non-blocking, close-on-exec AF_UNIX stream socket connected to `path`.
// Connecting to a unix socket never waits for the peer, so no deadline.
// On failure `*error_number` (when given) is the errno, for callers' hints.
Result<UniqueFd> ConnectUnix(const std::string& path, int* error_number = nullptr);

// Reads until '\n' (excluded from the result), end of stream or `limit`
// bytes, whichever first; all by `deadline`.
Result<std::string> ReadLine(int fd, size_t limit, Clock::time_point deadline);

}  // namespace rsagent::agent
