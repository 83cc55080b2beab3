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

#include "common/portable_wait.h"
#include "control/trusted_dir.h"
#include "control/unix_socket.h"

namespace rsagent::agent {

namespace {

// Best effort, never blocks: for refusals sent before a connection is served.
void AnswerAtOnce(int fd, const std::string& message) {
  const std::string line = EncodeResponse(ControlResponse{.message = message});
  (void)!send(fd, line.data(), line.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
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
  if (listen(fd.get(), 2 * kMaxControlClients) != 0)
    return Error{"control socket: listen: " + ErrnoText(errno)};
  return fd;
}

}  // namespace

Status PrepareControlSocketDirectory(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) return Error{"control socket: " + path + ": not an absolute path"};
  // Only root (and the group, for monitoring tools) may even reach the socket.
  Status s = EnsureTrustedDir(
      dir,
      {.mode = 0750, .owner = geteuid(), .allow_sticky = true, .what = "control socket directory"});
  if (!s) return Error{"control socket: " + s.error()};
  return Status::Ok();
}

ControlServer::ControlServer(std::string path, ControlHandler handler, uid_t allowed_uid)
    : path_(std::move(path)), handler_(std::move(handler)), allowed_uid_(allowed_uid) {}

Result<std::unique_ptr<ControlServer>> ControlServer::Start(const std::string& path,
                                                            ControlHandler handler,
                                                            uid_t allowed_uid) {
  RETURN_IF_ERROR(PrepareControlSocketDirectory(path));
  RETURN_IF_ERROR(RemoveStaleSocket(path));
  ASSIGN_OR_RETURN(auto listener, Listen(path));
  std::unique_ptr<ControlServer> self(new ControlServer(path, std::move(handler), allowed_uid));
  self->listener_ = std::move(listener);
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
  std::unique_lock lock(mu_);
  WaitPortably(idle_, lock, [this] { return active_ == 0; });
  lock.unlock();
  unlink(path_.c_str());
}

void ControlServer::Serve() {
  for (;;) {
    pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      spdlog::error("control socket: poll: {}; admin commands no longer work", ErrnoDetail(errno));
      return;
    }
    if (fds[1].revents) return;
    UniqueFd conn(accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!conn.valid()) {
      if (!AcceptFailed(errno)) return;
      continue;
    }
    std::lock_guard lock(mu_);
    if (active_ >= kMaxControlClients) {
      AnswerAtOnce(conn.get(), "busy: " + std::to_string(kMaxControlClients) +
                                   " control connections in progress; try again");
      continue;
    }
    ++active_;
    std::thread([this, fd = conn.Release()] {
      {
        UniqueFd owned(fd);
        ServeOne(owned.get());
      }
      std::lock_guard done(mu_);
      --active_;
      idle_.notify_all();
    }).detach();
  }
}

bool ControlServer::AcceptFailed(int error) {
  switch (error) {
    case EINTR:
    case EAGAIN:
    case ECONNABORTED:
    case EPROTO:
      return true;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM: {
      // The pending connection stays queued and poll() reports it again at
      // once: without a pause this loop would spin on a core.
      spdlog::error("control socket: accept: {}; retrying in 100 ms", ErrnoDetail(error));
      pollfd stop{stop_.get(), POLLIN, 0};
      return poll(&stop, 1, 100) == 0;
    }
    default:
      spdlog::error("control socket: accept: {}; admin commands no longer work",
                    ErrnoDetail(error));
      return false;
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
  } else if (DeadlinePassed(*request, std::chrono::system_clock::now())) {
    spdlog::warn("control socket: {} not done: it arrived after its deadline",
                 ControlCommandName(request->command));
    response = DeadlinePassedResponse(*request);
  } else {
    response = handler_(*request);
  }
  if (Status s = WriteAll(fd, EncodeResponse(response), Clock::now() + kControlIoTimeout); !s) {
    spdlog::warn("control socket: answering: {}", s.error());
  }
}

}  // namespace rsagent::agent
