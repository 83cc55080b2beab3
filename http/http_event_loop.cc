#include "http/http_event_loop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "http/http_response.h"
#include "http/tcp_listener.h"

namespace rsagent::agent {

namespace {

// Deadlines are checked this often while connections are open; with none
// open the loop sleeps until something arrives (no idle wake-ups).
constexpr int kSweepMillis = 100;
constexpr int kAcceptsPerWakeup = 64;
// Out of descriptors or memory with no connection of its own to close, the
// loop stops watching the listener this long (the connection stays queued).
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

}  // namespace

Result<std::unique_ptr<HttpEventLoop>> HttpEventLoop::Create(int listen_fd, int stop_fd,
                                                             const LoopLimits& limits,
                                                             RequestHandler handler,
                                                             uint32_t last_generation) {
  std::unique_ptr<HttpEventLoop> loop(
      new HttpEventLoop(listen_fd, stop_fd, limits, std::move(handler), last_generation));
  loop->epoll_.Reset(epoll_create1(EPOLL_CLOEXEC));
  if (!loop->epoll_.valid()) return Error{"epoll_create1: " + ErrnoText(errno)};
  epoll_event stop_event{.events = EPOLLIN, .data = {.u64 = static_cast<uint32_t>(stop_fd)}};
  if (!loop->WatchListener() ||
      epoll_ctl(loop->epoll_.get(), EPOLL_CTL_ADD, stop_fd, &stop_event) != 0) {
    return Error{"epoll_ctl: " + ErrnoText(errno)};
  }
  return loop;
}

bool HttpEventLoop::WatchListener() {
  // EPOLLEXCLUSIVE cannot be modified, only added: a pause removes it.
  epoll_event listen_event{.events = EPOLLIN | EPOLLEXCLUSIVE,
                           .data = {.u64 = static_cast<uint32_t>(listen_fd_)}};
  return epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, listen_fd_, &listen_event) == 0;
}

void HttpEventLoop::PauseAccepting(int error) {
  if (!accept_starved_) {
    spdlog::error("http: accept: {}; new connections wait until descriptors are free",
                  ErrnoDetail(error));
  }
  epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, listen_fd_, nullptr);
  accept_starved_ = true;
  accept_paused_ = true;
  accept_resume_ = Clock::now() + kAcceptPause;
}

void HttpEventLoop::Run() {
  std::vector<epoll_event> events(64);
  for (;;) {
    if (accept_paused_ && Clock::now() >= accept_resume_ && WatchListener()) {
      accept_paused_ = false;  // AcceptAll pauses again, silently, while it lasts
    }
    const int timeout = connections_.empty() && !accept_paused_ ? -1 : kSweepMillis;
    const int n = epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), timeout);
    if (n < 0 && errno != EINTR) {
      // Not transient (EBADF, EINVAL, EFAULT): this loop cannot serve. The
      // agent stops (its normal SIGTERM path answers DOWN on the other
      // loops first) rather than keep a health port that half works.
      spdlog::critical("http: epoll_wait: {}; stopping the agent", ErrnoDetail(errno));
      kill(getpid(), SIGTERM);
      return;
    }
    for (int i = 0; i < n; ++i) {
      const int fd = static_cast<int>(events[i].data.u64 & 0xffffffff);
      if (fd == stop_fd_) return;
      if (fd == listen_fd_) {
        AcceptAll();
        continue;
      }
      // An event for a connection an earlier event of this batch closed, or
      // for its descriptor number already reused by a new one, is stale.
      auto it = connections_.find(fd);
      if (it != connections_.end() &&
          it->second.generation == static_cast<uint32_t>(events[i].data.u64 >> 32)) {
        OnEvent(it->second, events[i].events);
      }
    }
    if (const auto now = Clock::now(); now >= next_sweep_) {
      CloseExpired(now);
      next_sweep_ = now + std::chrono::milliseconds(kSweepMillis);
    }
  }
}

void HttpEventLoop::AcceptAll() {
  for (int i = 0; i < kAcceptsPerWakeup; ++i) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int fd =
        accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      const int error = errno;
      // Out of descriptors: make room for the next attempt, or when this
      // loop has nothing to close, stop asking for a while (the listener
      // stays readable: asking again at once would spin on a core).
      if ((error == EMFILE || error == ENFILE) && !connections_.empty()) {
        EvictOne();
      } else if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
        PauseAccepting(error);
      }
      return;
    }
    if (accept_starved_) {
      spdlog::info("http: accepting connections again");
      accept_starved_ = false;
    }
    // Room is made only for a connection that came: at the cap, a wake-up
    // with nothing to accept (another loop took it) must not cost one.
    if (connections_.size() >= limits_.max_connections) EvictOne();
    const auto now = Clock::now();
    Connection& c = connections_[fd];
    c.fd.Reset(fd);
    c.generation = ++accepted_;  // wraps after 2^32 accepts, as the tag in epoll does
    if (!Watch(c, EPOLL_CTL_ADD, EPOLLIN | EPOLLRDHUP)) {
      Close(fd);
      continue;
    }
    c.peer = PeerAddress(addr);
    c.waiting_since = now;
    c.deadline = now + limits_.request_timeout;
    // The request usually came with the connection (the listener defers
    // accepts until data arrives): serve it before later accepts can evict it.
    OnEvent(c, EPOLLIN);
  }
}

