#include "http/agent_check_server.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <string>

#include "http/agent_check_reply.h"
#include "http/tcp_listener.h"

namespace rsagent::agent {

namespace {

constexpr size_t kMaxLine = 256;
constexpr int kSweepMillis = 50;
// Out of descriptors or memory, the listener leaves the epoll set this long
// (the connection stays queued; asking again at once would spin on a core).
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

struct Pending {
  UniqueFd fd;
  std::string in;
  Clock::time_point deadline;
};

bool Allowed(const std::vector<Cidr>& allow, const IpAddress& peer) {
  return std::any_of(allow.begin(), allow.end(), [&](const Cidr& c) { return c.Contains(peer); });
}

// The answer is a few dozen bytes: it fits the empty send buffer of a new
// connection, so one non-blocking write is enough. SHUT_WR then close: the
// answer is not cut by a reset.
void Answer(int fd, const std::string& request, const Snapshot& snapshot) {
  const std::string reply = AgentCheckReply(request, snapshot);
  (void)!send(fd, reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  shutdown(fd, SHUT_WR);
}

}  // namespace

Result<std::unique_ptr<AgentCheckServer>> AgentCheckServer::Start(const AgentCheckOptions& options,
                                                                  SnapshotSource source) {
  std::unique_ptr<AgentCheckServer> self(new AgentCheckServer());
  self->options_ = options;
  self->allow_ = std::make_shared<const std::vector<Cidr>>(options.allow);
  self->source_ = std::move(source);
  auto listener = ListenTcp(options.listen, 0);
  if (!listener) {
    return Error{"cannot listen for agent-check on " + options.listen.ToString() + ": " +
                 listener.error()};
  }
  self->listener_ = std::move(listener).value();
  self->port_ = BoundPort(self->listener_.get());
  self->stop_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  self->epoll_.Reset(epoll_create1(EPOLL_CLOEXEC));
  if (!self->stop_.valid() || !self->epoll_.valid())
    return Error{"agent-check: " + ErrnoText(errno)};
  for (int fd : {self->listener_.get(), self->stop_.get()}) {
    epoll_event ev{.events = EPOLLIN, .data = {.fd = fd}};
    if (epoll_ctl(self->epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
      return Error{"agent-check: epoll_ctl: " + ErrnoText(errno)};
    }
  }
  self->thread_ = std::thread([raw = self.get()] { raw->Run(); });
  return self;
}

void AgentCheckServer::SetAllow(std::vector<Cidr> allow) {
  allow_ = std::make_shared<const std::vector<Cidr>>(std::move(allow));
}

AgentCheckServer::~AgentCheckServer() {
  const uint64_t one = 1;
  if (stop_.valid()) (void)!write(stop_.get(), &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

void AgentCheckServer::Run() {
  std::map<int, Pending> pending;  // by fd; ordered deadlines are not needed at this size
  epoll_event events[64];
  bool paused = false;  // the listener is out of the epoll set until resume_at
  Clock::time_point resume_at;
  bool starved = false;  // since the last accepted connection (logged once)
  epoll_event listen_event{.events = EPOLLIN, .data = {.fd = listener_.get()}};
  for (;;) {
    if (paused && Clock::now() >= resume_at &&
        epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, listener_.get(), &listen_event) == 0) {
      paused = false;
    }
    const int n =
        epoll_wait(epoll_.get(), events, 64, pending.empty() && !paused ? -1 : kSweepMillis);
    if (n < 0 && errno != EINTR) {
      // Not transient (EBADF, EINVAL, EFAULT): as the health port's loops do,
      // stop the agent loudly rather than leave HAProxy without answers.
      spdlog::critical("agent-check: epoll_wait: {}; stopping the agent", ErrnoDetail(errno));
      kill(getpid(), SIGTERM);
      return;
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == stop_.get()) return;
      if (fd == listener_.get()) {
        for (int k = 0; k < 64; ++k) {
          sockaddr_storage addr{};
          socklen_t len = sizeof addr;
          UniqueFd c(accept4(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC));
          if (!c.valid()) {
            const int error = errno;
            if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
              if (!starved) {
                spdlog::error("agent-check: accept: {}; checks wait until descriptors are free",
                              ErrnoDetail(error));
              }
              starved = true;
              epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, listener_.get(), nullptr);
              paused = true;
              resume_at = Clock::now() + kAcceptPause;
            }
            break;
          }
          if (starved) {
            spdlog::info("agent-check: accepting connections again");
            starved = false;
          }
          if (!Allowed(*allow_.load(), PeerAddress(addr))) continue;  // closed, no answer
          if (pending.size() >= options_.max_connections) {
            auto oldest = std::min_element(pending.begin(), pending.end(), [](auto& a, auto& b) {
              return a.second.deadline < b.second.deadline;
            });
            pending.erase(oldest);
          }
          epoll_event ev{.events = EPOLLIN | EPOLLRDHUP, .data = {.fd = c.get()}};
          if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.get(), &ev) != 0) continue;
          const int cfd = c.get();
          pending[cfd] = Pending{std::move(c), "", Clock::now() + options_.name_wait};
        }
        continue;
      }
      auto it = pending.find(fd);
      if (it == pending.end()) continue;
      Pending& p = it->second;
      char buf[kMaxLine];
      bool done = false;
      for (;;) {
        const ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r > 0) {
          p.in.append(buf, static_cast<size_t>(r));
          if (p.in.find('\n') != std::string::npos || p.in.size() >= kMaxLine) done = true;
          if (done) break;
          continue;
        }
        if (r == 0) done = true;  // peer finished sending (or sent nothing)
        if (r < 0 && errno != EAGAIN && errno != EINTR) {
          pending.erase(it);  // reset by the peer: nobody to answer
          break;
        }
        break;
      }
      if (pending.count(fd) && done) {
        Answer(fd, p.in, *source_());
        pending.erase(fd);
      }
    }
    // No name in time: answer what came (possibly nothing).
    const Clock::time_point now = Clock::now();
    for (auto it = pending.begin(); it != pending.end();) {
      if (it->second.deadline <= now) {
        Answer(it->first, it->second.in, *source_());
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace rsagent::agent
