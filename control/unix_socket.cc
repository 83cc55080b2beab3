#include "control/unix_socket.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

namespace rsagent::agent {

Result<UniqueFd> ConnectUnix(const std::string& path, int* error_number) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return Error{path + ": path too long for a socket"};
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error{"socket: " + ErrnoText(errno)};
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (error_number) *error_number = errno;
    return Error{ErrnoText(errno)};
  }
  return fd;
}

Result<std::string> ReadLine(int fd, size_t limit, Clock::time_point deadline) {
  std::string line;
  char buffer[4096];
  for (;;) {
    auto n = ReadSome(fd, buffer, sizeof buffer, deadline);
    RETURN_IF_ERROR(n);
    if (*n == 0) return line;
    line.append(buffer, *n);
    if (auto end = line.find('\n'); end != std::string::npos) {
      line.resize(end);
      return line;
    }
    if (line.size() > limit) return Error{"line longer than " + std::to_string(limit) + " bytes"};
  }
}

}  // namespace rsagent::agent
