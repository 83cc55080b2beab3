#include "diagnose/rooted_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rsagent::agent::diagnose {

namespace {

constexpr size_t kMaxFileBytes = 1 << 20;

}  // namespace

Result<std::optional<std::string>> RootedFiles::Read(const std::string& path) const {
  const std::string full = root_ == "/" ? path : root_ + path;
  // O_NONBLOCK: a FIFO planted where a config file belongs must not hang us.
  const int fd = open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>{};
    return Error{path + ": " + std::strerror(errno)};
  }
  std::string text;
  char buffer[8192];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      close(fd);
      return Error{path + ": " + std::strerror(saved)};
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxFileBytes) {
      close(fd);
      return Error{path + ": larger than 1 MiB, not a config file"};
    }
  }
  close(fd);
  return std::optional<std::string>{std::move(text)};
}

Result<std::vector<std::string>> RootedFiles::List(const std::string& path) const {
  const std::string full = root_ == "/" ? path : root_ + path;
  DIR* dir = opendir(full.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) return std::vector<std::string>{};
    return Error{path + ": " + std::strerror(errno)};
  }
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace rsagent::agent::diagnose
