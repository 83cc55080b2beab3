#include "control/control_server.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "control/unix_socket.h"

namespace rsagent::agent {

namespace {

Status PrepareDirectory(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"control socket: mkdir " + dir + ": " + ec.message()};
  // Only root (and the group, for monitoring tools) may even reach the socket.
  if (chmod(dir.c_str(), 0750) != 0) {
    return Error{"control socket: chmod " + dir + ": " + ErrnoText(errno)};
  }
  return Status::Ok();
}

// A socket file nobody answers on is a leftover of a crash; one that
// answers belongs to a running agent, which must keep it.
Status RemoveStaleSocket(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return Status::Ok();
  if (!S_ISSOCK(st.st_mode)) {
    return Error{"control socket: " + path + " exists and is not a socket; remove it"};
  }
  if (ConnectUnix(path)) {
    return Error{"control socket: another agent is answering on " + path +
                 " (stop it first, or set agent.control_socket)"};
  }
  unlink(path.c_str());
  return Status::Ok();
}

Result<UniqueFd> Listen(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return Error{"control socket: path too long: " + path};
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error{"control socket: " + ErrnoText(errno)};
  // Created 0600 from the start: no window in which others could connect.
  const mode_t old_mask = umask(0177);
  const int bound = bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int bind_errno = errno;
  umask(old_mask);
  if (bound != 0) return Error{"control socket: bind " + path + ": " + ErrnoText(bind_errno)};
  if (listen(fd.get(), 16) != 0) return Error{"control socket: listen: " + ErrnoText(errno)};
  return fd;
}

}  // namespace

ControlServer::ControlServer(std::string path, ControlHandler handler, uid_t allowed_uid)
    : path_(std::move(path)), handler_(std::move(handler)), allowed_uid_(allowed_uid) {}

Result<std::unique_ptr<ControlServer>> ControlServer::Start(const std::string& path,
                                                            ControlHandler handler,
                                                            uid_t allowed_uid) {
  if (Status s = PrepareDirectory(path); !s) return Error{s.error()};
  if (Status s = RemoveStaleSocket(path); !s) return Error{s.error()};
  auto listener = Listen(path);
  if (!listener) return Error{listener.error()};
  std::unique_ptr<ControlServer> self(new ControlServer(path, std::move(handler), allowed_uid));
  self->listener_ = std::move(listener).value();
  self->stop_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!self->stop_.valid()) return Error{"control socket: eventfd: " + ErrnoText(errno)};
  self->thread_ = std::thread([raw = self.get()] { raw->Serve(); });
  return self;
}

ControlServer::~ControlServer() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof one);
    thread_.join();
  }
  unlink(path_.c_str());
}

void ControlServer::Serve() {
  for (;;) {
    pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      spdlog::error("control socket: poll: {}", ErrnoText(errno));
      return;
    }
    if (fds[1].revents) return;
    UniqueFd conn(accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (conn.valid()) ServeOne(conn.get());
  }
}

void ControlServer::ServeOne(int fd) {
  ControlResponse response;
  // The request is read before the caller is judged: closing with unread
  // data would reset the connection and lose the refusal's explanation.
  auto line = ReadLine(fd, kMaxControlLine, Clock::now() + kControlIoTimeout);
  ucred peer{};
  socklen_t length = sizeof peer;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) {
    response.message = "cannot identify the caller: " + ErrnoText(errno);
  } else if (peer.uid != allowed_uid_) {
    spdlog::warn("control socket: refused uid {} (pid {})", peer.uid, peer.pid);
    response.message = "permission denied: the control socket is for root only (you are uid " +
                       std::to_string(peer.uid) + ")";
  } else if (!line) {
    response.message = "reading the request: " + line.error();
  } else if (auto request = DecodeRequest(*line); !request) {
    response.message = "bad request: " + request.error();
  } else {
    response = handler_(*request);
  }
  if (Status s = WriteAll(fd, EncodeResponse(response), Clock::now() + kControlIoTimeout); !s) {
    spdlog::warn("control socket: answering: {}", s.error());
  }
}

}  // namespace rsagent::agent
