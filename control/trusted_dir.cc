#include "control/trusted_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/socket.h"

namespace rsagent::agent {

namespace {

bool OthersMayWrite(const struct stat& st) { return (st.st_mode & (S_IWGRP | S_IWOTH)) != 0; }

std::string Octal(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

// An ancestor may be shared (/tmp) only if the sticky bit keeps others from
// renaming what they do not own.
Status CheckAncestor(const std::string& dir, const TrustedDirOptions& options) {
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) return Error{"stat " + dir + ": " + ErrnoDetail(errno)};
  if (st.st_uid != 0 && st.st_uid != options.owner) {
    return Error{dir + " (above the " + std::string(options.what) + ") is owned by uid " +
                 std::to_string(st.st_uid) + ", not root: that user could replace it"};
  }
  if (OthersMayWrite(st) && !(st.st_mode & S_ISVTX)) {
    return Error{dir + " (above the " + std::string(options.what) + ") has mode " +
                 Octal(st.st_mode) + ": writable by others without the sticky bit"};
  }
  return Status::Ok();
}

Status CheckLeaf(const std::string& path, const TrustedDirOptions& options) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Error{"stat " + path + ": " + ErrnoDetail(errno)};
  if (!S_ISDIR(st.st_mode)) return Error{path + " is not a directory"};
  if (st.st_uid != options.owner) {
    return Error{path + " is owned by uid " + std::to_string(st.st_uid) + ", not uid " +
                 std::to_string(options.owner) +
                 ": another user could replace what the agent keeps there (chown it or choose "
                 "another directory)"};
  }
  if (OthersMayWrite(st) && !(options.allow_sticky && (st.st_mode & S_ISVTX))) {
    return Error{path + " has mode " + Octal(st.st_mode) +
                 ": writable by group or others (chmod go-w it or choose another directory)"};
  }
  return Status::Ok();
}

// mkdir + exact mode (the umask would narrow it); only for what we create.
Status MakeDir(const std::string& path, mode_t mode) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) return Status::Ok();  // checked, never changed
  if (mkdir(path.c_str(), 0700) != 0) {
    if (errno == EEXIST) return Status::Ok();
    return Error{"mkdir " + path + ": " + ErrnoDetail(errno)};
  }
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid() || fchmod(fd.get(), mode) != 0) {
    return Error{"chmod " + path + ": " + ErrnoDetail(errno)};
  }
  return Status::Ok();
}

}  // namespace

Status EnsureTrustedDir(const std::string& path, const TrustedDirOptions& options) {
  std::string clean = std::filesystem::path(path).lexically_normal().string();
  if (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  const std::filesystem::path leaf = clean;
  if (!leaf.is_absolute()) return Error{std::string(options.what) + " " + path + ": not absolute"};
  std::filesystem::path dir = "/";
  for (auto part = std::next(leaf.begin()); part != leaf.end(); ++part) {
    if (Status s = CheckAncestor(dir.string(), options); !s) return s;
    dir /= *part;
    if (Status s = MakeDir(dir.string(), dir == leaf ? options.mode : 0755); !s) return s;
  }
  return CheckLeaf(clean, options);
}

}  // namespace rsagent::agent
