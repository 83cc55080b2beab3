// Test helper: the epoll descriptors this process holds, to make a loop's
// epoll_wait fail for real (close its descriptor) without a seam in the code.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace rsagent::agent {

inline std::vector<int> EpollFds() {
  std::vector<int> fds;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(entry.path(), ec).string() == "anon_inode:[eventpoll]") {
      fds.push_back(std::stoi(entry.path().filename().string()));
    }
  }
  return fds;
}

// The epoll descriptors opened since `before` was taken.
inline std::vector<int> EpollFdsSince(const std::vector<int>& before) {
  std::vector<int> added;
  for (int fd : EpollFds()) {
    if (std::find(before.begin(), before.end(), fd) == before.end()) added.push_back(fd);
  }
  return added;
}

}  // namespace rsagent::agent
