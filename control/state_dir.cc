#include "control/state_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "control/trusted_dir.h"

namespace rsagent::agent {

namespace {

constexpr const char* kLockName = "rsagent.lock";

// The holder's pid, written into the lock file, for the refusal's message.
std::string HolderPid(int fd) {
  char buffer[32] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid(buffer, n > 0 ? static_cast<size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == '\0')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

Status RecordPid(int fd, const std::string& lock_path) {
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()) || fsync(fd) != 0) {
    return Error{"state_dir cannot be written: " + lock_path + ": " + ErrnoDetail(errno) +
                 " — drains could not be persisted; fix the file system or choose another "
                 "agent.state_dir"};
  }
  return Status::Ok();
}

}  // namespace

Result<StateDir> StateDir::Claim(const std::string& path, uid_t owner) {
  if (Status s = EnsureTrustedDir(path, {.mode = 0750, .owner = owner, .what = "state_dir"}); !s) {
    return Error{"state_dir: " + s.error()};
  }
  UniqueFd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return Error{"state_dir: open " + path + ": " + ErrnoDetail(errno)};
  const std::string lock_path = path + "/" + kLockName;
  // O_NONBLOCK: a FIFO planted here must not hang the start.
  UniqueFd lock(
      openat(dir.get(), kLockName, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0640));
  if (!lock.valid()) {
    const int error = errno;
    return Error{"state_dir cannot be written: open " + lock_path + ": " + ErrnoDetail(error) +
                 (error == EROFS || error == ENOSPC || error == EACCES
                      ? " — drains could not be persisted; fix the file system or choose another "
                        "agent.state_dir"
                      : "")};
  }
  struct stat st;
  if (fstat(lock.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error{"state_dir: " + lock_path + " is not a regular file; remove it"};
  }
  if (flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Error{"state_dir " + path + " belongs to a running agent (pid " +
                   HolderPid(lock.get()) + ", " + lock_path +
                   " is locked): stop it first, or give this one its own agent.state_dir"};
    }
    return Error{"state_dir: flock " + lock_path + ": " + ErrnoDetail(errno)};
  }
  RETURN_IF_ERROR(RecordPid(lock.get(), lock_path));
  return StateDir(path, std::move(dir), std::move(lock));
}

}  // namespace rsagent::agent
