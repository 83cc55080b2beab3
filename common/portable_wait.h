// Waiting on a std::condition_variable without its wait() member: GCC 12's
// libstdc++ versions condition_variable::wait() GLIBCXX_3.4.30, newer than
// RHEL 9's libstdc++ (3.4.29), so a binary calling it does not start there
// (tests/integration/packaging/portable_test.sh). wait_for() is inline over
// pthread_cond_clockwait (GLIBC 2.30), so waiting in slices of it is portable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rsagent {

template <typename Predicate>
void WaitPortably(std::condition_variable &cv, std::unique_lock<std::mutex> &lock, Predicate done) {
  while (!cv.wait_for(lock, std::chrono::hours(1), done)) {
  }
}

}  // namespace rsagent