void HttpEventLoop::OnEvent(Connection& c, uint32_t events) {
  if (c.lingering) {
    char buffer[4096];
    ssize_t n;
    while ((n = read(c.fd.get(), buffer, sizeof buffer)) > 0) {
    }
    if (n == 0 || errno != EAGAIN) Close(c.fd.get());
    return;
  }
  if (!c.out.empty()) {
    Flush(c);
    return;
  }
  if (events & EPOLLIN) {
    char buffer[4096];
    while (c.in.size() <= limits_.max_head_bytes) {
      const ssize_t n = read(c.fd.get(), buffer, sizeof buffer);
      if (n > 0) {
        c.in.append(buffer, n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && errno == EAGAIN) {
        break;
      } else {
        // The client is gone or half-closed; every request it sent before
        // still gets its answer (some HTTP/1.0 clients shut down their side,
        // pipelining ones too), then the connection closes.
        if (c.in.empty()) return Close(c.fd.get());
        c.peer_closed = true;
        break;
      }
    }
    Serve(c);
  } else if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
    Close(c.fd.get());
  }
}

void HttpEventLoop::Serve(Connection& c) {
  const int fd = c.fd.get();
  while (c.out.empty() && !c.in.empty()) {
    ParsedHead parsed = ParseRequestHead(c.in);
    const bool too_large = parsed.outcome == ParseOutcome::kIncomplete
                               ? c.in.size() > limits_.max_head_bytes
                               : parsed.consumed > limits_.max_head_bytes;
    if (too_large) {
      return Respond(
          c, SerializeResponse({.status = 431, .body = "request head too large\n"}, false, false),
          false);
    }
    if (parsed.outcome == ParseOutcome::kIncomplete) {
      if (c.peer_closed || c.close_after_write) return Close(fd);  // nothing more will come
      return;
    }
    if (parsed.outcome == ParseOutcome::kBad) {
      return Respond(c, SerializeResponse({.status = 400, .body = "bad request\n"}, false, false),
                     false);
    }
    c.in.erase(0, parsed.consumed);
    // A body is never read: answer, then close, so it cannot be taken for a
    // request.
    const bool keep_alive = parsed.request.keep_alive && !parsed.request.has_body;
    Respond(c, handler_(parsed.request, c.peer, keep_alive), keep_alive);
    if (!connections_.contains(fd)) return;
  }
}

void HttpEventLoop::Respond(Connection& c, std::string bytes, bool keep_alive) {
  c.out = std::move(bytes);
  c.out_sent = 0;
  c.close_after_write = c.close_after_write || !keep_alive;
  c.deadline = Clock::now() + limits_.write_timeout;
  Flush(c);
}

void HttpEventLoop::Flush(Connection& c) {
  const int fd = c.fd.get();
  while (c.out_sent < c.out.size()) {
    const ssize_t n = send(fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_sent += n;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      Watch(c, EPOLL_CTL_MOD, EPOLLOUT);
      c.write_blocked = true;
      return;
    }
    return Close(fd);
  }
  if (c.close_after_write) return c.in.empty() ? Close(fd) : Linger(c);
  if (c.peer_closed && c.in.empty()) return Close(fd);
  c.out.clear();
  c.out_sent = 0;
  if (c.write_blocked) {
    Watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
    c.write_blocked = false;
  }
  const auto now = Clock::now();
  c.waiting_since = now;
  c.deadline = now + (c.in.empty() ? limits_.idle_timeout : limits_.request_timeout);
  Serve(c);  // a pipelined request may already be buffered
}

void HttpEventLoop::Linger(Connection& c) {
  // Closing with unread input would send a reset that can destroy the
  // answer before the client reads it: end our side, drain theirs.
  shutdown(c.fd.get(), SHUT_WR);
  c.lingering = true;
  c.in.clear();
  c.out.clear();
  if (c.write_blocked) Watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
  c.deadline = Clock::now() + limits_.request_timeout;
}

bool HttpEventLoop::Watch(const Connection& c, int op, uint32_t events) {
  epoll_event event{
      .events = events,
      .data = {.u64 = (uint64_t{c.generation} << 32) | static_cast<uint32_t>(c.fd.get())}};
  return epoll_ctl(epoll_.get(), op, c.fd.get(), &event) == 0;
}

void HttpEventLoop::Close(int fd) {
  // Closing removes it from the epoll set.
  connections_.erase(fd);
}

void HttpEventLoop::EvictOne() {
  // Connections with an answer pending count against the cap too: when all
  // have one, the one stuck longest goes (write_timeout would close it soon).
  auto victim = connections_.end();
  auto rank = [](const Connection& c) { return std::pair(!c.out.empty(), c.waiting_since); };
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (victim == connections_.end() || rank(it->second) < rank(victim->second)) victim = it;
  }
  if (victim != connections_.end()) connections_.erase(victim);
}

void HttpEventLoop::CloseExpired(Clock::time_point now) {
  std::erase_if(connections_, [now](const auto& entry) { return entry.second.deadline <= now; });
}

}  // namespace rsagent::agent
