// File descriptors and TCP sockets with deadlines. Every call that can block
// takes an absolute deadline on the monotonic clock and gives up when it
// passes, so no caller can hang on a slow or silent peer.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/ip_address.h"
#include "common/result.h"

namespace rsagent {

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

// "connection refused", from errno values.
std::string ErrnoText(int error);
// "read-only file system (EROFS)": the text and the errno's name, for errors
// an operator searches for.
std::string ErrnoDetail(int error);

// Milliseconds from now until `deadline`, rounded up, never negative; the
// unit poll(2) takes.
int MillisUntil(Clock::time_point deadline);

// Starts a non-blocking, close-on-exec connect to `endpoint`; the socket is
// writable once the handshake ends (see FinishConnect). Lets a caller run
// many connects at once in one poll loop.
Result<UniqueFd> StartConnect(const Endpoint& endpoint);

// After StartConnect's socket polled writable: the handshake's outcome.
Status FinishConnect(int fd);

// Connects or fails by `deadline` ("timed out"). The socket stays non-blocking.
Result<UniqueFd> ConnectTcp(const Endpoint& endpoint, Clock::time_point deadline);

// Waits until `fd` has one of `events` (POLLIN, POLLOUT) ready. Error
// "timed out" when the deadline passes first.
Status WaitFd(int fd, short events, Clock::time_point deadline);

// Writes all of `data` to a non-blocking fd.
Status WriteAll(int fd, std::string_view data, Clock::time_point deadline);

// Reads what is available (at most `size` bytes) from a non-blocking fd,
// waiting for the first byte; 0 means end of stream.
Result<size_t> ReadSome(int fd, char* buffer, size_t size, Clock::time_point deadline);

}  // namespace rsagent
