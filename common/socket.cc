#include "common/socket.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace rsagent {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) Reset(other.Release());
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
}

std::string ErrnoText(int error) {
  std::string text = strerror(error);
  // strerror says "Connection refused"; reasons read better in lower case.
  if (!text.empty()) text[0] = static_cast<char>(tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string ErrnoDetail(int error) {
  const char* name = strerrorname_np(error);
  return ErrnoText(error) + " (" + (name ? name : std::to_string(error)) + ")";
}

int MillisUntil(Clock::time_point deadline) {
  auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

namespace {

socklen_t ToSockaddr(const Endpoint& endpoint, sockaddr_storage* storage) {
  memset(storage, 0, sizeof(*storage));
  if (endpoint.address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(endpoint.port);
    memcpy(&sin->sin_addr, endpoint.address.bytes(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(storage);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(endpoint.port);
  memcpy(&sin6->sin6_addr, endpoint.address.bytes(), 16);
  return sizeof(sockaddr_in6);
}

}  // namespace

Result<UniqueFd> StartConnect(const Endpoint& endpoint) {
  UniqueFd fd(socket(endpoint.address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error{"socket: " + ErrnoText(errno)};
  sockaddr_storage address;
  socklen_t length = ToSockaddr(endpoint, &address);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 &&
      errno != EINPROGRESS) {
    return Error{ErrnoText(errno)};
  }
  return fd;
}

Status FinishConnect(int fd) {
  int error = 0;
  socklen_t length = sizeof(error);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) return Error{ErrnoText(error)};
  return Status::Ok();
}

Result<UniqueFd> ConnectTcp(const Endpoint& endpoint, Clock::time_point deadline) {
  auto fd = StartConnect(endpoint);
  if (!fd.ok()) return fd;
  RETURN_IF_ERROR(WaitFd(fd->get(), POLLOUT, deadline));
  RETURN_IF_ERROR(FinishConnect(fd->get()));
  return fd;
}

Status WaitFd(int fd, short events, Clock::time_point deadline) {
  pollfd entry{fd, events, 0};
  while (true) {
    int n = poll(&entry, 1, MillisUntil(deadline));
    if (n > 0) return Status::Ok();  // errors and hangups surface in the next call
    if (n == 0) return Error{"timed out"};
    if (errno != EINTR) return Error{"poll: " + ErrnoText(errno)};
  }
}

Status WriteAll(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (Status ready = WaitFd(fd, POLLOUT, deadline); !ready.ok()) return ready;
    } else {
      return Error{"send: " + ErrnoText(errno)};
    }
  }
  return Status::Ok();
}

Result<size_t> ReadSome(int fd, char* buffer, size_t size, Clock::time_point deadline) {
  while (true) {
    ssize_t n = read(fd, buffer, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return Error{"read: " + ErrnoText(errno)};
    RETURN_IF_ERROR(WaitFd(fd, POLLIN, deadline));
  }
}

}  // namespace rsagent
