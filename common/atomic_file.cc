#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/socket.h"

namespace rsagent {

namespace {

// 0 or the errno.
int WriteFully(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    done += static_cast<size_t>(n);
  }
  return 0;
}

Status FsyncPath(const std::string& path, int flags) {
  UniqueFd fd(open(path.c_str(), flags | O_CLOEXEC));
  if (!fd.valid()) return Error{"open " + path + ": " + ErrnoDetail(errno)};
  if (fsync(fd.get()) != 0) return Error{"fsync " + path + ": " + ErrnoDetail(errno)};
  return Status::Ok();
}

}  // namespace

Status ReplaceFileAtomically(const std::string& dir, const std::string& path,
                             const std::string& content, mode_t mode) {
  if (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Error{"mkdir " + dir + ": " + ErrnoDetail(errno)};
  }
  const std::string temp = path + ".tmp";
  // A stale temporary (a crash mid-write) or anything planted under its name
  // goes first — unlink removes a link, never its target — so the exclusive,
  // no-follow create below cannot write through it.
  if (unlink(temp.c_str()) != 0 && errno != ENOENT) {
    return Error{"unlink " + temp + ": " + ErrnoDetail(errno)};
  }
  auto fail = [&temp](const std::string& what, int error) {
    unlink(temp.c_str());
    return Error{what + " " + temp + ": " + ErrnoDetail(error)};
  };
  {
    UniqueFd fd(open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd.valid()) return Error{"open " + temp + ": " + ErrnoDetail(errno)};
    if (int error = WriteFully(fd.get(), content); error != 0) return fail("write", error);
    if (fsync(fd.get()) != 0) return fail("fsync", errno);
  }
  if (rename(temp.c_str(), path.c_str()) != 0) return fail("rename", errno);
  // The rename is durable only once the directory entry is.
  return FsyncPath(dir, O_RDONLY | O_DIRECTORY);
}

Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) {
  // No link is followed; O_NONBLOCK so a FIFO in its place cannot hang the
  // caller (it is refused below, as anything but a regular file is).
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return std::optional<std::string>();
    if (errno == ELOOP) return Error{path + ": is a symbolic link; refusing to follow it"};
    return Error{path + ": cannot be read: " + ErrnoDetail(errno)};
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Error{path + ": " + ErrnoDetail(errno)};
  if (!S_ISREG(st.st_mode)) return Error{path + ": not a regular file"};
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{path + ": cannot be read: " + ErrnoDetail(errno)};
    if (n == 0) return std::optional<std::string>(std::move(text));
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxStateFile) {
      return Error{path + ": larger than " + std::to_string(kMaxStateFile) + " bytes"};
    }
  }
}

}  // namespace rsagent
