#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "common/socket.h"

namespace rsagent {

namespace {

Status WriteFully(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{ErrnoText(errno)};
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status FsyncPath(const std::string& path, int flags) {
  UniqueFd fd(open(path.c_str(), flags | O_CLOEXEC));
  if (!fd.valid()) return Error{"open " + path + ": " + ErrnoText(errno)};
  if (fsync(fd.get()) != 0) return Error{"fsync " + path + ": " + ErrnoText(errno)};
  return Status::Ok();
}

}  // namespace

Status ReplaceFileAtomically(const std::string& dir, const std::string& path,
                             const std::string& content, mode_t mode) {
  if (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Error{"mkdir " + dir + ": " + ErrnoText(errno)};
  }
  const std::string temp = path + ".tmp";
  {
    UniqueFd fd(open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd.valid()) return Error{"open " + temp + ": " + ErrnoText(errno)};
    if (Status s = WriteFully(fd.get(), content); !s) {
      return Error{"write " + temp + ": " + s.error()};
    }
    if (fsync(fd.get()) != 0) return Error{"fsync " + temp + ": " + ErrnoText(errno)};
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return Error{"rename " + temp + ": " + ErrnoText(errno)};
  }
  // The rename is durable only once the directory entry is.
  return FsyncPath(dir, O_RDONLY | O_DIRECTORY);
}

Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0 && errno == ENOENT) return std::optional<std::string>();
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot be read"};
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{path + ": read failed"};
  return std::optional<std::string>(text.str());
}

}  // namespace rsagent
