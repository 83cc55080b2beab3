// Test helper: a process out of descriptors, for real. While an
// OutOfDescriptors lives, RLIMIT_NOFILE is low and every descriptor below it
// is taken, so accept4/open fail with EMFILE; it restores both on Release()
// or destruction. ProcessCpuSeconds tells a loop that spins from one that
// pauses.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/socket.h"

// The sanitizers' runtime needs descriptors of its own: UBSan's vptr check
// tests memory through a pipe (sanitizer_common's IsAccessibleMemoryRange),
// and with none left it reports an "invalid vptr" on a sound virtual call
// (asan.unit: spdlog's pattern_formatter). Such tests run in the plain build.
#if defined(__SANITIZE_ADDRESS__)
#define RSAGENT_SKIP_WHEN_SANITIZED() \
  GTEST_SKIP() << "out of descriptors, the sanitizer runtime itself fails"
#else
#define RSAGENT_SKIP_WHEN_SANITIZED() static_cast<void>(0)
#endif

namespace rsagent {

class OutOfDescriptors {
 public:
  OutOfDescriptors() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit low = saved_;
    low.rlim_cur = 256;
    setrlimit(RLIMIT_NOFILE, &low);
    for (;;) {
      UniqueFd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
      if (!fd.valid()) break;
      fillers_.push_back(std::move(fd));
    }
  }
  ~OutOfDescriptors() { Release(); }
  void Release() {
    fillers_.clear();
    setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  rlimit saved_{};
  std::vector<UniqueFd> fillers_;
};

inline double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// The CPU the process (its server threads: the test's sleeps) used in `wait`.
inline double CpuSecondsWhileSleeping(std::chrono::milliseconds wait) {
  const double before = ProcessCpuSeconds();
  std::this_thread::sleep_for(wait);
  return ProcessCpuSeconds() - before;
}

// One read of what a server answered on `fd`, waiting at most 5 s.
inline std::string FirstBytes(int fd) {
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[64] = {};
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

}  // namespace rsagent
